"""Focal loss for LightGBM: objective, metric and a scikit-learn classifier.

This is the only skfocal module that imports :mod:`lightgbm`. The pieces fix what
published focal objectives for LightGBM leave to the user (``DESIGN.md`` §4):

- :class:`FocalObjective` returns the gradient and the positive curvature of
  :class:`skfocal.FocalLoss` (a Newton step on the exact, possibly negative,
  Hessian goes uphill), honours sample weights in both LightGBM APIs and
  provides the optimal initial score, which LightGBM does not compute for custom
  objectives;
- :class:`FocalMetric` evaluates the focal loss on the raw scores LightGBM hands
  to metrics of custom objectives (its built-in logloss would be wrong there);
- :class:`FocalLGBMClassifier` puts both together: initial score in, initial
  score added back at predict time, probabilities out.
"""

import warnings
from numbers import Real

import lightgbm as lgb
import numpy as np
from sklearn.utils import assert_all_finite as sk_assert_all_finite
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    _get_feature_names,
    column_or_1d,
)

from ._loss import FocalLoss, class_probabilities
from ._validation import (
    alpha_per_class,
    assert_all_finite,
    check_alpha,
    check_labels,
    check_n_threads,
    check_sample_weight,
    check_seen_labels,
    check_weight_sum,
    class_weight_per_class,
)

__all__ = [
    "DaskFocalLGBMClassifier",
    "FocalLGBMClassifier",
    "FocalMetric",
    "FocalObjective",
]

# Built-in metrics that rank samples by their raw score: still right on the raw
# scores of a custom objective. Every other built-in metric assumes probabilities.
RANK_METRICS = frozenset({"auc", "average_precision", "auc_mu"})
_NO_METRIC = frozenset({"None", "none", "null", "custom", "na", ""})


class _Validated:
    """A validated float64 copy of the last array seen, recomputed only for a new one.

    LightGBM hands the objective and the metric the same label and weight arrays
    at every boosting round; they are checked once, not once per round.
    """

    def __init__(self, check):
        self._check = check
        self._source = self._key = self._value = None

    def __call__(self, source, key):
        if source is not self._source or key != self._key:
            self._value = self._check(source, *key)
            self._source, self._key = source, key
        return self._value

    def __getstate__(self):
        return {"_check": self._check}

    def __setstate__(self, state):
        self.__init__(state["_check"])


def _explain_missing_num_class(labels, raw, error):
    """Say what to add when LightGBM trains one score per row on K > 2 classes."""
    if raw.ndim != 1 or labels.dtype.kind not in "biuf":
        return
    top = np.nanmax(labels, initial=0)
    if top >= 2 and top == np.floor(top) and np.nanmin(labels, initial=0) >= 0:
        n_classes = int(top) + 1
        raise ValueError(
            f"{error} LightGBM passed one raw score per row (a binary model), but "
            f"the labels go up to {int(top)}: for a multiclass model add "
            f"'num_class': {n_classes} to the parameters of lgb.train (and pass "
            f"FocalObjective.init_score(y, n_classes={n_classes}) as the Dataset's "
            "init_score)."
        ) from error


def _check_weight(weight, n_samples):
    return None if weight is None else check_sample_weight(weight, n_samples)


def _total_weight(sw):
    return check_weight_sum(sw.sum())


