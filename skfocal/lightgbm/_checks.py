"""LightGBM's parameters as the focal estimators read them.

The rules for the parameters LightGBM would take silently from a focal
estimator: other objectives, boosting modes and metrics wrong for it, and the
parameters of its own ``binary`` objective. LightGBM's private helpers come
from ``_compat``.
"""

from numbers import Real

import numpy as np

from ._compat import _choose_param_value, _ConfigAliases

# Built-in metrics that rank samples by their raw score: still right on the raw
# scores of a custom objective. Every other built-in metric assumes probabilities.
RANK_METRICS = frozenset({"auc", "average_precision", "auc_mu"})
_NO_METRIC = frozenset({"None", "none", "null", "custom", "na", ""})


def aliases(name):
    """LightGBM's name ``name`` and all its aliases."""
    return set(_ConfigAliases.get(name))


def param_value(params, name, default):
    """The value of LightGBM parameter ``name`` under any alias; None is unset."""
    found = _choose_param_value(name, dict(params), None)[name]
    return default if found is None else found


def thread_count(estimator):
    """The threads LightGBM trains with, as its scikit-learn API resolves them."""
    n_jobs = (
        param_value(estimator.get_params(), "num_threads", None) or estimator.n_jobs
    )
    return max(1, estimator._process_n_jobs(n_jobs))


def training_feature_names(estimator):
    """The training DataFrame's column names, or None for data without names.

    LightGBM >= 4.7 knows (a private flag); before, ``feature_names_in_`` is
    ``Column_0, Column_1, ...`` for arrays too, which then means no names.
    """
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        return None
    with_names = getattr(estimator, "_fitted_with_feature_names", None)
    if with_names is None:  # LightGBM < 4.7
        with_names = list(names) != [f"Column_{i}" for i in range(len(names))]
    return names if with_names else None


def check_boosting_type(params):
    """Refuse the boosting modes a focal model cannot train right.

    LightGBM's random forest mode takes no initial score. Its DART drops and
    rescales trees, the first one too, which for a built-in objective carries
    the start score and for a focal model does not (the start would never be
    dropped: ``gamma=0`` would not be LightGBM's DART); and with any callable
    objective LightGBM's DART is not reproducible (the same call with
    ``deterministic=True`` gives another model now and then).
    """
    boosting = param_value(params, "boosting", "gbdt")
    if boosting in ("rf", "random_forest"):
        raise ValueError(
            "boosting_type='rf' is not supported: LightGBM's random forest mode "
            "refuses an initial score, and every tree of a focal forest needs one. "
            "Use 'gbdt' or 'goss'."
        )
    if boosting == "dart":
        raise ValueError(
            "boosting_type='dart' is not supported: LightGBM's DART with a callable "
            "objective is not reproducible (the same fit, deterministic=True, gives "
            "another model now and then), and it drops the trees that hold the "
            "start score of its own objectives, which a focal model keeps. Use "
            "'gbdt' or 'goss'."
        )


def training_params(params, builtin_metrics):
    """LightGBM's parameters without the focal ones, with the metrics to evaluate.

    ``gamma``, ``alpha`` and ``proba`` are ours (LightGBM's own ``alpha`` is the
    Huber/quantile one); the metric is set to the rank-based built-ins asked for
    or switched off; ``feature_pre_filter`` defaults to False, since with a
    custom objective LightGBM's pre-filter can drop every feature of small data.
    """
    for name in ("gamma", "alpha", "proba", *aliases("metric")):
        params.pop(name, None)
    params["metric"] = builtin_metrics or "None"
    if not aliases("feature_pre_filter") & set(params):
        params["feature_pre_filter"] = False
    return params


def check_builtin_metrics(metrics, source):
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


def refuse_objective(names, estimator, error):
    """An objective (or an alias of it) given to a focal estimator is an error.

    Such an estimator always trains with the focal loss; taking the parameter
    and ignoring it would let a user believe another objective is on.
    """
    clash = sorted(set(names) & aliases("objective"))
    if clash:
        raise error(
            f"{type(estimator).__name__} has no parameter {clash[0]!r}: it always "
            "trains with the focal loss. Use lightgbm.LGBMClassifier for other "
            "objectives (or objective=skfocal.lightgbm.FocalObjective(...) in it)."
        )


def without_objective(params):
    """LightGBM reports its parents' ``objective``; a focal estimator has none."""
    params.pop("objective", None)
    return params


class BinaryObjectiveParams:
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
        def value(name, default):
            return param_value(params, name, default)

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
