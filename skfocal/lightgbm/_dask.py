"""DaskFocalLGBMClassifier: FocalLGBMClassifier on Dask, through LightGBM's Dask API."""

import lightgbm as lgb
import numpy as np

from .._base import check_focal_parameters, fitted_loss
from .._boosting import refuse_init_scores
from .._dask import global_class_totals
from .._validation import class_weight_per_class
from ._checks import (
    BinaryObjectiveParams,
    check_boosting_type,
    refuse_objective,
    without_objective,
)
from ._classifier import FocalLGBMClassifier


class _DaskWorkerClassifier(FocalLGBMClassifier):
    """FocalLGBMClassifier as fitted on one Dask worker.

    Its classes and initial score come from all partitions, through attributes
    of a per-fit subclass (``DaskFocalLGBMClassifier.fit`` makes it), not from
    the rows this worker holds.
    """

    global_classes = None
    global_counts = None
    global_totals = None

    def _classes_of(self, y):
        local = np.unique(y)
        if not np.array_equal(local, self.global_classes):
            raise ValueError(
                f"A Dask worker holds rows of the classes {local.tolist()} only, of "
                f"{self.global_classes.tolist()}. LightGBM encodes labels on each "
                "worker, so every worker must see every class: shuffle or "
                "repartition the data."
            )
        return self.global_classes

    def _class_totals(self, y, classes, sample_weight):
        # The class weights are in this worker's sample weights already.
        return self.global_counts, self.global_totals


