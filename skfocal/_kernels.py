"""Numba kernels of the focal loss with respect to raw scores.

Notation (see ``DESIGN.md`` §3). For a sample with margin ``u`` (binary: ``u = s z``
with ``s = 2 y - 1``; softmax: ``u = z_y - logsumexp_{k != y} z_k``), ``p = sigmoid(u)``
is the probability of the true class and ``q = sigmoid(-u)`` its complement,
computed directly and never as ``1 - p``. The focal loss of the sample is
``alpha_y * l(u)`` with the atom ``l(u) = -q**gamma * log(p)``:

- slope      ``l'(u)  = q**gamma * (gamma * p * log(p) - q)``                  (< 0)
- exact      ``l''(u) = p * q**gamma * ((2 gamma + 1) q + gamma log(p) (q - gamma p))``
- curvature  ``c(u)   = (1 + gamma) * p * |l'(u)|``   (> 0 and >= l''(u) everywhere)

Every kernel takes

- ``y``: float64 labels of shape (n,), integers in ``{0, ..., K - 1}`` (binary: {0, 1});
- ``raw``: float32 or float64 raw scores, shape (n,) binary or (n, K) softmax,
  C-contiguous; arithmetic is done in float64;
- ``gamma``: float >= 0;
- ``class_weight``: float64 array of shape (K,) (binary: ``(1 - alpha, alpha)``);
- ``sample_weight``: float64 array of shape (n,) or None;
- ``*_out``: preallocated output arrays (float32 or float64) written in place.

Inputs are validated by :class:`skfocal.FocalLoss`; the kernels trust them.
"""

import math

import numpy as np
from numba import njit

__all__ = [
    "binary_gradient",
    "binary_gradient_curvature",
    "binary_hessian_exact",
    "binary_loss",
    "binary_loss_gradient",
    "softmax_gradient",
    "softmax_gradient_curvature",
    "softmax_hessian_exact",
    "softmax_loss",
    "softmax_loss_gradient",
]

# error_model="numpy": no ZeroDivisionError branch on each division, which would
# stop LLVM from vectorising the loops; "contract" lets it fuse multiply-adds.
_OPTIONS = {
    "cache": True,
    "nogil": True,
    "error_model": "numpy",
    "fastmath": {"contract"},
}
_jit = njit(**_OPTIONS)
_inline = njit(inline="always", **_OPTIONS)

# ------------------------------------------------------------ vectorisable exp, log1p
# libm's exp and log1p are scalar calls that keep a loop from being vectorised. These
# branch-free versions cover the arguments the focal loss needs (exp of x <= 0,
# log1p of e in [0, 1]) within 1-2 ulp (tests/test_kernels.py checks the full range).
_INV_LN2 = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln 2 split so that k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_LN2 = 0.6931471805599453
_SQRT2_M1 = 0.41421356237309503
_MIN_EXPONENT = -1100
# 2**k for k in [-1100, 0]: exact powers, subnormals, then 0. A table lookup (a
# vector gather) instead of building the float's exponent bits.
_EXP2 = 2.0 ** np.arange(_MIN_EXPONENT, 1, dtype=np.float64)


# Near-minimax (Chebyshev-fitted, mpmath) coefficients, highest degree first: exp on
# |r| <= ln(2)/2 (error 3e-18) and (atanh(s)/s - 1)/s**2 in z = s**2 (error 1e-18).
_EXP_COEFFICIENTS = (
    2.5110037605963777e-08, 2.763263963904103e-07, 2.755724091857897e-06,
    2.4801485482328494e-05, 0.00019841269890047113, 0.0013888888952314775,
    0.008333333333319601, 0.0416666666664881, 0.1666666666666668,
    0.5000000000000019, 1.0, 1.0,
)  # fmt: skip
_ATANH_COEFFICIENTS = (
    0.06543383504974087, 0.06634379834280306, 0.07693120102906739,
    0.09090897815442377, 0.11111111195900235, 0.14285714285401616,
    0.2000000000000044, 0.3333333333333333,
)  # fmt: skip


