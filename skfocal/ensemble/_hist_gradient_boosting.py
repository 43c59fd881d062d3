"""FocalHistGradientBoostingClassifier: scikit-learn's HGB with the focal loss."""

from .._base import (
    FOCAL_PARAMETER_CONSTRAINTS,
    FocalClassifierMixin,
    check_two_classes,
    fitted_loss,
)
from .._frontend import SearchSpec
from .._validation import check_fit_sample_weight
from ._compat import HistGradientBoostingClassifier
from ._loss import HistFocalLoss


class FocalHistGradientBoostingClassifier(
    FocalClassifierMixin, HistGradientBoostingClassifier
):
    """scikit-learn's histogram gradient boosting trained with the focal loss.

    A :class:`~sklearn.ensemble.HistGradientBoostingClassifier` whose loss is
    :class:`skfocal.FocalLoss`: its gradient and positive curvature grow the
    trees, boosting starts from the optimal constant score
    (:meth:`skfocal.FocalLoss.init_score`), early stopping with
    ``scoring="loss"`` monitors the focal loss, and :meth:`predict_proba`
    returns probabilities with the focal distortion undone (by default).
    Everything else is scikit-learn's: native categorical features, missing
    values, monotonic and interaction constraints, early stopping,
    ``warm_start``, ``staged_*`` methods.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0; 0 is
        ``HistGradientBoostingClassifier``'s ``log_loss``.
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss: a float in (0, 1) weights
        ``classes_[1]`` of a binary problem (``classes_[0]`` gets ``1 - alpha``);
        an array gives one positive weight per class in the order of
        ``classes_``; a dict maps every class label to its weight.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` (and so the early-stopping scorers other
        than ``"loss"``) returns: the recovered class probabilities
        (:meth:`skfocal.FocalLoss.posterior`) or the sigmoid/softmax of the raw
        score. Same arg-max; equal at ``gamma=0``.
    learning_rate, max_iter, max_leaf_nodes, max_depth, min_samples_leaf, \
l2_regularization, max_features, max_bins, categorical_features, \
monotonic_cst, interaction_cst, warm_start, early_stopping, scoring, \
validation_fraction, n_iter_no_change, tol, verbose, random_state, class_weight
        As in :class:`~sklearn.ensemble.HistGradientBoostingClassifier`, with
        the same defaults; there is no ``loss`` (always the focal loss).
        ``scoring="loss"`` is the focal loss of ``gamma`` and ``alpha``.
        ``class_weight`` multiplies the sample weights (a weight per row), while
        ``alpha`` weights the classes inside the loss. With ``warm_start``, the
        trees added must be fitted with the same ``gamma`` and ``alpha``.

    Attributes
    ----------
    init_score_ : float or ndarray of shape (n_classes,)
        The constant raw score boosting started from (scikit-learn's baseline
        prediction), optimal for the focal loss.
    loss_ : FocalLoss
        The loss the trees were fitted with (``gamma``, and ``alpha`` in the
        order of ``classes_``); predictions use it, so that a ``gamma`` set with
        ``set_params`` takes effect only when the model is refitted.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit, which :meth:`predict_proba` follows.
    classes_, do_early_stopping_, n_iter_, n_trees_per_iteration_, \
train_score_, validation_score_, is_categorical_, n_features_in_, \
feature_names_in_
        As in :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.

    See Also
    --------
    skfocal.lightgbm.FocalLGBMClassifier : The same loss in LightGBM.
    skfocal.FocalLossClassifier : A linear model with the same loss.

    Notes
    -----
    The methods are :class:`~sklearn.ensemble.HistGradientBoostingClassifier`'s:
    ``fit`` (with ``X_val``, ``y_val`` where the installed scikit-learn has
    them), ``decision_function`` (raw scores), ``predict_proba`` (the
    probabilities ``proba_`` names), ``predict`` (the class of the largest raw
    score), and their ``staged_*`` forms; :meth:`score` counts labels unseen in
    training as wrong.

    scikit-learn accepts a custom loss object in this estimator as a private
    API; the scikit-learn versions skfocal supports are tested.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.ensemble import FocalHistGradientBoostingClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = FocalHistGradientBoostingClassifier(gamma=2.0, max_iter=50).fit(X, y)
    >>> clf.predict(X[:5])
    array([0, 1, 0, 0, 0])
    >>> clf.predict_proba(X[:2]).round(2)
    array([[1.  , 0.  ],
           [0.01, 0.99]])
    """

    _search_spec = SearchSpec(
        "max_iter", early_stopping={"early_stopping": False}, held_out="staged"
    )
    _parameter_constraints = {
        **{
            name: constraint
            for name, constraint in HistGradientBoostingClassifier._parameter_constraints.items()  # noqa: E501
            if name != "loss"
        },
        **FOCAL_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        gamma=2.0,
        alpha=None,
        *,
        proba="posterior",
        learning_rate=0.1,
        max_iter=100,
        max_leaf_nodes=31,
        max_depth=None,
        min_samples_leaf=20,
        l2_regularization=0.0,
        max_features=1.0,
        max_bins=255,
        categorical_features="from_dtype",
        monotonic_cst=None,
        interaction_cst=None,
        warm_start=False,
        early_stopping="auto",
        scoring="loss",
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-7,
        verbose=0,
        random_state=None,
        class_weight=None,
    ):
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.max_features = max_features
        self.max_bins = max_bins
        self.categorical_features = categorical_features
        self.monotonic_cst = monotonic_cst
        self.interaction_cst = interaction_cst
        self.warm_start = warm_start
        self.early_stopping = early_stopping
        self.scoring = scoring
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.class_weight = class_weight

    @property
    def loss(self):
        """Always ``"focal"``: ``gamma`` and ``alpha`` set the loss (read-only).

        HistGradientBoostingClassifier's ``fit`` reads it, and builds the loss
        object with ``_get_loss`` for a string.
        """
        return "focal"

    @property
    def loss_(self):
        return self._loss.focal

    @property
    def proba_(self):
        return self._loss.proba

    @property
    def init_score_(self):
        start = self._baseline_prediction.ravel()
        return float(start[0]) if self.n_trees_per_iteration_ == 1 else start.copy()

    def _encode_y(self, y):
        encoded = super()._encode_y(y)
        check_two_classes(self.classes_, type(self).__name__)
        return encoded

    def _get_loss(self, sample_weight):
        # Called with HGB's checked sample weights, class weights multiplied in;
        # HGB lets negative ones through, and all-zero ones before scikit-learn 1.7.
        if sample_weight is not None:
            check_fit_sample_weight(sample_weight, sample_weight)
        name = type(self).__name__
        focal = fitted_loss(self.gamma, self.alpha, self.classes_)
        if self.warm_start and self._is_fitted():
            fitted = self._loss.focal
            if (fitted.gamma, repr(fitted.alpha)) != (focal.gamma, repr(focal.alpha)):
                raise ValueError(
                    f"{name} with warm_start=True adds trees to a model fitted with "
                    f"{fitted!r}, but gamma and alpha now give {focal!r}: trees of "
                    "two losses would make neither's probabilities. Set "
                    "warm_start=False to refit, or restore gamma and alpha."
                )
        return HistFocalLoss(focal, self.classes_, self.proba, name)