class _FocalCallable:
    """Shared parts of the objective and the metric: loss, argument forms, checks."""

    def __init__(self, gamma=2.0, alpha=None, n_threads=1):
        self.gamma = gamma
        self.alpha = alpha
        self.n_threads = check_n_threads(n_threads)
        self._loss = FocalLoss(gamma=gamma, alpha=alpha)
        self._labels = _Validated(check_labels)
        self._weights = _Validated(_check_weight)

    def __repr__(self):
        alpha = (
            self.alpha.tolist() if isinstance(self.alpha, np.ndarray) else self.alpha
        )
        threads = "" if self.n_threads == 1 else f", n_threads={self.n_threads}"
        return f"{type(self).__name__}(gamma={self.gamma!r}, alpha={alpha!r}{threads})"

    def _arguments(self, first, second, weight):
        """``(labels, raw, weight)`` from either LightGBM calling convention."""
        if isinstance(second, lgb.Dataset):  # lgb.train: (preds, train_data)
            raw, labels, weight = first, second.get_label(), second.get_weight()
        else:  # LGBMClassifier: (y_true, y_pred, weight)
            labels, raw = first, second
        raw = np.asarray(raw)
        labels = np.asarray(labels)
        n_samples = labels.shape[0]
        if (
            raw.ndim not in (1, 2)
            or raw.shape[0] != n_samples
            or (raw.ndim == 2 and raw.shape[1] < 2)
        ):
            raise ValueError(
                f"LightGBM passed raw scores of shape {raw.shape} for {n_samples} "
                "labels; expected (n_samples,) for a binary objective or "
                "(n_samples, num_class) for multiclass (LightGBM >= 4 passes 2-d "
                "scores; a flat array of n_samples * num_class is not accepted)."
            )
        if raw.dtype != np.float64 or not raw.flags.c_contiguous:
            raw = np.ascontiguousarray(raw, dtype=np.float64)
        assert_all_finite(raw, "raw scores")
        n_classes = 2 if raw.ndim == 1 else raw.shape[1]
        try:
            y = self._labels(labels, (n_samples, n_classes))
        except ValueError as exc:
            _explain_missing_num_class(labels, raw, exc)
            raise
        sw = self._weights(weight, (n_samples,))
        return y, raw, sw, n_classes

    def init_score(self, y, sample_weight=None, n_classes=None):
        """Per-row initial scores for ``lgb.Dataset(init_score=...)``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Class indices in {0, ..., K - 1} (LightGBM's labels).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        n_classes : int, default=None
            LightGBM's ``num_class`` (2 for binary); ``max(y) + 1`` when None.

        Returns
        -------
        init_score : ndarray of shape (n_samples,) or (n_samples, K)
            The optimal constant raw score (:meth:`skfocal.FocalLoss.init_score`)
            repeated for every row; 2-d for more than two classes.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal.lightgbm import FocalObjective
        >>> y = np.r_[np.ones(1), np.zeros(99)]
        >>> FocalObjective(gamma=2.0).init_score(y)[:3].round(6)
        array([-1.706453, -1.706453, -1.706453])
        """
        y = np.asarray(y)
        score = self._loss.init_score(y, sample_weight, n_classes)
        return (
            np.tile(score, (y.shape[0], 1))
            if np.ndim(score)
            else np.full(y.shape[0], score)
        )


class FocalObjective(_FocalCallable):
    r"""Focal loss as a LightGBM custom objective (gradient and positive curvature).

    Usable in both LightGBM APIs:

    - ``lgb.train(params={"objective": FocalObjective(...)}, ...)``, called as
      ``(preds, train_data)``: labels and weights come from the Dataset;
    - ``lgb.LGBMClassifier(objective=FocalObjective(...))``, called as
      ``(y_true, y_pred, weight)``, so sample (and class) weights are honoured.

    Binary models get raw scores of shape (n,), multiclass models (n, K) and
    return gradients and Hessians of the same shape. The Hessian is the positive
    curvature of :meth:`skfocal.FocalLoss.gradient_hessian`; for K classes it is
    multiplied by K / (K - 1), the factor LightGBM's own ``multiclass`` objective
    applies (Friedman's damping of the K trees fitted at once on a redundant
    softmax), so that ``gamma=0`` reproduces the built-in objective.

    LightGBM does not compute an initial score for custom objectives: pass
    :meth:`init_score` to the Dataset (and add it back to ``predict`` output),
    or use :class:`FocalLGBMClassifier`, which does both. With more than two
    classes set ``num_class`` in the parameters of ``lgb.train``; the
    documentation's LightGBM page has recipes for multiclass models and
    ``lgb.cv``.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (num_class,), default=None
        Class weights: a float in (0, 1) weights class 1 of a binary problem
        (class 0 gets ``1 - alpha``); an array gives one weight per class.
    n_threads : int, default=1
        Threads for the gradient and curvature (used from 100,000 rows on);
        FocalLGBMClassifier passes LightGBM's own thread count.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalMetric, FocalObjective
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> train = lgb.Dataset(X, y, init_score=objective.init_score(y))
    >>> params = {"objective": objective, "metric": "None", "verbose": -1}
    >>> booster = lgb.train(params, train, num_boost_round=20)
    >>> raw = booster.predict(X[:3], raw_score=True) + objective.init_score(y)[:3]
    >>> raw.round(2)
    array([-1.68,  0.6 , -1.68])
    """

    def __call__(self, y_true, y_pred, weight=None):
        """Gradient and curvature; see the class docstring for the two call forms.

        Parameters
        ----------
        y_true : ndarray of shape (n_samples,) or ndarray of raw scores
            Labels (scikit-learn API) or the raw scores (``lgb.train``).
        y_pred : ndarray of raw scores or lightgbm.Dataset
            Raw scores (scikit-learn API) or the training Dataset (``lgb.train``).
        weight : ndarray of shape (n_samples,), default=None
            Sample weights (scikit-learn API).

        Returns
        -------
        grad : float32 ndarray of the raw scores' shape
            First derivatives (computed in float64; float32 and column-major as
            LightGBM stores them, so that it takes them without a copy).
        hess : float32 ndarray of the raw scores' shape
            Positive curvature; for softmax with K classes times K / (K - 1).
        """
        y, raw, sw, n_classes = self._arguments(y_true, y_pred, weight)
        # LightGBM keeps gradients as float32, class by class: output in that type
        # and (column-major) order lets it take them without converting or copying.
        grad = np.empty(raw.shape, dtype=np.float32, order="F")
        hess = np.empty(raw.shape, dtype=np.float32, order="F")
        cw = self._loss.class_weights(n_classes)
        # LightGBM's multiclass factor is applied inside the kernel's pass.
        options = (
            {} if raw.ndim == 1 else {"hessian_scale": n_classes / (n_classes - 1)}
        )
        self._loss._run(
            "gradient_hessian", y, raw, sw, cw, grad, hess, n_threads=self.n_threads,
            **options,
        )  # fmt: skip
        return grad, hess


