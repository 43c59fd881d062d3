"""DaskFocalLGBMClassifier: FocalLGBMClassifier on Dask, through LightGBM's Dask API."""

import lightgbm as lgb
import numpy as np

from .._frontend import fit_booster, with_library_signature
from ._adapter import DaskLightGBMAdapter
from ._checks import refuse_objective, without_objective
from ._classifier import FocalLGBMClassifier


class _DaskWorkerClassifier(FocalLGBMClassifier):
    """FocalLGBMClassifier as fitted on one Dask worker.

    Its classes and initial score come from all partitions, through attributes
    of a per-fit subclass (``DaskLightGBMAdapter.train`` makes it), not from
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

    def _class_totals(self, labels, classes, sample_weight):
        # The class weights are in this worker's sample weights already.
        return self.global_counts, self.global_totals, sample_weight


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

    _adapter = DaskLightGBMAdapter()

    def __init__(self, gamma=2.0, alpha=None, *, proba="posterior", **kwargs):
        # LightGBM's parameters (client among them) come through **kwargs, as
        # in FocalLGBMClassifier.
        refuse_objective(kwargs, self, TypeError)
        super().__init__(objective=None, **kwargs)
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
        return fit_booster(
            self, X, y, sample_weight, eval_set=eval_set,
            eval_sample_weight=eval_sample_weight,
            init_scores=(init_score, eval_init_score),
            init_model=kwargs.pop("init_model", None), eval_names=eval_names,
            eval_class_weight=eval_class_weight, eval_metric=eval_metric, **kwargs,
        )  # fmt: skip

    def to_local(self):
        """The fitted model as a :class:`FocalLGBMClassifier` on this machine.

        Returns
        -------
        model : FocalLGBMClassifier
            Same trees, initial score and parameters (without the client).
        """
        return self._lgb_dask_to_local(FocalLGBMClassifier)


with_library_signature(DaskFocalLGBMClassifier, lgb.DaskLGBMClassifier)
