"""`DaskFocalLossClassifier`: the linear model fitted on Dask collections.

The solvers are the in-memory model's (``_solver.py``, ``_newton.py``); only
the objective differs: each evaluation sends the coefficients to the workers,
every row block computes its sums (weighted focal loss, gradient and, for
Newton, its Newton matrix) with skfocal's kernels where it lives, and the
client adds the partial sums and the penalty. One pass over the data per
evaluation; only vectors of the coefficients' size (and Newton's matrix) travel.
Dask is imported here only.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from .._base import check_weighted_classes, fitted_loss
from .._compat import _fit_context
from .._dask import as_dask_array, class_weighted, global_class_totals
from .._validation import check_sample_weight, class_weight_per_class
from ._classifier import FocalLossClassifier
from ._objective import (
    FocalLinearObjective,
    column_magnitudes,
    scale_of_magnitudes,
)
from ._solver import minimize

__all__ = ["DaskFocalLossClassifier"]


class DaskFocalLossClassifier(ClassifierMixin, BaseEstimator):
    """:class:`FocalLossClassifier` on Dask arrays and dataframes, on any cluster.

    The same model and solvers as :class:`FocalLossClassifier`, fitted where
    the data live: every objective evaluation is a map-reduce over the row
    blocks (one pass over the data; nothing but coefficient-sized sums reaches
    the client), so data larger than one machine's memory fit on a
    ``distributed`` cluster. The result equals :class:`FocalLossClassifier`'s
    on the same data up to the order of floating-point sums.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0 (0: the logistic loss).
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss, as in :class:`FocalLossClassifier`.
    C : float, default=1.0
        Inverse of the regularisation strength, > 0 (``np.inf``: no penalty).
    fit_intercept : bool, default=True
        Whether to fit an intercept per score.
    class_weight : dict, "balanced" or None, default=None
        Multiplied into the sample weights; "balanced" from the weighted class
        totals over all blocks.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns, as in :class:`FocalLossClassifier`.
    solver : {"lbfgs", "newton-cholesky"}, default="lbfgs"
        As in :class:`FocalLossClassifier`. On a cluster each L-BFGS-B
        iteration costs one or more passes over the data, each Newton
        iteration one pass (its matrix summed with the gradient) in fewer
        iterations: prefer Newton unless the features number in the thousands.
    max_iter : int, default=100
        Maximum number of solver iterations.
    tol : float, default=1e-4
        The solver's stopping tolerance, as in :class:`FocalLossClassifier`.
    verbose : int, default=0
        Print the objective and gradient of every iteration when > 0.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts.
    n_iter_ : ndarray of shape (1,)
        Number of solver iterations run.
    loss_ : FocalLoss
        The loss minimised at fit.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in\\_,)
        Column names, when ``X`` is a Dask DataFrame with string column names.

    See Also
    --------
    FocalLossClassifier : The same model in memory; :meth:`to_local` gives one.

    Notes
    -----
    ``X`` is persisted on the workers for the fit (the solvers read it many
    times): the cluster's memory, summed over the workers, must hold it,
    or the workers spill it to disk. Blocks are split along rows only; a
    block holds whole rows.

    Examples
    --------
    >>> import dask.array as da
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.linear_model import DaskFocalLossClassifier
    >>> X, y = make_classification(n_samples=1000, random_state=0)
    >>> dX, dy = da.from_array(X, chunks=250), da.from_array(y, chunks=250)
    >>> clf = DaskFocalLossClassifier(solver="newton-cholesky").fit(dX, dy)
    >>> proba = clf.predict_proba(dX)  # lazy
    >>> type(proba).__name__, proba.shape
    ('Array', (1000, 2))
    >>> local = clf.to_local()  # a FocalLossClassifier
    >>> bool(abs(local.predict_proba(X) - proba.compute()).max() < 1e-12)
    True
    """

    # FocalLossClassifier's, but for warm_start (every fit starts from zero).
    _parameter_constraints: dict = {
        name: constraint
        for name, constraint in FocalLossClassifier._parameter_constraints.items()
        if name != "warm_start"
    }

    def __init__(
        self,
        gamma=2.0,
        alpha=None,
        *,
        C=1.0,
        fit_intercept=True,
        class_weight=None,
        proba="posterior",
        solver="lbfgs",
        max_iter=100,
        tol=1e-4,
        verbose=0,
    ):
        self.gamma = gamma
        self.alpha = alpha
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.proba = proba
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model on the workers with ``solver``.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Numeric training data.
        y : Dask Array or Dask Series of shape (n_samples,)
            Class labels, partitioned like ``X``.
        sample_weight : Dask Array or Dask Series of shape (n_samples,), default=None
            Non-negative sample weights, partitioned like ``X``.

        Returns
        -------
        self : DaskFocalLossClassifier
            The fitted estimator.
        """
        import dask

        X = self._features(X, reset=True)
        name = type(self).__name__
        labels = _rows_like(as_dask_array(_dask_only(y, "y")), X)
        if sample_weight is not None:
            sample_weight = _rows_like(
                as_dask_array(_dask_only(sample_weight, "sample_weight")), X
            )
            _check_weights(sample_weight)
        classes, index, _, totals = global_class_totals(X, labels, sample_weight, name)
        self.classes_ = classes
        per_class = class_weight_per_class(self.class_weight, classes, totals)
        weight = sample_weight
        if self.class_weight is not None:
            weight = class_weighted(labels, sample_weight, classes, per_class)
        check_weighted_classes(totals * per_class, classes, name)
        self.loss_ = loss = fitted_loss(self.gamma, self.alpha, classes)
        self.proba_ = self.proba

        X, index, weight = dask.persist(X, index, weight)
        blocks = _row_blocks(X, index, weight)
        magnitudes = dask.compute(
            *[dask.delayed(column_magnitudes)(b[0]) for b in blocks]
        )
        objective = BlockwiseObjective(
            loss, len(classes), self.fit_intercept,
            scale_of_magnitudes(np.max(magnitudes, axis=0)), blocks,
            with_hessian=self.solver == "newton-cholesky",
        )  # fmt: skip
        sw_sum = float((totals * per_class).sum())
        n_features = X.shape[1]
        coef, n_iter = minimize(
            self.solver,
            objective,
            np.zeros(int(np.prod(objective.coef_shape(n_features)))),
            (X, None, None, sw_sum, 1.0 / (self.C * sw_sum)),
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
            name=name,
        )
        weights, intercept = objective.split(coef, n_features)
        self.coef_ = np.array(weights, dtype=X.dtype, order="C")
        self.intercept_ = np.array(intercept, dtype=X.dtype)
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        return self

    def to_local(self):
        """The fitted model as a :class:`FocalLossClassifier`, for NumPy data.

        Returns
        -------
        model : FocalLossClassifier
            A fitted in-memory model with the same parameters and coefficients.
        """
        check_is_fitted(self)
        params = {
            key: value
            for key, value in self.get_params().items()
            if key in FocalLossClassifier().get_params()
        }
        model = FocalLossClassifier(**params)
        names = ("classes_", "coef_", "intercept_", "n_iter_", "loss_", "proba_")
        for name in (*names, "n_features_in_", "feature_names_in_"):
            if hasattr(self, name):
                setattr(model, name, getattr(self, name))
        return model

    def decision_function(self, X):
        """Raw scores, lazily, block by block.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : Dask Array of shape (n_samples,) or (n_samples, n_classes)
            The raw scores.
        """
        return self._blockwise("decision_function", X)

    def predict_proba(self, X):
        """Class probabilities, lazily, block by block.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : Dask Array of shape (n_samples, n_classes)
            As :meth:`FocalLossClassifier.predict_proba`.
        """
        return self._blockwise("predict_proba", X)

    def predict(self, X):
        """Class labels, lazily, block by block.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : Dask Array of shape (n_samples,)
            Predicted labels.
        """
        return self._blockwise("predict", X)

    def score(self, X, y, sample_weight=None):
        """Mean accuracy, computed on the cluster.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.
        y : Dask Array or Dask Series of shape (n_samples,)
            True labels, partitioned like ``X``.
        sample_weight : Dask Array or Dask Series of shape (n_samples,), default=None
            Sample weights, partitioned like ``X``.

        Returns
        -------
        score : float
            Mean accuracy of :meth:`predict`.
        """
        predicted = self.predict(X)
        hits = predicted == _rows_like(as_dask_array(y), predicted)
        if sample_weight is None:
            return float(hits.mean().compute())
        weight = _rows_like(as_dask_array(sample_weight), predicted)
        return float(((hits * weight).sum() / weight.sum()).compute())

    def _blockwise(self, method, X):
        check_is_fitted(self)
        X = self._features(X, reset=False)
        local = self.to_local()
        if hasattr(local, "feature_names_in_"):  # the blocks are NumPy arrays
            del local.feature_names_in_
        n_classes = len(self.classes_)
        dtype = self.classes_.dtype if method == "predict" else X.dtype
        if method == "predict_proba" or (method != "predict" and n_classes > 2):
            columns = (X.chunks[0], (n_classes,))
            return X.map_blocks(getattr(local, method), dtype=dtype, chunks=columns)
        return X.map_blocks(getattr(local, method), dtype=dtype, drop_axis=1)

    def _features(self, X, *, reset):
        """X as a Dask array of floats in row blocks; names and width checked."""
        X = _dask_only(X, "X")
        if hasattr(X, "columns"):
            names = np.asarray(X.columns, dtype=object)
            has_names = all(isinstance(n, str) for n in names)
            X = X.to_dask_array(lengths=True)
        else:
            names, has_names = None, False
        if X.ndim != 2:
            raise ValueError(
                f"Expected a 2-dimensional X, got {X.ndim} dimension(s); reshape "
                "a single feature with X.reshape(-1, 1)."
            )
        if X.dtype.kind not in "biuf":
            raise ValueError(
                f"{type(self).__name__} needs numeric X, got dtype {X.dtype}: "
                "encode categories (e.g. one-hot) before fitting."
            )
        if X.dtype not in (np.float32, np.float64):
            X = X.astype(np.float64)
        if reset:
            self.n_features_in_ = X.shape[1]
            if has_names:
                self.feature_names_in_ = names
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input."
            )
        return X.rechunk({1: -1})


