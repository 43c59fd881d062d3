"""Newton-Cholesky for the linear models, as scikit-learn's ``newton-cholesky``.

Each iteration solves ``H step = -gradient`` by a Cholesky-type factorisation
of the objective's Newton matrix (:meth:`FocalLinearObjective.hessian`: skfocal's
positive curvature in the place of the focal loss's second derivative, so the
step descends also where the loss is not convex), then backtracks along the
step until the Armijo condition holds. The constants, the convergence test and
the fall-backs to L-BFGS-B follow scikit-learn's ``NewtonCholeskySolver``, so
that at ``gamma=0`` the iterates are scikit-learn's.

A softmax model is over-parametrised where nothing is penalised: adding a
constant to every class's intercept (and, with ``C=np.inf``, to every class's
weight of a feature) changes no probability, and the Newton matrix is singular
along it. As scikit-learn, the last class's redundant coefficients are held at
zero while solving, and the result is centred over the classes at the end.
"""

import functools
import warnings

import numpy as np
import scipy.linalg
from scipy.linalg import lapack
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import ThreadpoolController

# scikit-learn's line search: halve the step until the loss decreases by at
# least SIGMA times the step's first-order decrease, at most 21 trials.
_BETA, _SIGMA, _TRIALS = 0.5, 2.0**-11, 21


def minimize_newton(
    objective,
    coef0,
    args,
    *,
    max_iter,
    tol,
    verbose,
    name,
    fallback,
    on_iteration=None,
):
    """Minimise the objective by Newton steps with a backtracking line search.

    Parameters
    ----------
    objective : FocalLinearObjective
        Its ``loss_gradient`` and ``hessian`` take ``coef, *args``.
    coef0 : ndarray of shape (n_dof,)
        Starting point (flat coefficients).
    args : tuple
        ``(X, y, sample_weight, sample_weight_sum, l2_reg_strength)``.
    max_iter : int
        Maximum number of Newton iterations.
    tol : float
        Converged when the largest gradient entry and half the squared Newton
        decrement are both at most ``tol``.
    verbose : int
        Print the objective, gradient and step size of every iteration when > 0.
    name : str
        The estimator's name, for the warnings.
    fallback : callable
        ``fallback(coef, max_iter) -> (coef, n_iter)``: L-BFGS-B from ``coef``,
        for a singular Newton matrix or a failed line search.
    on_iteration : callable, default=None
        Called with the coefficients after every iteration.

    Returns
    -------
    coef : ndarray of shape (n_dof,)
        The solution.
    n_iter : int
        Iterations run (Newton, then L-BFGS-B after a fall-back).
    """
    X, l2_reg_strength = args[0], args[-1]
    redundant = _redundant(objective, X.shape[1], l2_reg_strength)
    coef = np.array(coef0, dtype=np.float64)
    n_free = coef.size  # the redundant coefficients are the last ones
    if redundant is not None:  # the held coefficients start at zero
        coef -= _shift_of_last_class(objective, coef, X.shape[1], redundant)
        n_free = redundant[0]

    def centred(coef):
        return _centred(objective, coef, redundant)

    loss, gradient = objective.loss_gradient(coef, *args)
    for iteration in range(1, max_iter + 1):
        hessian = _newton_matrix(objective, coef, args, name)
        step = _newton_step(hessian, gradient, n_free, name, iteration)
        slope = float(gradient @ step) if step is not None else np.inf
        if not slope <= 0:  # singular matrix, or not a descent direction
            coef, n_iter = _fall_back(fallback, coef, max_iter, iteration, verbose)
            return centred(coef), n_iter
        accepted = _line_search(objective, args, coef, loss, gradient, step, slope)
        if accepted is None:
            warnings.warn(
                f"{name}: the line search of the Newton solver at iteration "
                f"#{iteration} did not converge after {_TRIALS} line search "
                "refinement iterations. It will now resort to lbfgs instead.",
                ConvergenceWarning,
                stacklevel=3,
            )
            coef, n_iter = _fall_back(fallback, coef, max_iter, iteration, verbose)
            return centred(coef), n_iter
        t, coef, loss, gradient = accepted
        if on_iteration is not None:
            on_iteration(centred(coef))
        largest = float(np.max(np.abs(gradient), initial=0.0))
        decrement = 0.5 * float(step @ hessian @ step)
        if verbose:
            print(
                f"iteration {iteration:4d}: objective {loss:.10g}, max |gradient| "
                f"{largest:.3e}, step size {t:g}, Newton decrement {decrement:.3e}"
            )
        if largest <= tol and decrement <= tol:
            return centred(coef), iteration
    warnings.warn(
        f"{name} did not converge: Newton solver did not converge after {max_iter} "
        f"iterations. Increase max_iter (now {max_iter}), scale the features (e.g. "
        "with sklearn.preprocessing.StandardScaler in a pipeline) or loosen tol.",
        ConvergenceWarning,
        stacklevel=3,
    )
    return centred(coef), max_iter


