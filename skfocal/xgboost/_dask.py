"""DaskFocalXGBClassifier: FocalXGBClassifier on Dask, through XGBoost's Dask API."""

from xgboost import XGBModel
from xgboost import dask as dxgb

from .._frontend import FocalBoosterMixin, fit_booster, with_library_signature
from ._adapter import DaskXGBoostAdapter
from ._checks import FOCAL_PARAMS, refuse_objective, without_objective
from ._classifier import FocalXGBClassifier, fitted_copy


class DaskFocalXGBClassifier(FocalBoosterMixin, dxgb.DaskXGBClassifier):
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

    _adapter = DaskXGBoostAdapter()

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
        return fit_booster(
            self, X, y, sample_weight, eval_set=eval_set,
            eval_sample_weight=sample_weight_eval_set,
            init_scores=(base_margin, base_margin_eval_set), init_model=xgb_model,
            verbose=verbose, feature_weights=feature_weights,
        )  # fmt: skip

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


with_library_signature(DaskFocalXGBClassifier, XGBModel, dxgb.DaskXGBClassifier)