class DaskFocalLGBMClassifier(lgb.DaskLGBMClassifier):
    """:class:`FocalLGBMClassifier` on Dask collections, through LightGBM's Dask API.

    The initial score is computed from the global class totals (one reduction
    over the labels and weights), every worker trains on its partitions with
    :class:`FocalObjective`, and :meth:`predict_proba` returns a Dask array of
    probabilities (the initial score in the first trees, the posterior applied
    blockwise). ``class_weight`` is applied from the global class counts too
    ("balanced" on one worker's rows would differ between workers). Needs
    ``pip install "skfocal[dask]"``.

    Every worker must hold rows of every class: LightGBM encodes labels per
    worker. A clear error says so otherwise.

    Parameters
    ----------
    gamma, alpha, proba
        As in :class:`FocalLGBMClassifier`.
    client : distributed.Client, default=None
        The Dask client; ``distributed.default_client()`` when None.
    **kwargs
        LightGBM parameters, as in :class:`lightgbm.DaskLGBMClassifier`.

    Attributes
    ----------
    init_score_ : float or ndarray of shape (n_classes,)
        The constant raw score boosting started from.

    See Also
    --------
    FocalLGBMClassifier : The same on one machine; :meth:`to_local` converts.

    Examples
    --------
    >>> import dask.array as da
    >>> from distributed import Client, LocalCluster
    >>> from skfocal.lightgbm import DaskFocalLGBMClassifier
    >>> cluster = LocalCluster(n_workers=2, processes=False, dashboard_address=None)
    >>> client = Client(cluster)
    >>> rng = da.random.default_rng(0)
    >>> X = rng.random((4000, 5), chunks=(2000, 5))
    >>> y = (X[:, 0] + 0.2 * rng.random(4000, chunks=2000) > 0.9).astype(int)
    >>> clf = DaskFocalLGBMClassifier(gamma=2.0, n_estimators=20, verbose=-1)
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # LightGBM's network log
    ...     clf = clf.fit(X, y)
    >>> clf.predict_proba(X).compute()[:2].round(3)
    array([[0.118, 0.882],
           [0.98 , 0.02 ]])
    >>> client.close(); cluster.close()
    """

    def __init__(
        self,
        gamma=2.0,
        alpha=None,
        *,
        proba="posterior",
        boosting_type="gbdt",
        num_leaves=31,
        max_depth=-1,
        learning_rate=0.1,
        n_estimators=100,
        subsample_for_bin=200000,
        class_weight=None,
        min_split_gain=0.0,
        min_child_weight=1e-3,
        min_child_samples=20,
        subsample=1.0,
        subsample_freq=0,
        colsample_bytree=1.0,
        reg_alpha=0.0,
        reg_lambda=0.0,
        random_state=None,
        n_jobs=None,
        importance_type="split",
        client=None,
        **kwargs,
    ):
        # The signature repeats FocalLGBMClassifier's on purpose: scikit-learn reads
        # the parameters from it (LightGBM repeats its signatures the same way).
        refuse_objective(kwargs, self, TypeError)
        super().__init__(
            boosting_type=boosting_type,
            num_leaves=num_leaves,
            max_depth=max_depth,
            learning_rate=learning_rate,
            n_estimators=n_estimators,
            subsample_for_bin=subsample_for_bin,
            objective=None,
            class_weight=class_weight,
            min_split_gain=min_split_gain,
            min_child_weight=min_child_weight,
            min_child_samples=min_child_samples,
            subsample=subsample,
            subsample_freq=subsample_freq,
            colsample_bytree=colsample_bytree,
            reg_alpha=reg_alpha,
            reg_lambda=reg_lambda,
            random_state=random_state,
            n_jobs=n_jobs,
            importance_type=importance_type,
            client=client,
            **kwargs,
        )
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba

    # Same contract as FocalLGBMClassifier's (no objective parameter).
    def get_params(self, deep=True):
        return without_objective(super().get_params(deep=deep))

    def set_params(self, **params):
        refuse_objective(params, self, ValueError)
        return super().set_params(**params)

    get_params.__doc__ = FocalLGBMClassifier.get_params.__doc__
    set_params.__doc__ = FocalLGBMClassifier.set_params.__doc__

    def fit(
        self,
        X,
        y,
        sample_weight=None,
        init_score=None,
        eval_set=None,
        eval_names=None,
        eval_sample_weight=None,
        eval_class_weight=None,
        eval_init_score=None,
        eval_metric=None,
        **kwargs,
    ):
        """Fit on Dask collections (arrays or dataframes partitioned like ``X``).

        Parameters
        ----------
        X : Dask Array or Dask DataFrame of shape (n_samples, n_features)
            Training data.
        y : Dask Array or Dask Series of shape (n_samples,)
            Class labels, partitioned like ``X``.
        sample_weight : Dask Array or Dask Series of shape (n_samples,), default=None
            Sample weights, partitioned like ``X``.
        init_score, eval_init_score : None
            Not accepted (computed from the global class totals).
        eval_set, eval_names, eval_sample_weight, eval_class_weight, eval_metric
            As in :meth:`lightgbm.DaskLGBMClassifier.fit`; :class:`FocalMetric`
            is evaluated on eval sets.
        **kwargs
            Passed to each worker's :meth:`FocalLGBMClassifier.fit`.

        Returns
        -------
        self : DaskFocalLGBMClassifier
            The fitted estimator.
        """
        name = type(self).__name__
        check_focal_parameters(self)
        refuse_init_scores(init_score, eval_init_score, name)
        # The local fit's target and eval-set checks, on global reductions.
        classes, _, counts, totals = global_class_totals(
            X, y, sample_weight, name, eval_set, eval_sample_weight
        )
        # As on one machine: LightGBM's "balanced" comes from row counts.
        per_class = class_weight_per_class(self.class_weight, classes, counts)
        # Fail here, not on every worker: alpha against the classes, and the
        # binary objective's parameters.
        fitted_loss(self.gamma, self.alpha, classes)
        check_boosting_type(self.get_params())
        BinaryObjectiveParams(self.get_params(), len(classes), counts)
        if self.class_weight is not None:
            sample_weight = _reweighted(y, sample_weight, classes, per_class)
        # The workers take the initial score and LightGBM's class-count based
        # parameters from these global totals, not from their own rows.
        worker = type(
            "_FocalDaskWorker",
            (_DaskWorkerClassifier,),
            {
                "global_classes": classes,
                "global_counts": counts,
                "global_totals": totals * per_class,
            },
        )
        class_weight, self.class_weight = self.class_weight, None  # in sample_weight
        try:
            self._lgb_dask_fit(
                model_factory=worker,
                X=X,
                y=y,
                sample_weight=sample_weight,
                eval_set=eval_set,
                eval_names=eval_names,
                eval_sample_weight=eval_sample_weight,
                eval_class_weight=eval_class_weight,
                eval_metric=eval_metric,
                **kwargs,
            )
        finally:
            self.class_weight = class_weight
        return self

    def to_local(self):
        """The fitted model as a :class:`FocalLGBMClassifier` on this machine.

        Returns
        -------
        model : FocalLGBMClassifier
            Same trees, initial score and parameters (without the client).
        """
        return self._lgb_dask_to_local(FocalLGBMClassifier)


def _reweighted(y, sample_weight, classes, per_class):
    """Sample weights times the class weights, partitioned like ``y``."""

    def weigh(block):
        return per_class[np.searchsorted(classes, np.asarray(block))]

    if hasattr(y, "map_partitions"):
        class_weights = y.map_partitions(
            lambda part: part.__class__(weigh(part), index=part.index),
            meta=(y.name, "f8"),
        )
    else:
        class_weights = y.map_blocks(weigh, dtype=np.float64)
    return class_weights if sample_weight is None else class_weights * sample_weight