class BlockwiseObjective(FocalLinearObjective):
    """The objective summed over Dask row blocks, each block on its worker.

    ``loss_gradient`` and ``hessian`` take the same arguments as
    :class:`FocalLinearObjective`'s but read the data from ``blocks`` (the
    ``X``, ``y`` and ``sample_weight`` arguments are ignored but for ``X``'s
    shape and dtype). With ``with_hessian``, every evaluation also sums the
    Newton matrix, which the Newton solver then asks for at the same point:
    one pass over the data per Newton iteration.
    """

    def __init__(
        self, loss, n_classes, fit_intercept, feature_scale, blocks, with_hessian
    ):
        super().__init__(loss, n_classes, fit_intercept, feature_scale)
        self.blocks = blocks
        self.with_hessian = with_hessian
        self._saved = None  # (coef, hessian) of the last evaluation

    def _sums(self, coef, with_hessian):
        import dask

        # What builds each block's own objective (its buffers are per block).
        spec = (self.loss, self.n_classes, self.fit_intercept, self.feature_scale)
        parts = [
            dask.delayed(_block_sums)(spec, coef, X, y, w, with_hessian)
            for X, y, w in self.blocks
        ]
        parts = dask.compute(*parts)
        return [sum(part[i] for part in parts) for i in range(len(parts[0]))]

    def _penalty(self, coef, n_features, l2_reg_strength):
        """The penalty, its gradient and the diagonal of its Hessian."""
        weights, _ = self.split(coef, n_features)
        scale = (
            np.ones(n_features) if self.feature_scale is None else self.feature_scale
        )
        n_scores, n_dof = self.coef_shape(n_features)
        gradient = np.zeros((n_scores, n_dof))
        gradient[:, :n_features] = l2_reg_strength * weights * scale
        diagonal = np.zeros((n_scores, n_dof))
        diagonal[:, :n_features] = l2_reg_strength * scale**2
        value = 0.5 * l2_reg_strength * float(np.vdot(weights, weights))
        return value, gradient.ravel(), diagonal.ravel()

    def loss_gradient(
        self, coef, X, y, sample_weight, sample_weight_sum, l2_reg_strength
    ):
        sums = self._sums(coef, self.with_hessian)
        value, gradient, diagonal = self._penalty(coef, X.shape[1], l2_reg_strength)
        loss = sums[0] / sample_weight_sum + value
        gradient = sums[1] / sample_weight_sum + gradient
        if self.with_hessian:
            hessian = sums[2] / sample_weight_sum
            hessian[np.diag_indices_from(hessian)] += diagonal
            self._saved = (coef.copy(), hessian)
        return loss, gradient

    def hessian(self, coef, X, y, sample_weight, sample_weight_sum, l2_reg_strength):
        if self._saved is not None and np.array_equal(self._saved[0], coef):
            return self._saved[1]
        hessian = self._sums(coef, True)[2] / sample_weight_sum
        diagonal = self._penalty(coef, X.shape[1], l2_reg_strength)[2]
        hessian[np.diag_indices_from(hessian)] += diagonal
        return hessian


