"""The linear models' solvers: L-BFGS-B (its call, log and convergence report),
and the choice between it and Newton-Cholesky (``_newton.py``)."""

import warnings

import numpy as np
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning

from ._newton import minimize_newton

SOLVERS = ("lbfgs", "newton-cholesky")


def minimize(solver, objective, coef0, args, **options):
    """Minimise a :class:`FocalLinearObjective` with ``solver``.

    Parameters
    ----------
    solver : {"lbfgs", "newton-cholesky"}
        The solver.
    objective : FocalLinearObjective
        The objective.
    coef0 : ndarray of shape (n_dof,)
        Starting point.
    args : tuple
        ``(X, y, sample_weight, sample_weight_sum, l2_reg_strength)``.
    **options : dict
        ``max_iter``, ``tol``, ``verbose``, ``name`` and optionally
        ``on_iteration``, as :func:`minimize_lbfgs` takes them.

    Returns
    -------
    coef : ndarray of shape (n_dof,)
        The solution.
    n_iter : int
        Iterations run.
    """
    if solver == "lbfgs":
        return minimize_lbfgs(objective.loss_gradient, coef0, args, **options)

    def fallback(coef, max_iter):
        lbfgs_options = {**options, "max_iter": max_iter}
        return minimize_lbfgs(objective.loss_gradient, coef, args, **lbfgs_options)

    return minimize_newton(objective, coef0, args, fallback=fallback, **options)


def minimize_lbfgs(
    loss_gradient, coef0, args, *, max_iter, tol, verbose, name, on_iteration=None
):
    """Minimise ``loss_gradient`` by L-BFGS-B, as scikit-learn's LogisticRegression.

    Parameters
    ----------
    loss_gradient : callable
        ``loss_gradient(coef, *args) -> (loss, gradient)`` on flat float64 ``coef``.
    coef0 : ndarray of shape (n_dof,)
        Starting point.
    args : tuple
        Extra arguments of ``loss_gradient``.
    max_iter : int
        Maximum number of iterations.
    tol : float
        Stop when the largest projected gradient entry is below it.
    verbose : int
        Print the objective and gradient at every iteration when > 0.
    name : str
        The estimator's name, for the convergence warning.
    on_iteration : callable, default=None
        Called with the coefficients after every iteration.

    Returns
    -------
    coef : ndarray of shape (n_dof,)
        The solution.
    n_iter : int
        Iterations run (scipy counts one when ``max_iter`` is 0).
    """
    trace = _IterationLog(verbose)

    def callback(coef):
        trace.callback()
        if on_iteration is not None:
            on_iteration(coef)

    result = optimize.minimize(
        trace.wrap(loss_gradient),
        coef0,
        method="L-BFGS-B",
        jac=True,
        args=args,
        options={
            "maxiter": max_iter,
            "maxls": 50,
            "gtol": tol,
            "ftol": 64 * np.finfo(float).eps,
        },
        callback=callback,
    )
    n_iter = min(result.nit, max_iter)
    if result.status != 0:
        warnings.warn(
            f"{name} did not converge: L-BFGS-B stopped after {n_iter} iteration(s) "
            f"with '{result.message}'. Increase max_iter (now {max_iter}), scale the "
            "features (e.g. with sklearn.preprocessing.StandardScaler in a pipeline) "
            "or loosen tol.",
            ConvergenceWarning,
            stacklevel=3,
        )
    if verbose:
        print(f"L-BFGS-B: {n_iter} iteration(s), {result.message}")
    return result.x, n_iter


class _IterationLog:
    """Remember the last objective and gradient, and print them when verbose."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.iteration = 0
        self.last = (np.nan, np.nan)

    def wrap(self, func):
        def logged(coef, *args):
            loss, grad = func(coef, *args)
            self.last = (loss, float(np.max(np.abs(grad), initial=0.0)))
            return loss, grad

        return logged

    def callback(self):
        self.iteration += 1
        if self.verbose:
            loss, grad = self.last
            print(
                f"iteration {self.iteration:4d}: objective {loss:.10g}, "
                f"max |gradient| {grad:.3e}"
            )
