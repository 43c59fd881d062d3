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
from ._kernels import _exp_nonpositive, _log1p_unit, _select


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

    A binary model's posterior is scored in two compiled, vectorised passes and
    numpy's ``log`` (no probability array: a search scores every boosting
    iteration); otherwise through :func:`skfocal._base.class_probabilities`.

    With ``L`` of :mod:`skfocal._posterior`, the posterior log-odds of class 1
    at raw score ``x`` are ``d = L(-x) - L(x) = (1 + gamma) x + log((1 + gamma
    t(-x)) / (1 + gamma t(x)))`` with ``t(x) = exp(x) softplus(-x)``; then
    ``log p_1 = -softplus(-d)`` and ``log p_0 = -softplus(d)``, clipped as
    ``log_loss`` clips the probabilities.
    """
    if raw.ndim == 1 and proba == "posterior":
        gamma = float(loss.gamma)
        log_ratio = np.empty(raw.shape[0])
        _posterior_ratio(raw, gamma, log_ratio)
        np.log(log_ratio, out=log_ratio)
        eps = np.finfo(np.float64).eps
        log_p = np.empty(raw.shape[0])
        _clipped_log_posterior(
            raw, log_ratio, index, gamma, math.log(eps), math.log1p(-eps), log_p
        )
        return float(np.average(log_p, weights=sample_weight))
    from ._base import class_probabilities

    return neg_log_loss(class_probabilities(loss, raw, proba), index, sample_weight)


# Branch-free loops of the kernels' vectorisable exp and log1p: LLVM vectorises them.
_OPTIONS = {
    "cache": True,
    "nogil": True,
    "error_model": "numpy",
    "fastmath": {"contract"},
}


@njit(**_OPTIONS)
def _posterior_ratio(raw, gamma, ratio_out):
    """``(1 + gamma t(-|x|)) / (1 + gamma t(|x|))`` of every raw score ``x``."""
    for i in range(raw.shape[0]):
        # Beyond |x| = 1e4 the probabilities are 0 and 1 (as in the posterior).
        a = min(abs(float(raw[i])), 1e4)
        e = _exp_nonpositive(-a)
        log1p_e = _log1p_unit(e)
        t_small = e * (a + log1p_e)  # exp(-a) softplus(a)
        t_large = _select(e > 0.0, log1p_e / _select(e > 0.0, e, 1.0), 1.0)
        ratio_out[i] = (1.0 + gamma * t_small) / (1.0 + gamma * t_large)


@njit(**_OPTIONS)
def _clipped_log_posterior(raw, log_ratio, index, gamma, low, high, out):
    """The clipped log posterior probability of each row's class (0 or 1)."""
    for i in range(raw.shape[0]):
        x = min(max(float(raw[i]), -1e4), 1e4)
        d = (1.0 + gamma) * x + _select(x >= 0.0, log_ratio[i], -log_ratio[i])
        s = _select(index[i] == 1, -d, d)  # log p = -softplus(s)
        log_p = -(max(s, 0.0) + _log1p_unit(_exp_nonpositive(-abs(s))))
        out[i] = min(max(log_p, low), high)