def _block_sums(spec, coef, X, y, weight, with_hessian):
    """One block's weighted loss sum, gradient sum and (optionally) Newton matrix."""
    objective = FocalLinearObjective(*spec)
    y = np.asarray(y, dtype=np.float64)
    weight = None if weight is None else np.asarray(weight, dtype=np.float64)
    loss, gradient = objective.loss_gradient(coef, X, y, weight, 1.0, 0.0)
    if not with_hessian:
        return loss, gradient
    return loss, gradient, objective.hessian(coef, X, y, weight, 1.0, 0.0)


def _row_blocks(X, index, weight):
    """``(X, y, weight)`` of every row block, as Dask delayed objects."""
    X_blocks = X.to_delayed().ravel()
    y_blocks = index.to_delayed().ravel()
    w_blocks = [None] * len(X_blocks) if weight is None else weight.to_delayed().ravel()
    return list(zip(X_blocks, y_blocks, w_blocks, strict=True))


def _rows_like(array, X):
    """A 1-d Dask array in the row blocks of ``X``."""
    if array.ndim != 1:
        raise ValueError(f"Expected a 1-dimensional array, got shape {array.shape}.")
    if array.shape[0] != X.shape[0]:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: "
            f"[{X.shape[0]}, {array.shape[0]}]"
        )
    return array if array.chunks[0] == X.chunks[0] else array.rechunk((X.chunks[0],))


def _dask_only(collection, name):
    if not hasattr(collection, "dask"):
        raise TypeError(
            f"DaskFocalLossClassifier takes Dask collections: {name} is a "
            f"{type(collection).__name__}. Wrap it with dask.array.from_array, or "
            "fit skfocal.FocalLossClassifier on data in memory."
        )
    return collection


def _check_weights(weight):
    """Negative, non-finite or all-zero weights refused, from three numbers."""
    import dask

    summary = np.asarray(dask.compute(weight.min(), weight.sum(), weight.max()))
    check_sample_weight(summary, 3, name="sample_weight", positive_sum=True)