@_inline
def _horner(coefficients, x):
    result = coefficients[0]
    for c in coefficients[1:]:
        result = result * x + c
    return result


@_inline
def _exp_nonpositive(x):
    """exp(x) for x <= 0: exp(r) 2**k with |r| <= ln(2)/2."""
    x = max(x, -760.0)  # exp(-746) is already 0 in float64
    k = math.floor(x * _INV_LN2 + 0.5)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    return _horner(_EXP_COEFFICIENTS, r) * _EXP2[int(k) - _MIN_EXPONENT]


@_inline
def _log1p_unit(e):
    """log1p(e) for 0 <= e <= 1 as 2 atanh(s), |s| <= 3 - 2 sqrt(2) ~ 0.17.

    s = e / (2 + e) for e <= sqrt(2) - 1; above, log1p(e) = ln 2 + 2 atanh(s) with
    s = (e - 1) / (e + 3). Never forms 1 + e, so tiny e keeps every digit.
    """
    big = np.float64(e > _SQRT2_M1)  # 1.0 or 0.0: arithmetic, not a branch
    s = (e - big) / (e + 2.0 + big)
    z = s * s
    return big * _LN2 + (2.0 * s + 2.0 * s * z * _horner(_ATANH_COEFFICIENTS, z))


# --------------------------------------------------------------------------- atoms
@_inline
def _sigmoid_pair(u):
    """Return p = sigmoid(u), q = sigmoid(-u), log(p), log(q) without cancellation."""
    e = _exp_nonpositive(-abs(u))
    log1p_e = _log1p_unit(e)
    d = 1.0 / (1.0 + e)
    # Choose by arithmetic with a 0/1 factor (exact: every candidate is finite), not
    # by a branch: LLVM does not turn these branches into vector selects.
    pos = np.float64(u >= 0.0)
    neg = 1.0 - pos
    p = pos * d + neg * (e * d)
    q = pos * (e * d) + neg * d
    log_p = neg * u - log1p_e
    log_q = -pos * u - log1p_e
    return p, q, log_p, log_q


@_inline
def _atom(u, gamma):
    """Return ``l(u), l'(u), p, q, log(p), q**gamma`` of the focal atom."""
    p, q, log_p, log_q = _sigmoid_pair(u)
    q_gamma = _exp_nonpositive(gamma * log_q)
    loss = -q_gamma * log_p
    slope = q_gamma * (gamma * p * log_p - q)
    return loss, slope, p, q, log_p, q_gamma


@_inline
def _second_derivative(gamma, p, q, log_p, q_gamma):
    """Signed ``l''(u)``; negative for badly misclassified samples when gamma > 0."""
    # p log(p) is bounded (>= -1/e); log(p) alone reaches -|u| and would overflow
    # against (q - gamma p) for |u| near the float64 maximum.
    p_log_p = p * log_p
    return q_gamma * ((2.0 * gamma + 1.0) * p * q + gamma * p_log_p * (q - gamma * p))


@_inline
def _sample_factor(i, y_i, class_weight, sample_weight):
    """``alpha_y * w_i``: the factor multiplying every per-sample quantity."""
    factor = class_weight[int(y_i)]
    if sample_weight is not None:
        factor *= sample_weight[i]
    return factor


@_inline
def _binary_factor(i, y_i, alpha_0, alpha_1, sample_weight):
    """``alpha_y * w_i`` for y in {0, 1}, without indexing (exact: y is 0 or 1).

    Reading the class weight through ``class_weight[int(y)]`` is a load LLVM cannot
    prove independent of the output stores, which stops vectorisation.
    """
    factor = y_i * alpha_1 + (1.0 - y_i) * alpha_0
    if sample_weight is not None:
        factor *= sample_weight[i]
    return factor


# -------------------------------------------------------------------------- binary
@_jit
def binary_loss(y, raw, gamma, class_weight, sample_weight, loss_out):
    alpha_0, alpha_1 = class_weight[0], class_weight[1]
    for i in range(raw.shape[0]):
        sign = 2.0 * y[i] - 1.0
        loss, _, _, _, _, _ = _atom(sign * raw[i], gamma)
        loss_out[i] = _binary_factor(i, y[i], alpha_0, alpha_1, sample_weight) * loss


