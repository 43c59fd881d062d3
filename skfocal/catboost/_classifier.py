"""FocalCatBoostClassifier: CatBoost trained with the focal loss, by composition."""

from numbers import Integral, Real

import catboost
import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .._base import FOCAL_PARAMETER_CONSTRAINTS
from .._compat import Interval, Options, StrOptions, _fit_context
from .._frontend import FocalBoosterMixin, SearchSpec, fit_booster
from ._adapter import ADAPTER

# The estimator's own parameters that are CatBoost's, by CatBoost's name.
CATBOOST_PARAMS = (
    "iterations", "learning_rate", "depth", "l2_leaf_reg", "border_count",
    "random_strength", "bagging_temperature", "subsample", "rsm",
    "leaf_estimation_iterations", "leaf_estimation_method",
    "early_stopping_rounds", "random_seed", "thread_count",
)  # fmt: skip

# What `params` may not set: the focal loss's own, and the estimator's
# parameters under CatBoost's other names.
_REFUSED = {
    "loss_function": "the loss is the focal loss: set gamma and alpha",
    "objective": "the loss is the focal loss: set gamma and alpha",
    "class_weights": "use class_weight (or alpha inside the focal loss)",
    "auto_class_weights": "use class_weight='balanced'",
    "scale_pos_weight": "use class_weight (or alpha inside the focal loss)",
    "boost_from_average": "the start is the focal loss's optimal constant score",
    "classes_count": "the classes come from y",
    "class_names": "the classes come from y",
    "cat_features": "use the estimator's cat_features",
    "n_estimators": "use iterations", "num_boost_round": "use iterations",
    "num_trees": "use iterations", "eta": "use learning_rate",
    "max_depth": "use depth", "reg_lambda": "use l2_leaf_reg",
    "max_bin": "use border_count", "random_state": "use random_seed",
    "n_jobs": "use thread_count", "verbose_eval": "use verbose",
    "silent": "use verbose", "logging_level": "use verbose",
}  # fmt: skip


