"""One cross-validation fold of :class:`FocalLossClassifierCV`: a warm-started grid.

A fold fits the whole (gamma, C) grid on its training rows and scores every
solution on its test rows. The rows are indexed once; each fit calls the solver
on the objective directly (the data are checked once, in ``fit``). For each
gamma, in increasing order, the fits run from strong to weak regularisation,
each starting from the previous solution; the path of the next gamma starts
from the first solution of the last. Neighbouring problems have neighbouring
minimisers, so a few iterations finish what a cold start from zero needs many
for. (Starting each fit from the solution at the previous gamma and the same C
instead, or from the better of both, took more objective evaluations in
total on the benchmark data.)
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .._base import (
    check_weighted_classes,
    class_probabilities,
    fitted_loss,
    weigh_classes,
)
from .._compat import _safe_indexing
from .._cv_scoring import neg_log_loss
from ._objective import FocalLinearObjective, feature_scale
from ._solver import minimize


class FoldPath:
    """Fit and score the (gamma, C) grid on one fold; picklable for joblib.

    Parameters
    ----------
    estimator : FocalLossClassifierCV
        Its parameters (alpha, class_weight, fit_intercept, proba, solver,
        max_iter, tol) and fitted ``classes_``.
    gammas, Cs : ndarray
        The grid, in the user's order.
    scorer : callable or None
        ``scorer(model, X, y[, sample_weight=...])``, higher is better; None
        for ``neg_log_loss``, computed directly (:func:`neg_log_loss`).
    class_weight : dict or None
        The class weights ("balanced" resolved on all the data).
    """

    def __init__(self, estimator, gammas, Cs, scorer, class_weight):
        self.params = {
            name: getattr(estimator, name)
            for name in ("alpha", "fit_intercept", "proba")
        }
        self.params["class_weight"] = class_weight
        self.max_iter, self.tol = estimator.max_iter, estimator.tol
        self.solver = estimator.solver
        self.name = type(estimator).__name__
        self.classes = estimator.classes_
        self.gammas, self.Cs, self.scorer = gammas, Cs, scorer

    def __call__(self, X, y, index, sample_weight, train, test, fold):
        """Solutions, scores and iterations of the grid on fold ``fold``.

        Returns
        -------
        result : dict
            ``coefs`` of shape (n_gammas, n_Cs, n_scores, n_features + 1)
            (weights, then the intercept), ``scores`` and ``n_iter`` of shape
            (n_gammas, n_Cs), and ``unconverged``, the number of fits that hit
            ``max_iter`` or stopped early.
        """
        sw_train = None if sample_weight is None else sample_weight[train]
        target, weight, weight_sum = self._fold_targets(index[train], sw_train, fold)
        X_train = _safe_indexing(X, train)
        held_out = _safe_indexing(X, test), y[test], index[test]
        held_out += (None if sample_weight is None else sample_weight[test],)
        scale = feature_scale(X_train)
        shape = (len(self.gammas), len(self.Cs))
        n_scores = 1 if len(self.classes) == 2 else len(self.classes)
        coefs = np.zeros((*shape, n_scores, X.shape[1] + 1))
        scores, n_iter = np.zeros(shape), np.zeros(shape, dtype=np.int32)
        fit_intercept = self.params["fit_intercept"]
        path_start = np.zeros(n_scores * (X.shape[1] + int(fit_intercept)))
        unconverged = 0
        for i in np.argsort(self.gammas, kind="stable"):
            loss = fitted_loss(self.gammas[i], self.params["alpha"], self.classes)
            objective = FocalLinearObjective(
                loss, len(self.classes), fit_intercept, scale
            )
            coef = path_start
            for k, j in enumerate(np.argsort(self.Cs, kind="stable")):
                args = (X_train, target, weight, weight_sum)
                args += (1.0 / (self.Cs[j] * weight_sum),)
                coef, n_iter[i, j], failed = _solve(objective, coef, args, self)
                unconverged += failed
                if k == 0:  # the next gamma's path starts here
                    path_start = coef
                weights, intercept = objective.split(coef, X.shape[1])
                coefs[i, j, :, :-1], coefs[i, j, :, -1] = weights, intercept
                scores[i, j] = self._score(loss, weights, intercept, *held_out)
        return {
            "coefs": coefs, "scores": scores, "n_iter": n_iter,
            "unconverged": unconverged,
        }  # fmt: skip

    def _fold_targets(self, index, sample_weight, fold):
        """Class indices, weights (class weights included) and their total."""
        counts, totals, weight = weigh_classes(
            index,
            self.classes,
            sample_weight,
            self.params["class_weight"],
            balance_on="weights",
        )
        if np.any(counts == 0):
            missing = self.classes[counts == 0].tolist()
            raise ValueError(
                f"The training part of cross-validation fold {fold} has no samples of "
                f"class(es) {missing[:5]}: every fold must see every class. Use "
                "stratified folds (the default cv) or fewer folds."
            )
        check_weighted_classes(totals, self.classes, self.name)
        return index.astype(np.float64), weight, float(totals.sum())

    def _score(self, loss, weights, intercept, X, y, index, sample_weight):
        """The score of one solution on the held-out rows."""
        if self.scorer is None:  # the default: the log loss, without the checks
            raw = np.asarray(X @ weights.T.astype(X.dtype)) + intercept.astype(X.dtype)
            proba = class_probabilities(
                loss, raw[:, 0] if raw.shape[1] == 1 else raw, self.params["proba"]
            )
            return neg_log_loss(proba, index, sample_weight)
        model = self.model(loss, weights, intercept, X.dtype)
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.scorer(model, X, y, **kwargs)

    def model(self, loss, weights, intercept, dtype):
        """A fitted :class:`FocalLossClassifier` with these coefficients."""
        from ._classifier import FocalLossClassifier

        model = FocalLossClassifier(gamma=loss.gamma, **self.params)
        model.classes_, model.loss_ = self.classes, loss
        model.proba_ = self.params["proba"]
        model.coef_ = np.array(weights, dtype=dtype, order="C")
        model.intercept_ = np.array(intercept, dtype=dtype)
        model.n_features_in_ = weights.shape[1]
        return model


def _solve(objective, start, args, path):
    """The solver from ``start``: the solution, its iterations, whether it failed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        coef, n_iter = minimize(
            path.solver, objective, start, args, max_iter=path.max_iter,
            tol=path.tol, verbose=0, name=path.name,
        )  # fmt: skip
    failed = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    # A start that already meets tol took one evaluation: count it as one
    # iteration, as scikit-learn's estimators count n_iter_ (>= 1).
    return coef, max(n_iter, 1), failed
