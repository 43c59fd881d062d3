"""FocalXGBClassifier: XGBoost's scikit-learn classifier with the focal loss."""

import os

import numpy as np
import xgboost as xgb

from .._fitted_state import fitted_state, set_fitted_state
from .._frontend import (
    FocalBoosterMixin,
    SearchSpec,
    fit_booster,
    with_library_signature,
)
from ._adapter import ADAPTER
from ._checks import FOCAL_PARAMS, refuse_objective, without_objective
from ._persistence import restore_fitted_state, save_focal_model


class FocalXGBClassifier(FocalBoosterMixin, xgb.XGBClassifier):
    """XGBoost classifier trained with the focal loss, with real probabilities.

    An :class:`xgboost.XGBClassifier` whose objective is :class:`FocalObjective`
    and which does what XGBoost leaves undone for custom objectives: it starts
    boosting from the optimal constant score (:meth:`skfocal.FocalLoss.init_score`
    of the weighted class totals) and keeps it in the booster's intercept
    (``base_score``), so that the saved booster alone is the model;
    :meth:`predict_proba` returns probabilities (the focal distortion undone by
    default) and :meth:`predict` the labels, of any type; :class:`FocalMetric`
    is evaluated on eval sets (early stopping works on it).

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0 (0 is XGBoost's
        ``binary:logistic`` / ``multi:softprob``; with ``scale_pos_weight`` the
        start score differs: see the XGBoost page of the documentation).
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss: a float in (0, 1) weights
        ``classes_[1]`` of a binary problem; an array one weight per class in
        the order of ``classes_``; a dict maps every label to its weight.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns: the recovered class probabilities
        or the sigmoid/softmax of the margin.
    class_weight : dict, "balanced" or None, default=None
        Multiplied into the sample weights, as in scikit-learn ("balanced"
        from the weighted class totals).
    **kwargs
        XGBoost's parameters, as in :class:`xgboost.XGBClassifier`; there is no
        ``objective`` nor ``base_score``. ``scale_pos_weight`` weights the
        positive class of the gradients and Hessians, as in ``binary:logistic``.
        ``eval_metric``: None (the focal loss of the model on eval sets), a
        callable, or XGBoost's built-in metrics (computed on the sigmoid/softmax
        of the margins: the model's probabilities, not the posterior).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    init_score_ : float or ndarray of shape (n_classes,)
        The constant margin boosting started from, kept in the booster's
        ``base_score``.
    loss_ : FocalLoss
        The loss the trees were fitted with; predictions use it.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit.
    n_classes_, best_iteration, evals_result_
        As in :class:`xgboost.XGBClassifier`.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.xgboost import FocalXGBClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = FocalXGBClassifier(gamma=2.0, n_estimators=50, max_depth=3).fit(X, y)
    >>> clf.predict(X[:5])
    array([0, 1, 0, 0, 0])
    >>> clf.predict_proba(X[:1]).shape
    (1, 2)
    """

    _adapter = ADAPTER
    _search_spec = SearchSpec(
        "n_estimators", "n_jobs", early_stopping={"early_stopping_rounds": None},
        fit_kwargs={"verbose": False},
    )  # fmt: skip

    def __init__(
        self, gamma=2.0, alpha=None, *, proba="posterior", class_weight=None, **kwargs
    ):
        refuse_objective(kwargs, self, TypeError)
        super().__init__(objective=None, **kwargs)
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba
        self.class_weight = class_weight

    # get_params/set_params repeat FocalLGBMClassifier's on purpose: a shared mixin
    # would enter the get_params recursion LightGBM and XGBoost run over __bases__.
    def get_params(self, deep=True):
        """Get the parameters of this estimator (XGBoost's, without ``objective``).

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return without_objective(super().get_params(deep=deep))

    def set_params(self, **params):
        """Set the parameters of this estimator; ``objective`` is refused.

        Parameters
        ----------
        **params
            Parameter names with their new values.

        Returns
        -------
        self : FocalXGBClassifier
            The estimator.
        """
        refuse_objective(params, self, ValueError)
        return super().set_params(**params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = False  # one label per sample
        return tags

    def _wrapper_params(self):
        return super()._wrapper_params() | FOCAL_PARAMS

    @property
    def classes_(self):
        """The class labels (XGBoost's own indices while it fits)."""
        labels = self.__dict__.get("_labels")
        return np.arange(self.n_classes_) if labels is None else labels

    @classes_.setter
    def classes_(self, classes):
        self._labels = classes

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
        """Fit the boosted trees, starting from the optimal constant score.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data (NaN is XGBoost's missing value).
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (honoured by the objective and the initial score).
        base_margin, base_margin_eval_set : None
            Not accepted: the initial score is computed from the data.
        eval_set : list of (X, y) tuples, default=None
            Validation sets, their labels among the training ones; the focal loss
            of the model is evaluated on them unless ``eval_metric`` says
            otherwise (with ``early_stopping_rounds``, early stopping).
        verbose, xgb_model, sample_weight_eval_set, feature_weights
            As in :meth:`xgboost.XGBClassifier.fit`; ``xgb_model`` continues a
            model whose margins hold its own start (a FocalXGBClassifier's).

        Returns
        -------
        self : FocalXGBClassifier
            The fitted estimator.
        """
        return fit_booster(
            self, X, y, sample_weight, eval_set=eval_set,
            eval_sample_weight=sample_weight_eval_set,
            init_scores=(base_margin, base_margin_eval_set), init_model=xgb_model,
            verbose=verbose, feature_weights=feature_weights,
        )  # fmt: skip

    def save_model(self, fname):
        """Save the model in XGBoost's format, with what predictions need.

        The booster (its intercept the initial score) and, in its attribute
        ``skfocal``, the classes, ``gamma``, ``alpha`` and ``proba`` of the
        fit: :meth:`load_model` restores a model that predicts as this one.
        Plain XGBoost reads the file too (its margins are the model's).

        Parameters
        ----------
        fname : str or os.PathLike
            The file; ``.json`` or ``.ubj`` as in :meth:`xgboost.Booster.save_model`.
        """
        save_focal_model(self, super().save_model, fname)

    def load_model(self, fname):
        """Load a model saved by :meth:`save_model`, ready to predict.

        The fitted state (``classes_``, ``loss_``, ``proba_``,
        ``init_score_``) comes back with the booster; as in XGBoost, the
        hyper-parameters do not (``gamma`` and the others keep this
        estimator's values, for a later ``fit``).

        Parameters
        ----------
        fname : str, os.PathLike, bytearray
            What :meth:`save_model` wrote (or its bytes).

        Raises
        ------
        ValueError
            For a file that a focal estimator did not save (an
            ``XGBClassifier``'s lacks the labels and the loss).
        """
        super().load_model(fname)
        source = fname if isinstance(fname, (str, os.PathLike)) else "The model"
        restore_fitted_state(self, source)


def fitted_copy(estimator, booster):
    """A FocalXGBClassifier holding ``booster`` and ``estimator``'s fitted state.

    For the Dask estimator's ``to_local``: the booster through XGBoost's own
    ``load_model``, the labels and the loss as ``fit`` would have set them.
    """
    params = estimator.get_params()
    params.pop("client", None)
    model = FocalXGBClassifier(**params)
    xgb.XGBClassifier.load_model(model, bytearray(booster.save_raw("json")))
    model.objective = model.base_score = None  # set by load_model; not ours
    set_fitted_state(model, fitted_state(estimator))
    return model


with_library_signature(FocalXGBClassifier, xgb.XGBModel)