class FocalMetric(_FocalCallable):
    """Mean focal loss of raw scores, as a LightGBM evaluation metric.

    With a custom objective LightGBM gives metrics raw scores (including the
    Dataset's ``init_score``); this maps them through the link and returns the
    (weighted) mean focal loss: ``("focal_loss", value, False)``, lower is
    better. Usable as ``feval`` in ``lgb.train`` and as ``eval_metric`` in
    ``LGBMClassifier.fit``.

    :class:`FocalLGBMClassifier` evaluates the focal loss of its own ``gamma``
    and ``alpha`` on every eval set by itself, as ``"focal_loss"``. A
    ``FocalMetric`` passed to its ``fit`` as ``eval_metric`` is reported once:
    one of the model's own loss is that same ``"focal_loss"``, one of another
    loss is reported under a name that gives its parameters, such as
    ``"focal_loss(gamma=0)"``.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (num_class,), default=None
        Class weights, as in :class:`FocalObjective`.
    n_threads : int, default=1
        Threads for the loss (used from 100,000 rows on).

    Examples
    --------
    >>> import numpy as np
    >>> from skfocal.lightgbm import FocalMetric
    >>> name, value, higher_is_better = FocalMetric(gamma=0.0)([0, 1], np.zeros(2))
    >>> name, round(value, 6), higher_is_better
    ('focal_loss', 0.693147, False)
    """

    def __init__(self, gamma=2.0, alpha=None, n_threads=1):
        super().__init__(gamma, alpha, n_threads)
        # The total weight divides every evaluation: summed (and checked > 0) once
        # per weight array, like the labels.
        self._total_weight = _Validated(_total_weight)

    def __call__(self, y_true, y_pred, weight=None):
        """Evaluate; see the class docstring for the two call forms.

        Parameters
        ----------
        y_true : ndarray of shape (n_samples,) or ndarray of raw scores
            Labels (scikit-learn API) or the raw scores (``lgb.train``).
        y_pred : ndarray of raw scores or lightgbm.Dataset
            Raw scores (scikit-learn API) or the evaluated Dataset (``lgb.train``).
        weight : ndarray of shape (n_samples,), default=None
            Sample weights (scikit-learn API).

        Returns
        -------
        name : str
            ``"focal_loss"``.
        value : float
            Weighted mean focal loss.
        is_higher_better : bool
            False.
        """
        y, raw, sw, n_classes = self._arguments(y_true, y_pred, weight)
        loss = np.empty(raw.shape[0])
        cw = self._loss.class_weights(n_classes)
        self._loss._run("loss", y, raw, sw, cw, loss, n_threads=self.n_threads)
        total_weight = raw.shape[0] if sw is None else self._total_weight(sw, ())
        return "focal_loss", float(loss.sum() / total_weight), False


class _RenamedMetric:
    """A user's :class:`FocalMetric` of another loss, reported under its own name.

    LightGBM keys its results by metric name: two metrics both named
    ``"focal_loss"`` would mix their values under one key (and break early
    stopping), so a focal metric of another ``gamma``/``alpha`` than the
    model's gets a name that gives its parameters.
    """

    def __init__(self, metric, name):
        self.metric = metric
        self.name = name

    # Three parameters: LightGBM passes (y_true, y_pred, weight) by their count.
    def __call__(self, y_true, y_pred, weight=None):
        _, value, is_higher_better = self.metric(y_true, y_pred, weight)
        return self.name, value, is_higher_better


def _metric_name(metric, model_metric, n_classes):
    """``"focal_loss"`` for the model's own loss, else one that gives the params."""
    loss, own = metric._loss, model_metric._loss
    same_alpha = np.array_equal(
        loss.class_weights(n_classes), own.class_weights(n_classes)
    )
    if loss.gamma == own.gamma and same_alpha:
        return "focal_loss"
    params = f"gamma={loss.gamma:g}"
    if not same_alpha:
        alpha = (
            loss.alpha.tolist() if isinstance(loss.alpha, np.ndarray) else loss.alpha
        )
        params += f", alpha={alpha}"
    return f"focal_loss({params})"


def _with_model_metric(model_metric, callables, n_classes):
    """The model's focal metric, then the user's callables, each focal loss once."""
    metrics, names = [model_metric], {"focal_loss"}
    for metric in callables:
        if isinstance(metric, FocalMetric):
            name = _metric_name(metric, model_metric, n_classes)
            if name in names:
                continue  # the same loss is evaluated already
            names.add(name)
            metric = _RenamedMetric(metric, name)
        metrics.append(metric)
    return metrics