class FocalCatBoostClassifier(FocalBoosterMixin, ClassifierMixin, BaseEstimator):
    """CatBoost classifier trained with the focal loss, with real probabilities.

    A scikit-learn estimator that trains a :class:`catboost.CatBoost` model
    (``booster_``) with :class:`FocalObjective` and :class:`FocalMetric`. It
    starts boosting from the optimal constant score
    (:meth:`skfocal.FocalLoss.init_score` of the weighted class totals) and
    keeps it in the model's bias, so that the saved CatBoost model alone is
    the model; :meth:`predict_proba` returns probabilities (the focal
    distortion undone by default), :meth:`predict` labels of any type. It
    wraps CatBoost rather than subclassing ``CatBoostClassifier``, whose
    scikit-learn behaviour it would inherit: every scikit-learn estimator
    check passes.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0 (0 is ``Logloss`` /
        ``MultiClass``: see the CatBoost page of the documentation for the
        parameters under which they agree).
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss: a float in (0, 1) weights
        ``classes_[1]`` of a binary problem; an array one weight per class in
        the order of ``classes_``; a dict maps every label to its weight.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns: the recovered class probabilities
        or the sigmoid/softmax of the raw scores.
    class_weight : dict, "balanced" or None, default=None
        Multiplied into the sample weights, as in scikit-learn ("balanced"
        from the weighted class totals).
    iterations, learning_rate, depth, l2_leaf_reg, border_count, \
random_strength, bagging_temperature, subsample, rsm, \
leaf_estimation_iterations, leaf_estimation_method, random_seed : \
default=None
        CatBoost's parameters of those names; None leaves CatBoost's default
        for a user-defined objective (1,000 iterations, learning rate 0.03,
        depth 6, one Newton step per leaf, seed 0: deterministic).
    early_stopping_rounds : int, default=None
        With ``eval_set``: stop when the first eval set's metric (the focal
        loss) has not improved for this many iterations; the model keeps its
        best iteration (CatBoost's ``use_best_model``).
    cat_features : list of int or str, or None, default=None
        Categorical columns, by position or name. None: the columns of a
        DataFrame that hold neither numbers nor booleans (``category``,
        ``object``, strings).
    thread_count : int, default=None
        CatBoost's threads (-1: every CPU). None: every CPU for two classes,
        one for more. CatBoost calls a multiclass objective once per row, each
        call taking Python's global lock: a second thread waits for it and
        costs more than it gains (measured: 3x slower with two threads).
    verbose : bool or int, default=False
        CatBoost's progress output (an int: every that many iterations).
    params : dict, default=None
        CatBoost's other parameters (``one_hot_max_size``, ``bootstrap_type``,
        ``grow_policy``, ``eval_metric``, ...), by CatBoost's names. Not the
        loss, class weights or the start, nor other names of the parameters
        above. ``allow_writing_files`` is False unless set here.

    Attributes
    ----------
    booster_ : catboost.CatBoost
        The trained model, the initial score in its bias: its
        ``RawFormulaVal`` is :meth:`decision_function`.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_classes_ : int
        Their number.
    init_score_ : float or ndarray of shape (n_classes,)
        The constant raw score boosting started from.
    loss_ : FocalLoss
        The loss the trees were fitted with; predictions use it.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Their names, when ``X`` had string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.catboost import FocalCatBoostClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = FocalCatBoostClassifier(gamma=2.0, iterations=50, depth=4).fit(X, y)
    >>> clf.predict(X[:5])
    array([0, 1, 0, 0, 0])
    >>> clf.predict_proba(X[:1]).shape
    (1, 2)
    """

    _adapter = ADAPTER
    _search_spec = SearchSpec(
        "iterations", "thread_count", early_stopping={"early_stopping_rounds": None},
        held_out="staged",
    )  # fmt: skip
    _parameter_constraints = {
        **FOCAL_PARAMETER_CONSTRAINTS,
        "class_weight": [None, dict, StrOptions({"balanced"})],
        "iterations": [None, Interval(Integral, 1, None, closed="left")],
        "learning_rate": [None, Interval(Real, 0, None, closed="neither")],
        "depth": [None, Interval(Integral, 1, 16, closed="both")],
        "l2_leaf_reg": [None, Interval(Real, 0, None, closed="left")],
        "border_count": [None, Interval(Integral, 1, 65535, closed="both")],
        "random_strength": [None, Interval(Real, 0, None, closed="left")],
        "bagging_temperature": [None, Interval(Real, 0, None, closed="left")],
        "subsample": [None, Interval(Real, 0, 1, closed="right")],
        "rsm": [None, Interval(Real, 0, 1, closed="right")],
        "leaf_estimation_iterations": [None, Interval(Integral, 1, None,
                                                      closed="left")],
        "leaf_estimation_method": [None, StrOptions({"Newton", "Gradient"})],
        "early_stopping_rounds": [None, Interval(Integral, 1, None, closed="left")],
        "cat_features": [None, "array-like"],
        "random_seed": [None, Interval(Integral, 0, None, closed="left")],
        "thread_count": [
            None,
            Options(Integral, {-1}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "verbose": ["boolean", Interval(Integral, 0, None, closed="left")],
        "params": [None, dict],
    }  # fmt: skip

    def __init__(
        self, gamma=2.0, alpha=None, *, proba="posterior", class_weight=None,
        iterations=None, learning_rate=None, depth=None, l2_leaf_reg=None,
        border_count=None, random_strength=None, bagging_temperature=None,
        subsample=None, rsm=None, leaf_estimation_iterations=None,
        leaf_estimation_method=None, early_stopping_rounds=None,
        cat_features=None, random_seed=None, thread_count=None, verbose=False,
        params=None,
    ):  # fmt: skip
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba
        self.class_weight = class_weight
        self.iterations = iterations
        self.learning_rate = learning_rate
        self.depth = depth
        self.l2_leaf_reg = l2_leaf_reg
        self.border_count = border_count
        self.random_strength = random_strength
        self.bagging_temperature = bagging_temperature
        self.subsample = subsample
        self.rsm = rsm
        self.leaf_estimation_iterations = leaf_estimation_iterations
        self.leaf_estimation_method = leaf_estimation_method
        self.early_stopping_rounds = early_stopping_rounds
        self.cat_features = cat_features
        self.random_seed = random_seed
        self.thread_count = thread_count
        self.verbose = verbose
        self.params = params

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # CatBoost's missing values
        tags.input_tags.sparse = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_label = False
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, eval_set=None,
            eval_sample_weight=None, init_model=None):  # fmt: skip
        """Fit the boosted trees, starting from the optimal constant score.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data; NaN is CatBoost's missing value. Categorical columns
            (see ``cat_features``) may hold strings.
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (honoured by the objective and the initial score).
        eval_set : list of (X, y) tuples, default=None
            Validation sets, their labels among the training ones; the focal
            loss of the model is evaluated on them (with
            ``early_stopping_rounds``, early stopping on the first). As in
            CatBoost, the model keeps its best iteration on the first unless
            ``params={"use_best_model": False}``.
        eval_sample_weight : list of arrays, default=None
            Their weights.
        init_model : FocalCatBoostClassifier or catboost.CatBoost, default=None
            A fitted model to continue training from, its start in its raw
            scores (a FocalCatBoostClassifier's, or a CatBoost model after
            :func:`fold_init_score`); the continued model keeps its bias.

        Returns
        -------
        self : FocalCatBoostClassifier
            The fitted estimator.
        """
        self._check_params()
        X = self._checked_X(X, reset=True, fitted=False)
        check_consistent_length(X, y)
        if eval_set is not None:
            eval_set = [
                (self._checked_X(v, reset=False, fitted=False), w) for v, w in eval_set
            ]
        if init_model is not None and not isinstance(
            init_model, (FocalCatBoostClassifier, catboost.CatBoost)
        ):
            raise TypeError(
                "init_model is a fitted FocalCatBoostClassifier or catboost.CatBoost "
                f"model, got {type(init_model).__name__}."
            )
        return fit_booster(
            self, X, y, sample_weight, eval_set=eval_set,
            eval_sample_weight=eval_sample_weight, init_model=init_model,
        )  # fmt: skip

    def _check_params(self):
        for name in self.params or {}:
            if name in _REFUSED or name in CATBOOST_PARAMS or name == "verbose":
                reason = _REFUSED.get(name, f"use the estimator's {name}")
                raise ValueError(
                    f"{type(self).__name__}'s params cannot set {name!r}: {reason}."
                )

    def _catboost_params(self, fit):
        """CatBoost's parameters for the fit that :func:`fit_booster` prepared."""
        params = {"allow_writing_files": False, "eval_metric": fit.metric}
        params.update(self.params or {})
        params.update({name: getattr(self, name) for name in CATBOOST_PARAMS
                       if getattr(self, name) is not None})  # fmt: skip
        params["loss_function"] = fit.objective
        params["verbose"] = self.verbose
        if len(fit.classes) > 2:
            params["classes_count"] = len(fit.classes)
            if self.thread_count is None:  # one Python call per row: one thread
                params["thread_count"] = 1
        return params

    def _checked_X(self, X, *, reset, fitted=True):
        """``X`` checked as scikit-learn checks it; DataFrames keep their columns.

        ``fitted``: ``X`` of a prediction (False for fit's data and eval sets).
        """
        if fitted:
            check_is_fitted(self)
        if hasattr(X, "dtypes") and hasattr(X, "columns"):
            validate_data(self, X, skip_check_array=True, reset=reset)
            if X.shape[0] == 0:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a "
                    "minimum of 1 is required."
                )
            return X
        # Categorical columns hold strings: declared, or found in a fitted frame.
        numeric = self.cat_features is None and not (
            fitted and self.booster_.get_cat_feature_indices()
        )
        X = validate_data(
            self, X, reset=reset, accept_sparse="csr", accept_large_sparse=False,
            dtype="numeric" if numeric else None,
            ensure_all_finite="allow-nan" if numeric else False,
        )  # fmt: skip
        # CatBoost reads scipy's sparse matrices, not its sparse arrays.
        return scipy.sparse.csr_matrix(X) if scipy.sparse.issparse(X) else X

    def _categorical_columns(self, X):
        if self.cat_features is not None:
            return list(self.cat_features)
        if hasattr(X, "dtypes"):
            # Not numbers or booleans: categories, strings, objects.
            return [i for i, dtype in enumerate(X.dtypes)
                    if getattr(dtype, "kind", "O") not in "biuf"]  # fmt: skip
        return None

    def staged_decision_function(self, X):
        """Raw scores after each iteration, the initial score included.

        CatBoost's staged prediction adds one iteration's trees per step, so
        all the stages cost about as much as one :meth:`decision_function`.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Yields
        ------
        raw : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The raw scores of the first 1, 2, ... iterations, float64.

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from skfocal.catboost import FocalCatBoostClassifier
        >>> X, y = make_classification(n_samples=200, random_state=0)
        >>> clf = FocalCatBoostClassifier(iterations=5).fit(X, y)
        >>> raw = list(clf.staged_decision_function(X[:3]))
        >>> len(raw), bool((raw[-1] == clf.decision_function(X[:3])).all())
        (5, True)
        """
        X = self._checked_X(X, reset=False)
        for raw in self.booster_.staged_predict(
            X, prediction_type="RawFormulaVal", eval_period=1
        ):
            yield np.asarray(raw, dtype=np.float64)

    @property
    def best_iteration_(self):
        """The best iteration on the eval set (None without one), as CatBoost's."""
        check_is_fitted(self)
        return self.booster_.get_best_iteration()

    @property
    def evals_result_(self):
        """The metrics of every iteration, per data set, as CatBoost records them."""
        check_is_fitted(self)
        return self.booster_.get_evals_result()

    @property
    def feature_importances_(self):
        """CatBoost's feature importances (``PredictionValuesChange``)."""
        check_is_fitted(self)
        return np.asarray(self.booster_.get_feature_importance())
