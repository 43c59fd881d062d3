"""DaskFocalXGBClassifier: FocalXGBClassifier on Dask, through XGBoost's Dask API."""

import numpy as np
from xgboost import dask as dxgb

from .._base import check_focal_parameters, class_probabilities, fitted_loss
from .._boosting import refuse_init_scores
from .._dask import as_dask_array, class_index, global_class_totals
from .._validation import class_weight_per_class
from ._callables import FocalMetric, FocalObjective
from ._checks import (
    FOCAL_PARAMS,
    check_params,
    focal_fit_params,
    fold_base_score,
    refuse_objective,
    thread_count,
    without_objective,
)
from ._classifier import FocalXGBClassifier, fitted_copy


class DaskFocalXGBClassifier(dxgb.DaskXGBClassifier):
    """:class:`FocalXGBClassifier` on Dask collections, through XGBoost's Dask API.

    The classes, the class weights and the initial score come from global class
    totals (one reduction over labels and weights); every worker trains with
    :class:`FocalObjective` from that score (a ``base_margin`` built blockwise),
    which the booster keeps as its intercept. :meth:`predict_proba` returns a
    Dask array of probabilities (the posterior by default). Needs
    ``pip install "skfocal[dask,xgboost]"``.

    Parameters
    ----------
    gamma, alpha, proba, class_weight
        As in :class:`FocalXGBClassifier`.
    **kwargs
        XGBoost's parameters, as in :class:`xgboost.dask.DaskXGBClassifier`
        (``client`` among them).

    Attributes
    ----------
    classes_, init_score_, loss_, proba_
        As in :class:`FocalXGBClassifier`.

    See Also
    --------
    FocalXGBClassifier : The same on one machine; :meth:`to_local` converts.
    """

    def __init__(
        self, gamma=2.0, alpha=None, *, proba="posterior", class_weight=None, **kwargs
    ):
        # The signature repeats FocalXGBClassifier's on purpose: scikit-learn reads
        # the parameters from it.
        refuse_objective(kwargs, self, TypeError)
        super().__init__(objective=None, **kwargs)
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba
        self.class_weight = class_weight

    def get_params(self, deep=True):
        return without_objective(super().get_params(deep=deep))

    def set_params(self, **params):
        refuse_objective(params, self, ValueError)
        return super().set_params(**params)

    get_params.__doc__ = FocalXGBClassifier.get_params.__doc__
    set_params.__doc__ = FocalXGBClassifier.set_params.__doc__

    def _wrapper_params(self):
        return super()._wrapper_params() | FOCAL_PARAMS

    # fit's signature and docstring repeat FocalXGBClassifier.fit's on purpose: both
    # mirror XGBoost's own.
    def fit(
        self,
        X,
        y,
        *,
        sample_weight=None,
        base_margin=None,
        eval_set=None,
        verbose=True,
        xgb_model=None,
        sample_weight_eval_set=None,
        base_margin_eval_set=None,
        feature_weights=None,
    ):
        """Fit on Dask collections (arrays or dataframes partitioned like ``X``).

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Training data.
        y : Dask Array or Dask Series of shape (n_samples,)
            Class labels, partitioned like ``X``.
        sample_weight : Dask Array or Dask Series, default=None
            Sample weights, partitioned like ``X``.
        base_margin, base_margin_eval_set : None
            Not accepted (computed from the global class totals).
        eval_set, sample_weight_eval_set, verbose, xgb_model, feature_weights
            As in :meth:`xgboost.dask.DaskXGBClassifier.fit`; eval labels must
            be training labels.

        Returns
        -------
        self : DaskFocalXGBClassifier
            The fitted estimator.
        """
        name = type(self).__name__
        gamma = check_focal_parameters(self)
        refuse_init_scores(base_margin, base_margin_eval_set, name, "base_margin")
        # The local fit's target and eval-set checks, on global reductions.
        classes, index, _, totals = global_class_totals(
            X, y, sample_weight, name, eval_set, sample_weight_eval_set
        )
        weights = None if sample_weight is None else as_dask_array(sample_weight)
        # As FocalXGBClassifier: "balanced" from the weighted totals.
        per_class = class_weight_per_class(self.class_weight, classes, totals)
        label_weights = check_params(self.get_params(), len(classes))
        self.loss_, self.proba_ = fitted_loss(gamma, self.alpha, classes), self.proba
        start = self.loss_.init_score_from_totals(totals * per_class * label_weights)
        self.init_score_ = start
        weights = _class_weighted(index, weights, per_class, self.class_weight)
        alpha = self.loss_.class_weights(len(classes)) * label_weights
        n_threads = thread_count(self.n_jobs)
        objective = FocalObjective(gamma, alpha, n_threads)
        metric = FocalMetric(gamma, self.loss_.alpha, n_threads)
        evals = {}
        if eval_set is not None:
            evals["eval_set"] = [
                (X_, class_index(as_dask_array(y_), classes)) for X_, y_ in eval_set
            ]
            evals["base_margin_eval_set"] = [_margins(i, start) for _, i in
                                             evals["eval_set"]]  # fmt: skip
            evals["sample_weight_eval_set"] = sample_weight_eval_set
        with focal_fit_params(self, objective, metric, len(classes), True):
            super().fit(
                X, index, sample_weight=weights, base_margin=_margins(index, start),
                verbose=verbose, xgb_model=xgb_model, feature_weights=feature_weights,
                **evals,
            )  # fmt: skip
        fold_base_score(self.get_booster(), start)
        self.classes_ = classes
        return self

    def decision_function(self, X):
        """Margins of the model, as a Dask array (initial score included).

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        raw : Dask Array of shape (n_samples,) or (n_samples, n_classes)
            The booster's margins.
        """
        raw = dxgb.DaskXGBClassifier.predict(self, X, output_margin=True)
        return raw.astype(np.float64)  # as FocalXGBClassifier's

    def predict_proba(self, X):
        """Class probabilities, as a Dask array.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : Dask Array of shape (n_samples, n_classes)
            The posterior (or model) probabilities, computed blockwise.
        """
        raw = self.decision_function(X)
        loss, proba = self.loss_, self.proba_
        return raw.map_blocks(
            lambda block: class_probabilities(loss, block, proba),
            dtype=np.float64,
            chunks=(raw.chunks[0], (len(self.classes_),)),
            new_axis=1 if raw.ndim == 1 else None,
        )

    # Its docstring repeats predict_proba's parameters on purpose (numpydoc).
    def predict(self, X):
        """Class labels, as a Dask array.

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        labels : Dask Array of shape (n_samples,)
            The class with the largest margin.
        """
        classes = self.classes_

        def labels(raw):
            index = (raw > 0).astype(int) if raw.ndim == 1 else raw.argmax(axis=1)
            return classes[index]

        raw = self.decision_function(X)
        return raw.map_blocks(
            labels, dtype=classes.dtype, drop_axis=None if raw.ndim == 1 else 1
        )

    def save_model(self, fname):
        """Save :meth:`to_local`'s model (see :meth:`FocalXGBClassifier.save_model`).

        Parameters
        ----------
        fname : str or os.PathLike
            The file.
        """
        self.to_local().save_model(fname)

    def load_model(self, fname):
        """Not supported: load the file into a :class:`FocalXGBClassifier`.

        Parameters
        ----------
        fname : str or os.PathLike
            The file.

        Raises
        ------
        NotImplementedError
            Always.
        """
        raise NotImplementedError(
            "DaskFocalXGBClassifier.load_model is not supported: load the file into "
            "skfocal.xgboost.FocalXGBClassifier (save_model writes to_local()'s "
            "model), or pickle the Dask estimator."
        )

    def to_local(self):
        """The fitted model as a :class:`FocalXGBClassifier` on this machine.

        Returns
        -------
        model : FocalXGBClassifier
            Same booster, classes, initial score and parameters.
        """
        return fitted_copy(self, self.get_booster())


def _margins(index, start):
    """The initial score for every row of ``index``, partitioned like it."""
    start = np.asarray(start, dtype=np.float64)
    if start.ndim == 0:
        return index.map_blocks(lambda b: np.full(len(b), float(start)), dtype=float)
    return index.map_blocks(
        lambda b: np.tile(start, (len(b), 1)),
        dtype=float,
        new_axis=1,
        chunks=(index.chunks[0], (len(start),)),
    )


def _class_weighted(index, weights, per_class, class_weight):
    """Sample weights times the class weights, partitioned like ``index``."""
    if class_weight is None:
        return weights
    class_weights = index.map_blocks(lambda b: per_class[b], dtype=np.float64)
    return class_weights if weights is None else class_weights * weights