def _check_builtin_metrics(metrics, source):
    """Keep the rank-based built-in metrics; refuse the ones wrong on raw scores."""
    if metrics is None:
        return []
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    wrong = [
        m for m in metrics if isinstance(m, str) and m not in RANK_METRICS | _NO_METRIC
    ]
    if wrong:
        raise ValueError(
            f"{source} asks for LightGBM's built-in metric(s) {wrong}, which assume "
            "probabilities; with the focal objective LightGBM evaluates them on raw "
            "scores and reports wrong numbers. Use the rank-based "
            f"{sorted(RANK_METRICS)} or skfocal.lightgbm.FocalMetric (added "
            "automatically for eval sets)."
        )
    return [m for m in metrics if not (isinstance(m, str) and m in _NO_METRIC)]


def _eval_sets(eval_set, eval_X, eval_y):
    """Validation sets as a list of (X, y), from either LightGBM spelling."""
    if eval_X is not None or eval_y is not None:
        if eval_set is not None:
            raise ValueError("Specify either eval_set or eval_X and eval_y, not both.")
        if (eval_X is None) or (eval_y is None):
            raise ValueError("eval_X and eval_y must be given together.")
        if isinstance(eval_X, tuple) != isinstance(eval_y, tuple):
            raise ValueError("eval_X and eval_y must both be tuples or both not.")
        pairs = (
            zip(eval_X, eval_y, strict=True)
            if isinstance(eval_X, tuple)
            else [(eval_X, eval_y)]
        )
        return list(pairs)
    return [eval_set] if isinstance(eval_set, tuple) else eval_set


def _objective_aliases():
    return set(lgb.basic._ConfigAliases.get("objective"))


def _check_focal_params(estimator):
    """Check gamma, alpha and proba; return gamma."""
    name = type(estimator).__name__
    try:
        gamma = FocalLoss(gamma=estimator.gamma).gamma
        if not isinstance(estimator.alpha, dict):  # a dict is checked with classes_
            check_alpha(estimator.alpha)
    except InvalidParameterError as exc:
        raise InvalidParameterError(f"{exc} (in {name})") from None
    if estimator.proba not in ("posterior", "model"):
        raise InvalidParameterError(
            f"The 'proba' parameter of {name} must be a str among "
            f"{{'model', 'posterior'}}. Got {estimator.proba!r} instead."
        )
    return gamma


class _BinaryObjectiveParams:
    """LightGBM's parameters of its own ``binary`` objective, for the focal one.

    With a callable objective LightGBM ignores them without a word. The focal
    estimators honour them as LightGBM's ``binary`` objective does, so that
    ``gamma=0`` reproduces ``LGBMClassifier`` with the same setting:

    - ``is_unbalance`` and ``scale_pos_weight`` weight the two classes in the
      gradients and Hessians (``is_unbalance`` by the ratio of the row counts,
      on the smaller class), on top of sample and class weights and ``alpha``;
      like LightGBM, not in the initial score and not in the metric;
    - ``boost_from_average=False`` starts boosting from 0;
    - ``sigmoid`` other than 1 is refused: the focal link is the plain sigmoid.

    LightGBM's ``multiclass`` objective ignores ``is_unbalance`` and
    ``scale_pos_weight``; with more than two classes they are refused.

    Parameters
    ----------
    params : dict
        The estimator's ``get_params()``, aliases included.
    n_classes : int
        Number of classes.
    counts : ndarray of shape (n_classes,)
        Rows per class (``is_unbalance`` counts rows, not weights).
    """

    def __init__(self, params, n_classes, counts):
        def value(name, default):  # None: not set, as LightGBM drops it
            found = lgb.basic._choose_param_value(name, dict(params), None)[name]
            return default if found is None else found

        is_unbalance = _as_bool(value("is_unbalance", False), "is_unbalance")
        scale_pos_weight = value("scale_pos_weight", 1.0)
        self.boost_from_average = _as_bool(
            value("boost_from_average", True), "boost_from_average"
        )
        _check_positive(scale_pos_weight, "scale_pos_weight")
        sigmoid = value("sigmoid", 1.0)
        _check_positive(sigmoid, "sigmoid")
        if sigmoid != 1.0:
            raise ValueError(
                "sigmoid must be 1.0 (the default): the focal loss is defined on the "
                f"logistic link, got sigmoid={sigmoid!r}."
            )
        if is_unbalance and float(scale_pos_weight) != 1.0:
            raise ValueError(
                "Cannot set is_unbalance and scale_pos_weight at the same time (as "
                "in LightGBM's binary objective)."
            )
        self.label_weights = np.ones(n_classes)
        if (is_unbalance or float(scale_pos_weight) != 1.0) and n_classes > 2:
            raise ValueError(
                "is_unbalance and scale_pos_weight weight the classes of a binary "
                f"problem, but there are {n_classes} classes (LightGBM's multiclass "
                "objective would ignore them). Use class_weight or alpha instead."
            )
        if is_unbalance and np.all(counts > 0):
            # LightGBM: the smaller class gets weight larger / smaller.
            self.label_weights[np.argmin(counts)] = counts.max() / counts.min()
        if n_classes == 2:
            self.label_weights[1] *= float(scale_pos_weight)

    def objective_alpha(self, loss, n_classes):
        """``alpha`` of the objective: the loss's, times the label weights."""
        if np.all(self.label_weights == 1.0):
            return loss.alpha
        return loss.class_weights(n_classes) * self.label_weights

    def initial_score(self, loss, totals):
        """The optimal constant score of ``loss``, or 0 without boost_from_average."""
        score = loss._init_score_from_totals(totals)
        return score if self.boost_from_average else np.zeros_like(score)