def _newton_matrix(objective, coef, args, name):
    """The objective's Newton matrix, or a MemoryError that says what to do."""
    try:
        return objective.hessian(coef, *args)
    except MemoryError as error:
        size = coef.size**2 * 8 / 2**30
        raise MemoryError(
            f"{name}(solver='newton-cholesky') needs a {coef.size} x {coef.size} "
            f"Newton matrix ({size:.3g} GiB) and could not allocate it: with this "
            "many features (times classes) use solver='lbfgs'."
        ) from error


def _line_search(objective, args, coef, loss, gradient, step, slope):
    """scikit-learn's backtracking: ``(t, coef, loss, gradient)`` at the first
    step size ``t`` that decreases the loss enough, or None after 21 halvings."""
    eps = 16 * np.finfo(args[0].dtype).eps
    for trial in range(_TRIALS):
        t = _BETA**trial
        candidate = coef + t * step
        new_loss, new_gradient = objective.loss_gradient(candidate, *args)
        improvement = new_loss - loss
        if improvement <= t * _SIGMA * slope:
            return t, candidate, new_loss, new_gradient
        # Differences at rounding level: accept a smaller gradient instead.
        if abs(improvement) <= abs(loss) * eps and np.sum(np.abs(new_gradient)) < (
            np.sum(np.abs(gradient))
        ):
            return t, candidate, new_loss, new_gradient
    return None


@functools.cache
def _blas_controller():
    """The BLAS libraries loaded (numpy and scipy each bring an OpenBLAS)."""
    return ThreadpoolController()


def _newton_step(hessian, gradient, n_free, name, iteration):
    """The Newton step on the first ``n_free`` coefficients (zero after), or None.

    A Cholesky factorisation (the matrix is positive semi-definite), its
    condition estimated from the factor as ``scipy.linalg.solve`` does: less
    time than scikit-learn's symmetric-indefinite solve, with the same refusal
    of singular and ill-conditioned matrices. On one BLAS thread: right after
    numpy's OpenBLAS built the matrix its threads still spin, and scipy's own
    OpenBLAS, run on two threads, then waited up to 80 ms for a core (measured
    on 2 cores, for a 131 x 131 matrix that takes 0.3 ms).
    """
    matrix = hessian[:n_free, :n_free]
    with _blas_controller().limit(limits=1, user_api="blas"):
        factor, info = lapack.dpotrf(matrix, lower=False, clean=False)
        if info == 0:
            norm = np.abs(matrix).sum(axis=0).max()
            rcond, info = lapack.dpocon(factor, norm)
    if info != 0 or not rcond >= np.finfo(np.float64).eps:
        problem = (
            "is not positive definite"
            if info != 0
            else f"is ill-conditioned (reciprocal condition number {rcond:.3g})"
        )
        warnings.warn(
            f"The Newton solver of {name} stumbled upon a singular or very "
            f"ill-conditioned Hessian matrix at iteration {iteration}. It will now "
            "resort to lbfgs instead. Further options are to use another solver or "
            "to avoid such situation in the first place: remove collinear features "
            "of X or increase the penalization strength (a smaller C). The matrix "
            f"{problem}.",
            scipy.linalg.LinAlgWarning,
            stacklevel=4,
        )
        return None
    step = np.zeros_like(gradient)
    step[:n_free], _ = lapack.dpotrs(factor, -gradient[:n_free])
    return step


def _fall_back(fallback, coef, max_iter, iteration, verbose):
    if verbose:
        print(f"iteration {iteration:4d}: Newton step failed, resorting to L-BFGS-B")
    coef, n_iter = fallback(coef, max_iter - iteration)  # as scikit-learn
    return coef, iteration - 1 + n_iter


def _redundant(objective, n_features, l2_reg_strength):
    """Flat indices of the last class's redundant coefficients, or None."""
    n_scores, n_dof = objective.coef_shape(n_features)
    if n_scores == 1:
        return None
    last = (n_scores - 1) * n_dof
    if l2_reg_strength == 0:
        return np.arange(last, last + n_dof)
    if objective.fit_intercept:
        return np.array([last + n_dof - 1])
    return None


def _shift_of_last_class(objective, coef, n_features, redundant):
    """The shift, common to every class, that zeroes the held coefficients."""
    n_scores, n_dof = objective.coef_shape(n_features)
    shift = np.zeros((n_scores, n_dof))
    last = coef.reshape(n_scores, n_dof)[-1]
    columns = redundant - (n_scores - 1) * n_dof
    shift[:, columns] = last[columns]
    return shift.ravel()


def _centred(objective, coef, redundant):
    """Softmax coefficients with zero sum over the classes where the loss allows.

    The redundant coefficients (the intercepts, and with ``C=np.inf`` every
    weight) are centred over the classes, which changes no probability; the
    penalised ones sum to zero at the optimum anyway.
    """
    if redundant is None:
        return coef
    n_scores = objective.coef_shape(0)[0]
    coef = coef.reshape(n_scores, -1).copy()
    columns = redundant - (n_scores - 1) * coef.shape[1]
    coef[:, columns] -= coef[:, columns].mean(axis=0)
    return coef.ravel()
