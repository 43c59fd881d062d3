"""Probability-space math of the focal loss: optimal constants and the posterior.

With ``phi(P) = -(1 - P)**gamma * log(P)`` the focal loss of a class predicted with
probability ``P``, everything here rests on one function of the class logit
``x = log(P / (1 - P))``:

    ``L(x) = log|phi'(P)| = softplus(-x) - gamma * softplus(x) + log1p(gamma * t(x))``

with ``t(x) = exp(x) * softplus(-x)``. ``L`` is strictly decreasing (``phi`` is
strictly convex), finite for every finite ``x`` and evaluated without overflow.

- The population minimiser of the focal risk with class probabilities ``eta``
  satisfies ``eta_k * |phi'(p_k)| = const``, so ``eta_k`` is proportional to
  ``exp(-L(x_k))``: that is the posterior transform (identity at gamma = 0).
- The optimal constant score with class masses ``c_k = alpha_k * sum_{y=k} w``
  solves ``c_k * |phi'(p_k)| = const`` with ``sum_k p_k = 1``.
"""

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit

# Logits beyond this bound are probabilities 0 or 1 in float64 (sigmoid(-746) == 0).
_LOGIT_BOUND = 746.0
_POSTERIOR_LOGIT_BOUND = 1e4
# The smallest relative tolerance brentq accepts.
_RTOL = 4 * np.finfo(np.float64).eps


def _softplus(x):
    return np.logaddexp(0.0, x)


def log_abs_dphi(x, gamma):
    """``L(x) = log|phi'(sigmoid(x))|``, elementwise and stable for any finite ``x``."""
    x = np.asarray(x, dtype=np.float64)
    # t(x) = exp(x) softplus(-x) tends to 1 as x -> inf; write it with e = exp(-|x|).
    e = np.exp(-np.abs(x))
    safe_e = np.where(e > 0.0, e, 1.0)
    t_neg = e * (np.log1p(e) - x)  # x <= 0: e = exp(x), softplus(-x) = -x + log1p(e)
    t_pos = np.where(e > 0.0, np.log1p(e) / safe_e, 1.0)  # x > 0: e = exp(-x)
    t = np.where(x <= 0.0, t_neg, t_pos)
    return _softplus(-x) - gamma * _softplus(x) + np.log1p(gamma * t)


def inverse_log_abs_dphi(v, gamma, n_iter=110):
    """The logit ``x`` in ``[-746, 746]`` with ``L(x) = v``, by vectorised bisection.

    ``L`` is decreasing, so values above ``L(-746)`` give ``-746`` and values below
    ``L(746)`` give ``746`` (probabilities 0 and 1 in float64).
    """
    v = np.asarray(v, dtype=np.float64)
    lo = np.full(v.shape, -_LOGIT_BOUND)
    hi = np.full(v.shape, _LOGIT_BOUND)
    # 110 halvings shrink an interval of width 1492 below the spacing of float64.
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        above = log_abs_dphi(mid, gamma) > v
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return 0.5 * (lo + hi)


def binary_optimal_score(mass_0, mass_1, gamma):
    """Constant raw score minimising ``mass_1 * l(z) + mass_0 * l(-z)``.

    The first-order condition ``mass_1 |phi'(sigmoid(z))| = mass_0 |phi'(sigmoid(-z))|``
    is solved on the log of both sides; its left minus right side is strictly
    decreasing in ``z``, so a bracketed root finder finds the unique root.
    """
    log_ratio = np.log(mass_1) - np.log(mass_0)

    def condition(z):
        return log_ratio + log_abs_dphi(z, gamma) - log_abs_dphi(-z, gamma)

    # |L(z) - L(-z)| >= |z| (equality at gamma = 0), so the root lies within
    # |log_ratio|; the loop only guards the bracket against rounding.
    bound = abs(log_ratio) + 1.0
    while condition(-bound) * condition(bound) > 0:
        bound *= 2.0
    return float(brentq(condition, -bound, bound, xtol=1e-15, rtol=_RTOL, maxiter=200))


def softmax_optimal_probabilities(masses, gamma):
    """Class probabilities minimising ``sum_k masses_k * phi(p_k)`` on the simplex.

    Lagrange: ``L(x_k) = mu - log(masses_k)``. The total probability is decreasing
    in ``mu``; a bracketed root finder on ``mu`` makes it 1. Classes with zero mass
    get probability 0.
    """
    masses = np.asarray(masses, dtype=np.float64)
    present = masses > 0
    log_masses = np.log(masses[present])

    def probabilities(mu):
        return expit(inverse_log_abs_dphi(mu - log_masses, gamma))

    def excess(mu):
        return np.sum(probabilities(mu)) - 1.0

    low_mu = np.min(log_masses) + float(log_abs_dphi(_LOGIT_BOUND, gamma))
    high_mu = np.max(log_masses) + float(log_abs_dphi(-_LOGIT_BOUND, gamma))
    mu = brentq(excess, low_mu, high_mu, xtol=1e-14, rtol=_RTOL, maxiter=200)
    result = np.zeros_like(masses)
    prob = probabilities(mu)
    result[present] = prob / prob.sum()
    return result


def softmax_logits(raw):
    """Per-class logits ``x_k = z_k - logsumexp_{j != k} z_j`` of shape (n, K).

    Computed without cancellation: for every class but the row maximum the sum
    over the other classes contains the maximum term (1 after shifting), and the
    row maximum uses the second largest score as its shift.
    """
    raw = np.asarray(raw, dtype=np.float64)
    rows = np.arange(raw.shape[0])
    k_top = np.argmax(raw, axis=1)
    z_top = raw[rows, k_top]
    exp_top = np.exp(raw - z_top[:, None])
    others = exp_top.sum(axis=1)[:, None] - exp_top
    with np.errstate(divide="ignore"):  # the row maximum's entry is replaced below
        logits = raw - z_top[:, None] - np.log(others)

    masked = raw.copy()
    masked[rows, k_top] = -np.inf
    k_second = np.argmax(masked, axis=1)
    z_second = raw[rows, k_second]
    with np.errstate(under="ignore"):
        rest = np.exp(masked - z_second[:, None]).sum(axis=1)
    logits[rows, k_top] = z_top - z_second - np.log(rest)
    return logits


def posterior_from_logits(logits, gamma):
    """Recovered class probabilities from class logits of shape (n, K)."""
    # Beyond |x| = 1e4 a class's probability is exactly 0 or 1 either way; the bound
    # keeps gamma * softplus(x) and the shift by the row maximum from overflowing.
    logits = np.clip(logits, -_POSTERIOR_LOGIT_BOUND, _POSTERIOR_LOGIT_BOUND)
    scores = -log_abs_dphi(logits, gamma)
    scores -= scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    return weights / weights.sum(axis=1, keepdims=True)