def _as_bool(value, name):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"{name} must be True or False, got {value!r}.")


def _check_positive(value, name):
    number = value if isinstance(value, Real) and not isinstance(value, bool) else None
    if number is None or not (np.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}.")


def _refuse_objective(names, estimator, error):
    """An objective (or an alias of it) given to a focal estimator is an error.

    Such an estimator always trains with the focal loss; taking the parameter
    and ignoring it would let a user believe another objective is on.
    """
    clash = sorted(set(names) & _objective_aliases())
    if clash:
        raise error(
            f"{type(estimator).__name__} has no parameter {clash[0]!r}: it always "
            "trains with the focal loss. Use lightgbm.LGBMClassifier for other "
            "objectives (or objective=skfocal.lightgbm.FocalObjective(...) in it)."
        )


def _without_objective(params):
    """LightGBM reports its parents' ``objective``; a focal estimator has none."""
    params.pop("objective", None)
    return params


def _check_eval_sets(eval_set, eval_sample_weight, X):
    """Check what LightGBM takes from eval sets without a word.

    LightGBM evaluates an eval set with another number of features than the
    training data, or DataFrame columns of other names (it goes by position),
    and turns NaN eval weights into 0; refuse these up front, and warn where
    one frame has column names and the other has none, as scikit-learn does at
    predict time.
    """
    train_shape = np.shape(X)
    train_names = _get_feature_names(X)
    for i, (valid_X, valid_y) in enumerate(eval_set):
        shape = np.shape(valid_X)
        if len(shape) == len(train_shape) == 2 and shape[1] != train_shape[1]:
            raise ValueError(
                f"X of eval_set[{i}] has {shape[1]} features, but the training X "
                f"has {train_shape[1]} features."
            )
        _check_eval_feature_names(train_names, _get_feature_names(valid_X), i)
        weight = lgb.sklearn._extract_evaluation_meta_data(
            collection=eval_sample_weight, name="eval_sample_weight", i=i
        )
        check_sample_weight(
            weight, len(valid_y), name=f"eval_sample_weight[{i}]", positive_sum=True
        )


def _check_eval_feature_names(train_names, names, i):
    """scikit-learn's feature-name rules at predict time, for ``eval_set[i]``."""
    if train_names is None and names is None:
        return
    if train_names is None or names is None:
        has, lacks = (
            ("eval_set", "the training X")
            if train_names is None
            else ("the training X", "eval_set")
        )
        warnings.warn(
            f"X of eval_set[{i}] and the training X differ in having feature names: "
            f"{has} has them, {lacks} does not. LightGBM matches columns by "
            "position; make sure they are in the same order.",
            UserWarning,
            stacklevel=4,
        )
        return
    if len(names) == len(train_names) and np.array_equal(names, train_names):
        return
    unseen = [name for name in names if name not in set(train_names)]
    missing = [name for name in train_names if name not in set(names)]
    detail = (
        f"unseen at fit: {unseen[:5]}; missing: {missing[:5]}"
        if unseen or missing
        else "the same names in another order"
    )
    raise ValueError(
        f"The feature names of X in eval_set[{i}] differ from those of the training "
        f"X ({detail}). LightGBM matches columns by position, so it would evaluate "
        "the wrong features: select the training columns, in their order, e.g. "
        "X_valid[X_train.columns]."
    )


def _refuse_init_scores(init_score, eval_init_score, name):
    if init_score is not None or eval_init_score is not None:
        raise ValueError(
            f"{name} computes the optimal initial score itself and adds it back at "
            "predict time; init_score and eval_init_score are not accepted. Use "
            "lightgbm.LGBMClassifier with skfocal.lightgbm.FocalObjective for custom "
            "initial scores."
        )


