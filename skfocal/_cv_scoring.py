"""What the cross-validated focal estimators share: the gamma grid and the scorer.

``FocalLossClassifierCV`` and ``GammaSearchCV`` check ``gammas`` alike, score
every fold's held-out rows with a scorer that knows every class and takes the
sample weights, and compute the default ``neg_log_loss`` without the scorer's
input checks (which cost more than the score on small folds).
"""

import inspect
import math
import warnings

import numpy as np
from numba import njit
from sklearn.metrics import make_scorer

from ._compat import InvalidParameterError, _BaseScorer


def check_gammas(gammas, name):
    """The gammas as a float64 array: non-empty, finite reals >= 0."""
    try:
        values = np.asarray(gammas, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if (
        values is None
        or values.ndim != 1
        or values.size == 0
        or not np.all(np.isfinite(values))
        or np.any(values < 0)
    ):
        raise InvalidParameterError(
            f"The 'gammas' parameter of {name} must be a non-empty "
            f"1-d array-like of finite reals >= 0. Got {gammas!r} instead."
        )
    return values


def neg_log_loss(proba, index, sample_weight):
    """scikit-learn's ``neg_log_loss`` score of probabilities and class indices.

    What ``get_scorer("neg_log_loss")`` computes (probabilities clipped to
    ``[eps, 1 - eps]`` of their dtype, weighted mean), without its input checks
    and label encoding, which cost more than the score on small folds.
    """
    eps = np.finfo(proba.dtype).eps
    p = np.clip(proba[np.arange(len(index)), index], eps, 1 - eps)
    return float(np.average(np.log(p), weights=sample_weight))


def with_labels(scorer, classes):
    """A scorer that knows every class, when its metric takes ``labels``.

    A fold's test rows may lack a class (then ``log_loss`` and
    ``brier_score_loss`` cannot tell the columns apart), as
    ``LogisticRegressionCV`` does it: the metric gets ``labels=classes`` (and
    ``pos_label``, the last class, for a binary problem).
    """
    metric = getattr(scorer, "_score_func", None)
    if metric is None or not isinstance(scorer, _BaseScorer):
        return scorer
    parameters = inspect.signature(metric).parameters
    if "labels" not in parameters:
        return scorer
    kwargs = {"labels": classes, **scorer._kwargs}
    if len(classes) == 2 and "pos_label" in parameters:
        kwargs.setdefault("pos_label", classes[-1])
    return make_scorer(
        metric,
        greater_is_better=scorer._sign == 1,
        response_method=scorer._response_method,
        **kwargs,
    )


def weighted_scorer(scorer):
    """``scorer``, or, if it cannot take sample weights, a warning and a wrapper."""
    if isinstance(scorer, _BaseScorer) or _takes_sample_weight(scorer):
        return scorer
    warnings.warn(
        "The scoring callable takes no sample_weight: the folds are scored "
        "unweighted (the fits use the weights).",
        UserWarning,
        stacklevel=3,
    )
    return _UnweightedScorer(scorer)


def _takes_sample_weight(func):
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "sample_weight" or p.kind == p.VAR_KEYWORD for p in parameters)


class _UnweightedScorer:
    """A user's scorer without ``sample_weight``, called without it."""

    def __init__(self, scorer):
        self.scorer = scorer

    def __call__(self, estimator, X, y, sample_weight=None):
        return self.scorer(estimator, X, y)


def raw_neg_log_loss(loss, raw, index, sample_weight, proba):
    """:func:`neg_log_loss` of the probabilities ``proba`` makes of raw scores.

    A binary model's posterior is scored in one compiled pass (no probability
    array: a search scores every boosting iteration); otherwise through
    :func:`skfocal._base.class_probabilities`.
    """
    if raw.ndim == 1 and proba == "posterior":
        weight = np.ones(0) if sample_weight is None else sample_weight
        eps = np.finfo(np.float64).eps
        return _binary_posterior_log_score(raw, index, weight, loss.gamma, eps)
    from ._base import class_probabilities

    return neg_log_loss(class_probabilities(loss, raw, proba), index, sample_weight)


@njit(cache=True, nogil=True)
def _log_abs_dphi(x, e, log1p_e, gamma):
    """``L(x)`` of :mod:`skfocal._posterior` given ``e = exp(-|x|)``, ``log1p(e)``."""
    softplus_x = max(x, 0.0) + log1p_e
    softplus_minus_x = max(-x, 0.0) + log1p_e
    if x <= 0.0:
        t = e * softplus_minus_x  # exp(x) softplus(-x)
    elif e > 0.0:
        t = log1p_e / e
    else:
        t = 1.0
    return softplus_minus_x - gamma * softplus_x + math.log1p(gamma * t)


@njit(cache=True, nogil=True)
def _binary_posterior_log_score(raw, index, weight, gamma, eps):
    """Mean log of the clipped posterior probability of each row's class."""
    total = 0.0
    weights = 0.0
    log_eps, log_one_minus_eps = math.log(eps), math.log1p(-eps)
    for i in range(raw.shape[0]):
        # Beyond |x| = 1e4 the probabilities are 0 and 1 (as in the posterior).
        x = min(max(float(raw[i]), -1e4), 1e4)
        e = math.exp(-abs(x))
        log1p_e = math.log1p(e)
        score_1 = -_log_abs_dphi(x, e, log1p_e, gamma)
        score_0 = -_log_abs_dphi(-x, e, log1p_e, gamma)
        # log of the row's posterior probability, clipped as log_loss clips it
        gap = -abs(score_0 - score_1)
        log_total = max(score_0, score_1) + math.log1p(math.exp(gap))
        log_p = (score_1 if index[i] == 1 else score_0) - log_total
        w = 1.0 if weight.shape[0] == 0 else weight[i]
        total += w * min(max(log_p, log_eps), log_one_minus_eps)
        weights += w
    return total / weights