@_jit
def binary_loss_gradient(
    y, raw, gamma, class_weight, sample_weight, loss_out, gradient_out
):
    alpha_0, alpha_1 = class_weight[0], class_weight[1]
    for i in range(raw.shape[0]):
        sign = 2.0 * y[i] - 1.0
        loss, slope, _, _, _, _ = _atom(sign * raw[i], gamma)
        factor = _binary_factor(i, y[i], alpha_0, alpha_1, sample_weight)
        loss_out[i] = factor * loss
        gradient_out[i] = factor * sign * slope


@_jit
def binary_gradient(y, raw, gamma, class_weight, sample_weight, gradient_out):
    alpha_0, alpha_1 = class_weight[0], class_weight[1]
    for i in range(raw.shape[0]):
        sign = 2.0 * y[i] - 1.0
        _, slope, _, _, _, _ = _atom(sign * raw[i], gamma)
        factor = _binary_factor(i, y[i], alpha_0, alpha_1, sample_weight)
        gradient_out[i] = factor * sign * slope


@_jit
def binary_gradient_curvature(
    y, raw, gamma, class_weight, sample_weight, gradient_out, hessian_out
):
    alpha_0, alpha_1 = class_weight[0], class_weight[1]
    for i in range(raw.shape[0]):
        sign = 2.0 * y[i] - 1.0
        _, slope, p, _, _, _ = _atom(sign * raw[i], gamma)
        factor = _binary_factor(i, y[i], alpha_0, alpha_1, sample_weight)
        gradient_out[i] = factor * sign * slope
        hessian_out[i] = -factor * (1.0 + gamma) * p * slope


@_jit
def binary_hessian_exact(y, raw, gamma, class_weight, sample_weight, hessian_out):
    alpha_0, alpha_1 = class_weight[0], class_weight[1]
    for i in range(raw.shape[0]):
        sign = 2.0 * y[i] - 1.0
        _, _, p, q, log_p, q_gamma = _atom(sign * raw[i], gamma)
        factor = _binary_factor(i, y[i], alpha_0, alpha_1, sample_weight)
        hessian_out[i] = factor * _second_derivative(gamma, p, q, log_p, q_gamma)


# ------------------------------------------------------------------------- softmax
@_inline
def _softmax_margin(raw_i, target, shifted_exp):
    """Margin ``u = z_y - logsumexp_{k != y} z_k`` of one row.

    With ``z_max`` the largest non-target score (at ``k_max``), writes
    ``shifted_exp[k] = exp(z_k - z_max)`` (0 at the target) when ``shifted_exp`` is
    an array (a float64 scratch row, allocated once per kernel call), so that the
    row functions do not compute each exponential again. Returns ``u``,
    ``k_max`` and ``rest = sum_{k not in (y, k_max)} exp(z_k - z_max)``: the
    non-target softmax is ``r_k = shifted_exp[k] / (1 + rest)`` and, without
    cancellation, ``1 - r_k = rest / (1 + rest)`` at ``k_max`` (the only ``r_k``
    that can exceed 1/2).
    """
    k_max = -1
    z_max = -math.inf
    for k in range(raw_i.shape[0]):
        if k != target and (k_max < 0 or raw_i[k] > z_max):
            k_max = k
            z_max = raw_i[k]
    rest = 0.0
    for k in range(raw_i.shape[0]):
        e = 0.0 if k == target else _exp_nonpositive(raw_i[k] - z_max)
        if k != target and k != k_max:
            rest += e
        if shifted_exp is not None:
            shifted_exp[k] = e
    u = (raw_i[target] - z_max) - math.log1p(rest)
    return u, k_max, rest