class FocalLGBMClassifier(lgb.LGBMClassifier):
    """LightGBM classifier trained with the focal loss, with real probabilities.

    A :class:`lightgbm.LGBMClassifier` whose objective is :class:`FocalObjective`
    and which does what LightGBM leaves undone for custom objectives: it starts
    boosting from the optimal constant score (:meth:`skfocal.FocalLoss.init_score`,
    from the weighted class totals) and adds it back at predict time;
    :meth:`predict_proba` returns probabilities (the focal distortion undone by
    default) and :meth:`predict` class labels; LightGBM's built-in metrics that
    would be wrong on raw scores are switched off, and :class:`FocalMetric` is
    evaluated on eval sets (so early stopping works on it).

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0 (0 is LightGBM's ``binary`` /
        ``multiclass`` objective).
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss: a float in (0, 1) weights
        ``classes_[1]`` of a binary problem (``classes_[0]`` gets ``1 - alpha``);
        an array gives one positive weight per class in the order of
        ``classes_``; a dict maps every class label to its weight.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns: the recovered class probabilities
        (:meth:`skfocal.FocalLoss.posterior`) or the sigmoid/softmax of the raw
        score. Same arg-max; equal at ``gamma=0``.
    boosting_type, num_leaves, max_depth, learning_rate, n_estimators, \
subsample_for_bin, class_weight, min_split_gain, min_child_weight, \
min_child_samples, subsample, subsample_freq, colsample_bytree, reg_alpha, \
reg_lambda, random_state, n_jobs, importance_type, **kwargs
        As in :class:`lightgbm.LGBMClassifier`; there is no ``objective`` (always
        the focal loss). ``feature_pre_filter`` defaults to False: with a custom
        objective LightGBM's pre-filter can drop every feature of a small data
        set. LightGBM's ``is_unbalance``, ``scale_pos_weight`` and
        ``boost_from_average`` act as in its ``binary`` objective (see the
        LightGBM page of the documentation).

    Attributes
    ----------
    init_score_ : float or ndarray of shape (n_classes,)
        The constant raw score boosting started from (added to every prediction).
    loss_ : FocalLoss
        The loss the trees were fitted with (``gamma``, and ``alpha`` in the
        order of ``classes_``); predictions use it, so that a ``gamma`` set with
        ``set_params`` takes effect only when the model is refitted.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit, which :meth:`predict_proba` follows.
    classes_, booster_, n_features_in_, feature_importances_, best_iteration_, \
evals_result_
        As in :class:`lightgbm.LGBMClassifier`.

    See Also
    --------
    FocalObjective, FocalMetric : The pieces, for ``lgb.train``.
    skfocal.FocalLossClassifier : A linear model with the same loss.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalLGBMClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = FocalLGBMClassifier(gamma=2.0, n_estimators=50, verbose=-1).fit(X, y)
    >>> clf.predict(X[:5])
    array([0, 1, 0, 0, 0])
    >>> clf.predict_proba(X[:2]).round(3)
    array([[0.999, 0.001],
           [0.006, 0.994]])
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
        **kwargs,
    ):
        _refuse_objective(kwargs, self, TypeError)
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
            **kwargs,
        )
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba

    def get_params(self, deep=True):
        """Get the parameters of this estimator (LightGBM's, without ``objective``).

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return _without_objective(super().get_params(deep=deep))

    def set_params(self, **params):
        """Set the parameters of this estimator; ``objective`` is refused.

        Parameters
        ----------
        **params
            Parameter names with their new values.

        Returns
        -------
        self : FocalLGBMClassifier
            The estimator.
        """
        _refuse_objective(params, self, ValueError)
        return super().set_params(**params)

    def _process_params(self, stage):
        # LGBMClassifier.fit resets the objective it does not know; put ours back.
        if stage == "fit":
            self._objective = self._focal_objective
        params = super()._process_params(stage)
        # Ours, not LightGBM's (LightGBM's own 'alpha' is the Huber/quantile one).
        for name in ("gamma", "alpha", "proba"):
            params.pop(name, None)
        for alias in lgb.basic._ConfigAliases.get("metric"):
            params.pop(alias, None)
        params["metric"] = self._builtin_metrics or "None"
        if not lgb.basic._ConfigAliases.get("feature_pre_filter") & set(params):
            params["feature_pre_filter"] = False
        return params

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
        feature_name="auto",
        categorical_feature="auto",
        callbacks=None,
        init_model=None,
        *,
        eval_X=None,
        eval_y=None,
    ):
        """Fit the boosted trees, starting from the optimal constant score.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (honoured by the objective and the initial score).
        init_score : None
            Not accepted: the initial score is computed from the data.
        eval_set : list of (X, y) tuples, default=None
            Validation sets; the focal loss of the model (:class:`FocalMetric`
            with its ``gamma`` and ``alpha``, named ``"focal_loss"``) is
            evaluated on them, so early stopping works on it. ``eval_X`` and
            ``eval_y`` (LightGBM >= 4.7 spelling) work too. DataFrames must have
            the training frame's column names, in its order.
        eval_names, eval_sample_weight, eval_class_weight : list, default=None
            As in :meth:`lightgbm.LGBMClassifier.fit`.
        eval_init_score : None
            Not accepted: eval sets start from the same initial score.
        eval_metric : str, callable or list, default=None
            Extra metrics; built-in ones must be rank-based (``auc``,
            ``average_precision``, ``auc_mu``), the others would be computed on raw
            scores. A :class:`FocalMetric` of the model's own loss is not
            evaluated twice; one of another ``gamma`` or ``alpha`` is reported as
            ``"focal_loss(gamma=...)"``. The metrics come in LightGBM's order
            (``evals_result_`` keeps it): built-in metrics first, then
            ``"focal_loss"``, then the other callables. So
            ``lgb.early_stopping(..., first_metric_only=True)`` stops on the
            focal loss when ``eval_metric`` names no built-in metric, and on the
            first built-in one otherwise (as ``LGBMClassifier`` stops on a
            built-in ``eval_metric`` before its default ``binary_logloss``).
        feature_name, categorical_feature, callbacks, init_model
            As in :meth:`lightgbm.LGBMClassifier.fit`.
        eval_X, eval_y : array-like or tuple of array-likes, default=None
            Validation sets in LightGBM 4.7's spelling; same as ``eval_set``.

        Returns
        -------
        self : FocalLGBMClassifier
            The fitted estimator.
        """
        gamma = _check_focal_params(self)
        _refuse_init_scores(init_score, eval_init_score, type(self).__name__)
        y_array = column_or_1d(y, warn=True)
        if y_array.shape[0] == 0:
            raise ValueError(
                "Found array with 0 sample(s) while a minimum of 1 is required."
            )
        if y_array.dtype.kind in "fc":
            sk_assert_all_finite(y_array, input_name="y")
        check_classification_targets(y_array)
        classes = self._classes_of(y_array)
        alpha = alpha_per_class(self.alpha, classes)
        counts, totals = self._class_totals(y_array, classes, sample_weight)
        binary = _BinaryObjectiveParams(self.get_params(), len(classes), counts)
        # Predictions follow what fit used, not parameters set after it.
        self.loss_, self.proba_ = FocalLoss(gamma, alpha), self.proba
        self.init_score_ = binary.initial_score(self.loss_, totals)
        # The objective computes with as many threads as LightGBM trains with.
        params = lgb.basic._choose_param_value("num_threads", self.get_params(), None)
        n_threads = max(1, self._process_n_jobs(params["num_threads"] or self.n_jobs))
        self._focal_objective = FocalObjective(
            gamma, binary.objective_alpha(self.loss_, len(classes)), n_threads
        )

        metrics = (
            []
            if eval_metric is None
            else (list(eval_metric) if isinstance(eval_metric, list) else [eval_metric])
        )
        self._builtin_metrics = _check_builtin_metrics(
            [m for m in metrics if isinstance(m, str)], "eval_metric"
        ) + _check_builtin_metrics(
            lgb.basic._choose_param_value("metric", self.get_params(), None)["metric"],
            "The metric parameter",
        )
        callables = [m for m in metrics if callable(m)]
        eval_set = _eval_sets(eval_set, eval_X, eval_y)
        if eval_set is not None:
            _check_eval_sets(eval_set, eval_sample_weight, X)
            callables = _with_model_metric(
                FocalMetric(gamma, alpha, n_threads), callables, len(classes)
            )
            eval_init_score = [self._rows(len(valid_y)) for _, valid_y in eval_set]
        with warnings.catch_warnings():
            # LightGBM 4.7 deprecates eval_set for eval_X/eval_y, but only eval_set
            # has its labels encoded by LGBMClassifier.
            warnings.filterwarnings("ignore", message=".*'eval_set' is deprecated")
            super().fit(
                X,
                y,
                sample_weight=sample_weight,
                init_score=self._rows(len(y_array)),
                eval_set=eval_set,
                eval_names=eval_names,
                eval_sample_weight=eval_sample_weight,
                eval_class_weight=eval_class_weight,
                eval_init_score=eval_init_score,
                eval_metric=callables or None,
                feature_name=feature_name,
                categorical_feature=categorical_feature,
                callbacks=callbacks,
                init_model=init_model,
            )
        return self

    def _classes_of(self, y):
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the "
                f"data, but the data contains only one class: {classes[0]!r}."
            )
        return classes

    def _class_totals(self, y, classes, sample_weight):
        """Row counts and total weight (sample x class weights) of each class."""
        weight = _check_sample_weight(
            sample_weight, y, dtype=np.float64, ensure_non_negative=True
        )
        index = np.searchsorted(classes, y)
        counts = np.bincount(index, minlength=len(classes))
        totals = np.bincount(index, weights=weight, minlength=len(classes))
        # LightGBM's class_weight: "balanced" from row counts, times sample weights.
        return counts, totals * class_weight_per_class(
            self.class_weight, classes, counts
        )

    def _rows(self, n_rows):
        """The initial score repeated for ``n_rows`` rows, in LightGBM's layout."""
        if np.ndim(self.init_score_):
            return np.tile(self.init_score_, (n_rows, 1))
        return np.full(n_rows, self.init_score_)

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples,)
            True labels; all of them must be in ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy of :meth:`predict`.

        Raises
        ------
        ValueError
            If ``y`` holds a label not seen during fit.
        """
        y = check_seen_labels(y, self.classes_, type(self).__name__)
        return super().score(X, y, sample_weight=sample_weight)

    def decision_function(self, X, start_iteration=0, num_iteration=None, **kwargs):
        """Raw scores of the model, initial score included.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        start_iteration, num_iteration : int
            Iterations to use, as in :meth:`lightgbm.LGBMClassifier.predict`
            (by default the best iteration of early stopping, else all).
        **kwargs
            Other prediction parameters passed to LightGBM.

        Returns
        -------
        raw : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Logit of ``classes_[1]`` for binary problems, softmax scores otherwise.
        """
        raw = lgb.LGBMModel.predict(
            self,
            X,
            raw_score=True,
            start_iteration=start_iteration,
            num_iteration=num_iteration,
            **kwargs,
        )
        return raw + self.init_score_

    def predict_proba(
        self,
        X,
        raw_score=False,
        start_iteration=0,
        num_iteration=None,
        pred_leaf=False,
        pred_contrib=False,
        **kwargs,
    ):
        """Class probabilities (or, on request, LightGBM's other outputs).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        raw_score : bool, default=False
            Return :meth:`decision_function` instead.
        start_iteration, num_iteration : int
            Iterations to use, as in :meth:`lightgbm.LGBMClassifier.predict`.
        pred_leaf, pred_contrib : bool, default=False
            Return LightGBM's leaf indices or feature contributions (these do not
            include the initial score).
        **kwargs
            Other prediction parameters passed to LightGBM.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns in the order of ``classes_``.
        """
        if pred_leaf or pred_contrib:
            return lgb.LGBMModel.predict(
                self,
                X,
                start_iteration=start_iteration,
                num_iteration=num_iteration,
                pred_leaf=pred_leaf,
                pred_contrib=pred_contrib,
                **kwargs,
            )
        raw = self.decision_function(X, start_iteration, num_iteration, **kwargs)
        if raw_score:
            return raw
        return class_probabilities(self.loss_, raw, self.proba_)

    def predict(
        self,
        X,
        raw_score=False,
        start_iteration=0,
        num_iteration=None,
        pred_leaf=False,
        pred_contrib=False,
        **kwargs,
    ):
        """Class labels (or, on request, LightGBM's other outputs).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        raw_score, start_iteration, num_iteration, pred_leaf, pred_contrib, **kwargs
            As in :meth:`predict_proba`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The class with the largest raw score.
        """
        if raw_score or pred_leaf or pred_contrib:
            return self.predict_proba(
                X,
                raw_score,
                start_iteration,
                num_iteration,
                pred_leaf,
                pred_contrib,
                **kwargs,
            )
        raw = self.decision_function(X, start_iteration, num_iteration, **kwargs)
        index = (raw > 0).astype(int) if raw.ndim == 1 else raw.argmax(axis=1)
        return self.classes_[index]


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
    probabilities (the initial score added back, the posterior transform applied
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
        _refuse_objective(kwargs, self, TypeError)
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
        return _without_objective(super().get_params(deep=deep))

    def set_params(self, **params):
        _refuse_objective(params, self, ValueError)
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
        import dask
        import dask.array as da

        _check_focal_params(self)
        _refuse_init_scores(init_score, eval_init_score, type(self).__name__)
        labels = _as_dask_array(y)
        classes = np.unique(np.asarray(da.unique(labels).compute()))
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the "
                f"data, but the data contains only one class: {classes[0]!r}."
            )
        index = labels.map_blocks(
            lambda block: np.searchsorted(classes, block), dtype=np.intp
        )
        weights = None if sample_weight is None else _as_dask_array(sample_weight)
        # Row counts and weighted totals per class, in one pass over the data.
        counts, totals = dask.compute(
            da.bincount(index, minlength=len(classes)),
            da.bincount(index, weights=weights, minlength=len(classes)),
        )
        # As on one machine: LightGBM's "balanced" comes from row counts.
        per_class = class_weight_per_class(self.class_weight, classes, counts)
        # Fail here, not on every worker: alpha against the classes, and the
        # binary objective's parameters.
        alpha_per_class(self.alpha, classes)
        _BinaryObjectiveParams(self.get_params(), len(classes), counts)
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


def _as_dask_array(collection):
    """A Dask array view of a Dask array, Series or single-column DataFrame."""
    if hasattr(collection, "to_dask_array"):
        return collection.to_dask_array(lengths=True).ravel()
    return collection


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