@_inline
def _softmax_gradient_row(target, factor, slope, k_max, rest, shifted_exp, grad_i):
    # du/dz_y = 1 and du/dz_k = -r_k for k != y.
    inv_total = 1.0 / (1.0 + rest)
    for k in range(grad_i.shape[0]):
        if k == target:
            grad_i[k] = factor * slope
        else:
            grad_i[k] = -factor * slope * (shifted_exp[k] * inv_total)


@_inline
def _softmax_hessian_row(
    target, factor, slope, second, k_max, rest, shifted_exp, hess_i
):
    # d2u/dz_k2 = -r_k (1 - r_k) for k != y, so H_kk = l'' r_k^2 + |l'| r_k (1 - r_k).
    inv_total = 1.0 / (1.0 + rest)
    for k in range(hess_i.shape[0]):
        if k == target:
            hess_i[k] = factor * second
        else:
            r = shifted_exp[k] * inv_total
            one_minus_r = rest * inv_total if k == k_max else 1.0 - r
            hess_i[k] = factor * r * (second * r - slope * one_minus_r)


@_jit
def softmax_loss(y, raw, gamma, class_weight, sample_weight, loss_out):
    for i in range(raw.shape[0]):
        target = int(y[i])
        u, _, _ = _softmax_margin(raw[i], target, None)
        loss, _, _, _, _, _ = _atom(u, gamma)
        loss_out[i] = _sample_factor(i, y[i], class_weight, sample_weight) * loss


@_jit
def softmax_loss_gradient(
    y, raw, gamma, class_weight, sample_weight, loss_out, gradient_out
):
    shifted_exp = np.empty(raw.shape[1])
    for i in range(raw.shape[0]):
        target = int(y[i])
        grad_i = gradient_out[i]
        u, k_max, rest = _softmax_margin(raw[i], target, shifted_exp)
        loss, slope, _, _, _, _ = _atom(u, gamma)
        factor = _sample_factor(i, y[i], class_weight, sample_weight)
        loss_out[i] = factor * loss
        _softmax_gradient_row(target, factor, slope, k_max, rest, shifted_exp, grad_i)


@_jit
def softmax_gradient(y, raw, gamma, class_weight, sample_weight, gradient_out):
    shifted_exp = np.empty(raw.shape[1])
    for i in range(raw.shape[0]):
        target = int(y[i])
        grad_i = gradient_out[i]
        u, k_max, rest = _softmax_margin(raw[i], target, shifted_exp)
        _, slope, _, _, _, _ = _atom(u, gamma)
        factor = _sample_factor(i, y[i], class_weight, sample_weight)
        _softmax_gradient_row(target, factor, slope, k_max, rest, shifted_exp, grad_i)


@_jit
def softmax_gradient_curvature(
    y, raw, gamma, class_weight, sample_weight, gradient_out, hessian_out
):
    shifted_exp = np.empty(raw.shape[1])
    for i in range(raw.shape[0]):
        target = int(y[i])
        u, k_max, rest = _softmax_margin(raw[i], target, shifted_exp)
        _, slope, p, _, _, _ = _atom(u, gamma)
        factor = _sample_factor(i, y[i], class_weight, sample_weight)
        curvature = -(1.0 + gamma) * p * slope
        _softmax_gradient_row(
            target, factor, slope, k_max, rest, shifted_exp, gradient_out[i]
        )
        _softmax_hessian_row(
            target, factor, slope, curvature, k_max, rest, shifted_exp, hessian_out[i]
        )


@_jit
def softmax_hessian_exact(y, raw, gamma, class_weight, sample_weight, hessian_out):
    shifted_exp = np.empty(raw.shape[1])
    for i in range(raw.shape[0]):
        target = int(y[i])
        u, k_max, rest = _softmax_margin(raw[i], target, shifted_exp)
        _, slope, p, q, log_p, q_gamma = _atom(u, gamma)
        factor = _sample_factor(i, y[i], class_weight, sample_weight)
        second = _second_derivative(gamma, p, q, log_p, q_gamma)
        _softmax_hessian_row(
            target, factor, slope, second, k_max, rest, shifted_exp, hessian_out[i]
        )
