"""Numba kernels of the focal loss with respect to raw scores.

Notation (derived in docs/user_guide.rst). For a sample with margin ``u`` (binary:
``u = s z`` with ``s = 2 y - 1``; softmax: ``u = z_y - logsumexp_{k != y} z_k``),
``p = sigmoid(u)`` is the probability of the true class and ``q = sigmoid(-u)`` its
complement, computed directly and never as ``1 - p``. The focal loss of the sample is
``alpha_y * l(u)`` with the atom ``l(u) = -q**gamma * log(p)``:

- slope      ``l'(u)  = q**gamma * (gamma * p * log(p) - q)``                  (< 0)
- exact      ``l''(u) = p * q**gamma * ((2 gamma + 1) q + gamma log(p) (q - gamma p))``
- curvature  ``c(u)   = (1 + gamma) * p * |l'(u)|``   (> 0 and >= l''(u) everywhere)

Every kernel takes

- ``y``: float64 or int64 labels of shape (n,) (``LABEL_DTYPES``), integers in
  ``{0, ..., K - 1}`` (binary: {0, 1});
- ``raw``: float32 or float64 raw scores, shape (n,) binary or (n, K) softmax,
  C-contiguous; arithmetic is done in float64;
- ``gamma``: float >= 0;
- ``class_weight``: float64 array of shape (K,) (binary: ``(1 - alpha, alpha)``);
- ``sample_weight``: float64 array of shape (n,) or None;
- ``*_out``: preallocated output arrays (float32 or float64) written in place.

Every public kernel returns the number of invalid values it read: labels that are
not integers in ``{0, ..., K - 1}`` (NaN included) plus raw scores that are NaN or
infinite, counted in the same pass as the outputs (see docs/developer.rst, "Fused
validation"). The outputs of such rows are meaningless but the kernels read and
write only within the arrays; :class:`skfocal.FocalLoss` raises when the count is
not zero. Shapes, dtypes and weights are checked by the callers.
"""

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = [
    "binary_gradient",
    "binary_gradient_curvature",
    "binary_hessian_exact",
    "binary_loss",
    "binary_loss_gradient",
    "count_invalid_labels",
    "softmax_gradient",
    "softmax_gradient_curvature",
    "softmax_hessian_exact",
    "softmax_loss",
    "softmax_loss_gradient",
]

# The label dtypes the kernels take: float64, and int64 (numpy's default integer),
# which a conversion to float64 would copy at up to a third of a binary kernel's
# time. Each compiles its own specialisations on first use: callers convert others.
LABEL_DTYPES = (np.dtype(np.float64), np.dtype(np.int64))

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
_ROUND_SHIFT = 6755399441055744.0  # 1.5 * 2**52
_ROUND_SHIFT_BITS = 0x4338000000000000  # its IEEE 754 bits


@intrinsic
def _prefer_wide_vectors(typingctx):
    """Let LLVM vectorise this function's loops at the CPU's full vector width.

    LLVM tunes Intel's AVX-512 CPUs (Skylake-X, Ice Lake, Sapphire Rapids) to
    prefer 256-bit vectors; the ``prefer-vector-width`` attribute on a kernel's
    own LLVM function lifts that for it alone, as clang's
    ``-mprefer-vector-width=512`` would, without changing how other Numba code is
    compiled. On CPUs without 512-bit vectors (or that prefer them already, such
    as Zen 4) the attribute changes nothing. Called first in every kernel.
    """

    def codegen(context, builder, signature, args):
        # A string attribute, which llvmlite's FunctionAttributes does not list:
        # added to the underlying set, it prints as LLVM IR expects.
        set.add(builder.function.attributes, '"prefer-vector-width"="512"')
        return context.get_dummy_value()

    return types.none(), codegen


@intrinsic
def _select(typingctx, condition, if_true, if_false):
    """``if_true if condition else if_false`` as one LLVM ``select``.

    A conditional expression in Numba is a branch, which stops LLVM from
    vectorising a loop; a product with a 0/1 factor vectorises but costs a
    compare, a conversion and arithmetic. A select is one vector blend.
    """

    def codegen(context, builder, signature, args):
        return builder.select(args[0], args[1], args[2])

    return types.float64(types.boolean, types.float64, types.float64), codegen


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE 754 bits are the int64 ``bits`` (a register bitcast)."""

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@intrinsic
def _bits_from_float(typingctx, value):
    """The int64 holding the IEEE 754 bits of the float64 ``value``."""

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


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
    # Adding 1.5 * 2**52 rounds x / ln 2 to the integer k, which the sum's low
    # bits hold: no floor and no float-to-integer conversions.
    shifted = x * _INV_LN2 + _ROUND_SHIFT
    k = shifted - _ROUND_SHIFT
    r = (x - k * _LN2_HI) - k * _LN2_LO
    # 2**k for k in [-1097, 0] as the product of two normal powers of two, built
    # from exponent bits (a table would be a slow vector gather).
    k_int = _bits_from_float(shifted) - _ROUND_SHIFT_BITS
    half = k_int >> 1
    low = _float_from_bits((half + 1023) << 52)
    high = _float_from_bits((k_int - half + 1023) << 52)
    # exact but for one rounding, when the result is subnormal
    return (_horner(_EXP_COEFFICIENTS, r) * low) * high


@_inline
def _log1p_unit(e):
    """log1p(e) for 0 <= e <= 1 as 2 atanh(s), |s| <= 3 - 2 sqrt(2) ~ 0.17.

    s = e / (2 + e) for e <= sqrt(2) - 1; above, log1p(e) = ln 2 + 2 atanh(s) with
    s = (e - 1) / (e + 3). Never forms 1 + e, so tiny e keeps every digit.
    """
    big = e > _SQRT2_M1
    s = _select(big, e - 1.0, e) / _select(big, e + 3.0, e + 2.0)
    z = s * s
    log1p_e = 2.0 * s + 2.0 * s * z * _horner(_ATANH_COEFFICIENTS, z)
    return _select(big, _LN2, 0.0) + log1p_e


# --------------------------------------------------------------------------- atoms
@_inline
def _sigmoid_pair(u):
    """Return p = sigmoid(u), q = sigmoid(-u), log(p), log(q) without cancellation."""
    e = _exp_nonpositive(-abs(u))
    log1p_e = _log1p_unit(e)
    d = 1.0 / (1.0 + e)
    ed = e * d
    pos = u >= 0.0  # every candidate below is finite: selects, not branches
    p = _select(pos, d, ed)
    q = _select(pos, ed, d)
    log_p = _select(pos, 0.0, u) - log1p_e
    log_q = _select(pos, -u, 0.0) - log1p_e
    return p, q, log_p, log_q


@_inline
def _q_power(q, log_q, gamma, integer):
    """q**gamma: by at most four multiplications if ``integer`` (gamma in 0..7,
    see ``_is_small_integer``), else as exp(gamma log(q))."""
    if integer:
        n = np.int64(gamma)
        b1 = np.float64(n & 1)
        b2 = np.float64((n >> 1) & 1)
        b4 = np.float64(n >> 2)
        q2 = q * q
        # b x + (1 - b) is exactly x or 1 for b in {0, 1}: a select without a branch
        return (b1 * q + (1.0 - b1)) * (
            (b2 * q2 + (1.0 - b2)) * (b4 * (q2 * q2) + (1.0 - b4))
        )
    return _exp_nonpositive(gamma * log_q)


@_inline
def _is_small_integer(gamma):
    return gamma == math.floor(gamma) and gamma <= 7.0


@_inline
def _atom(u, gamma, integer):
    """Return ``l(u), l'(u), p, q, log(p), q**gamma`` of the focal atom."""
    p, q, log_p, log_q = _sigmoid_pair(u)
    q_gamma = _q_power(q, log_q, gamma, integer)
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
def _sample_factor(i, y_i, bad_label, class_weight, sample_weight):
    """``alpha_y * w_i``: the factor multiplying every per-sample quantity.

    A label counted invalid (``bad_label``) reads class 0's weight, not memory
    outside ``class_weight``.
    """
    index = int(y_i)
    factor = class_weight[0 if bad_label else index]
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


# ------------------------------------------------------------------ invalid values
# Counted as integers, never branched on, so that the loops stay vectorised.
@_inline
def _invalid_label(v, top):
    """1 if label ``v`` is not an integer in {0, ..., top} (NaN included), else 0."""
    return np.int64(not ((v >= 0.0) & (v <= top) & (v == math.floor(v))))


@_inline
def _invalid_binary_label(label):
    """``_invalid_label(label, 1.0)`` in fewer operations: v (1 - v) is exactly 0
    for v in {0, 1} only (and NaN for NaN, -inf for infinite v)."""
    v = np.float64(label)
    return np.int64(v * (1.0 - v) != 0.0)


@_inline
def _non_finite(v):
    """1 if ``v`` is NaN or infinite, else 0."""
    return np.int64(not (abs(v) < math.inf))


@_jit
def count_invalid_labels(y, n_classes):
    """Number of labels that are not integers in {0, ..., n_classes - 1} (NaN
    included): one vectorised pass instead of numpy's five."""
    _prefer_wide_vectors()
    top = np.float64(n_classes - 1)
    count = 0
    for i in range(y.shape[0]):
        count += _invalid_label(y[i], top)
    return count


# -------------------------------------------------------------------------- binary
@_inline
def _binary_loop(
    y, raw, gamma, integer, alpha_0, alpha_1, sample_weight,
    loss_out, gradient_out, curvature_out, exact_out,
):  # fmt: skip
    invalid = 0
    for i in range(raw.shape[0]):
        invalid += _invalid_binary_label(y[i]) + _non_finite(raw[i])
        sign = 2.0 * y[i] - 1.0
        loss, slope, p, q, log_p, q_gamma = _atom(sign * raw[i], gamma, integer)
        factor = _binary_factor(i, y[i], alpha_0, alpha_1, sample_weight)
        if loss_out is not None:
            loss_out[i] = factor * loss
        if gradient_out is not None:
            gradient_out[i] = factor * sign * slope
        if curvature_out is not None:
            curvature_out[i] = -factor * (1.0 + gamma) * p * slope
        if exact_out is not None:
            exact_out[i] = factor * _second_derivative(gamma, p, q, log_p, q_gamma)
    return invalid


@_jit
def _binary_kernel(
    y, raw, gamma, class_weight, sample_weight,
    loss_out, gradient_out, curvature_out, exact_out,
):  # fmt: skip
    """Every binary output at once; outputs passed as None are not computed.
    Returns the number of invalid labels and raw scores.

    Two copies of the loop: one with q**gamma by multiplication for gamma in 0..7
    (it costs as much as the rest of the atom as an exp), one for any gamma.
    """
    _prefer_wide_vectors()
    alpha_0, alpha_1 = class_weight[0], class_weight[1]
    if _is_small_integer(gamma):
        return _binary_loop(
            y, raw, gamma, True, alpha_0, alpha_1, sample_weight,
            loss_out, gradient_out, curvature_out, exact_out,
        )  # fmt: skip
    return _binary_loop(
        y, raw, gamma, False, alpha_0, alpha_1, sample_weight,
        loss_out, gradient_out, curvature_out, exact_out,
    )  # fmt: skip


# One thin entry point per kind, alike on purpose: each compiles its own
# specialisation of the shared loop body, without the outputs it does not write.
# Each returns the number of invalid labels and raw scores it read.
@_jit
def binary_loss(y, raw, gamma, class_weight, sample_weight, loss_out):
    _prefer_wide_vectors()
    return _binary_kernel(
        y, raw, gamma, class_weight, sample_weight, loss_out, None, None, None
    )


@_jit
def binary_loss_gradient(
    y, raw, gamma, class_weight, sample_weight, loss_out, gradient_out
):
    _prefer_wide_vectors()
    return _binary_kernel(
        y, raw, gamma, class_weight, sample_weight, loss_out, gradient_out, None, None
    )


@_jit
def binary_gradient(y, raw, gamma, class_weight, sample_weight, gradient_out):
    _prefer_wide_vectors()
    return _binary_kernel(
        y, raw, gamma, class_weight, sample_weight, None, gradient_out, None, None
    )


@_jit
def binary_gradient_curvature(
    y, raw, gamma, class_weight, sample_weight, gradient_out, hessian_out
):
    _prefer_wide_vectors()
    return _binary_kernel(
        y, raw, gamma, class_weight, sample_weight, None, gradient_out, hessian_out,
        None,
    )  # fmt: skip


@_jit
def binary_hessian_exact(y, raw, gamma, class_weight, sample_weight, hessian_out):
    _prefer_wide_vectors()
    return _binary_kernel(
        y, raw, gamma, class_weight, sample_weight, None, None, None, hessian_out
    )


# ------------------------------------------------------------------------- softmax
# Softmax rows are processed in blocks of _BLOCK rows, transposed into class-major
# float64 buffers, so that every pass below is a loop over the rows of a block with
# contiguous 1-d arrays: those loops vectorise, a loop over the K classes of a row
# does not. In a row with target y and scores z:
#   z_max = max_{k != y} z_k (at k_max),
#   rest = sum_{k not in (y, k_max)} exp(z_k - z_max),
#   u = z_y - z_max - log1p(rest),  r_k = exp(z_k - z_max) / (1 + rest) (k != y),
# and, without cancellation, 1 - r_k = rest / (1 + rest) at k_max, the only r_k
# that can exceed 1/2.
_BLOCK = 256
_MANTISSA_BITS = (1 << 52) - 1
_EXPONENT_ONE = 1023 << 52
_SQRT2 = 1.4142135623730951


@_jit
def _max_pass(z, target, k, z_max, k_max, z_target, n):
    """Fold class k into the running non-target maximum and the target's score;
    return the number of non-finite scores of class k."""
    _prefer_wide_vectors()
    fk = np.float64(k)
    invalid = 0
    for j in range(n):
        v = z[j]
        invalid += _non_finite(v)
        is_target = fk == target[j]
        candidate = _select(is_target, -math.inf, v)
        better = candidate > z_max[j]
        z_max[j] = _select(better, candidate, z_max[j])
        k_max[j] = _select(better, fk, k_max[j])
        z_target[j] = _select(is_target, v, z_target[j])
    return invalid


@_jit
def _exp_pass(z, target, k, z_max, k_max, shifted_exp, rest, n):
    """exp(z_k - z_max) (0 at the target), and its sum over k not in (y, k_max)."""
    _prefer_wide_vectors()
    fk = np.float64(k)
    for j in range(n):
        e = _select(fk == target[j], 0.0, _exp_nonpositive(min(z[j] - z_max[j], 0.0)))
        shifted_exp[j] = e
        rest[j] += _select(fk == k_max[j], 0.0, e)


@_jit
def _log_pass(x, bits, mantissa_bits, out, n):
    """log(x) for normal x >= 1 from its exponent and mantissa bits (``bits`` is
    ``x`` viewed as int64): vectorises, unlike libm's log."""
    _prefer_wide_vectors()
    for j in range(n):
        mantissa_bits[j] = (bits[j] & _MANTISSA_BITS) | _EXPONENT_ONE
    mantissa = mantissa_bits.view(np.float64)  # in [1, 2)
    for j in range(n):
        exponent = np.float64((bits[j] >> 52) - 1023)
        big = np.float64(mantissa[j] > _SQRT2)
        m = mantissa[j] * (1.0 - 0.5 * big)  # in [sqrt(2) / 2, sqrt(2)]
        s = (m - 1.0) / (m + 1.0)
        z = s * s
        log_m = 2.0 * s + 2.0 * s * z * _horner(_ATANH_COEFFICIENTS, z)
        out[j] = (exponent + big) * _LN2 + log_m


@_inline
def _atom_loop(z_target, z_max, rest, log_total, factor, gamma, integer, exact, out, n):
    """Per row: loss, factor * l'(u), factor * (c(u) or l''(u)) and 1 / (1 + rest)
    into out[0..3]."""
    for j in range(n):
        r = rest[j]
        # log1p(rest) exactly for small rest
        log1p_rest = _select(r <= 1.0, _log1p_unit(min(r, 1.0)), log_total[j])
        u = (z_target[j] - z_max[j]) - log1p_rest
        loss, slope, p, q, log_p, q_gamma = _atom(u, gamma, integer)
        curvature = -(1.0 + gamma) * p * slope
        second = _second_derivative(gamma, p, q, log_p, q_gamma)
        f = factor[j]
        out[0, j] = f * loss
        out[1, j] = f * slope
        out[2, j] = f * _select(exact, second, curvature)
        out[3, j] = 1.0 / (1.0 + r)


@_jit
def _atom_pass(z_target, z_max, rest, log_total, factor, gamma, exact, out, n):
    """``_atom_loop`` in two copies, as the binary kernel's: q**gamma by
    multiplication for gamma in 0..7, by an exp for any other gamma."""
    _prefer_wide_vectors()
    if _is_small_integer(gamma):
        _atom_loop(
            z_target, z_max, rest, log_total, factor, gamma, True, exact, out, n
        )  # fmt: skip
    else:
        _atom_loop(
            z_target, z_max, rest, log_total, factor, gamma, False, exact, out, n
        )  # fmt: skip


@_jit
def _row_pass(shifted_exp, target, k_max, k, rest, atom, scale, grad, hess, n):
    """Gradient and ``scale`` times the Hessian diagonal of class k:
    du/dz_k = -r_k and d2u/dz_k2 = -r_k (1 - r_k) off the target."""
    _prefer_wide_vectors()
    fk = np.float64(k)
    for j in range(n):
        inv_total = atom[3, j]
        r = shifted_exp[j] * inv_total
        one_minus_r = _select(fk == k_max[j], rest[j] * inv_total, 1.0 - r)
        on = fk == target[j]
        slope = atom[1, j]
        second = atom[2, j]
        grad[j] = _select(on, slope, -slope * r)
        off = r * (second * r - slope * one_minus_r)
        hess[j] = scale * _select(on, second, off)


@_inline
def _store_rows(block, out, start, n, n_classes):
    """Rows ``start:start + n`` of a row-major ``out`` from the class-major block."""
    for j in range(n):
        for k in range(n_classes):
            out[start + j, k] = block[k, j]


@_jit
def _store_block(block, out, start, n):
    """Write a class-major block into rows ``start:start + n`` of ``out``, in the
    order of ``out``'s memory (column-major is what LightGBM takes without a copy)."""
    _prefer_wide_vectors()
    if out.strides[0] < out.strides[1]:  # column-major, or a row chunk of one
        for k in range(block.shape[0]):
            for j in range(n):
                out[start + j, k] = block[k, j]
    else:
        n_classes = block.shape[0]
        # With a constant class count LLVM unrolls each row's stores: 3x faster
        # at K = 5 than the loop over a run-time K (measured).
        if n_classes == 3:
            _store_rows(block, out, start, n, 3)
        elif n_classes == 4:
            _store_rows(block, out, start, n, 4)
        elif n_classes == 5:
            _store_rows(block, out, start, n, 5)
        elif n_classes == 6:
            _store_rows(block, out, start, n, 6)
        elif n_classes == 7:
            _store_rows(block, out, start, n, 7)
        else:
            _store_rows(block, out, start, n, n_classes)


@_jit
def _softmax_kernel(
    y, raw, gamma, class_weight, sample_weight, exact, hessian_scale,
    loss_out, grad_out, hess_out,
):  # fmt: skip
    """Every softmax output at once; outputs passed as None are not computed.
    Returns the number of invalid labels and raw scores.

    The Hessian is multiplied by ``hessian_scale`` (LightGBM's K / (K - 1)) in the
    same pass.
    """
    _prefer_wide_vectors()
    n_samples, n_classes = raw.shape
    z = np.empty((n_classes, _BLOCK))
    shifted_exp = np.empty((n_classes, _BLOCK))
    grad = np.empty((n_classes, _BLOCK))
    hess = np.empty((n_classes, _BLOCK))
    rows = np.empty((7, _BLOCK))  # target, z_max, k_max, z_target, rest, factor, log
    target, z_max, k_max, z_target, rest, factor, log_total = (
        rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6],
    )  # fmt: skip
    total = np.empty(_BLOCK)
    mantissa_bits = np.empty(_BLOCK, dtype=np.int64)
    atom = np.empty((4, _BLOCK))
    top = np.float64(n_classes - 1)
    invalid = 0
    for start in range(0, n_samples, _BLOCK):
        n = min(_BLOCK, n_samples - start)
        for j in range(n):
            i = start + j
            bad_label = _invalid_label(y[i], top)
            invalid += bad_label
            target[j] = y[i]
            z_max[j] = -math.inf
            k_max[j] = -1.0
            z_target[j] = 0.0
            rest[j] = 0.0
            factor[j] = _sample_factor(i, y[i], bad_label, class_weight, sample_weight)
            for k in range(n_classes):
                z[k, j] = raw[i, k]
        for k in range(n_classes):
            invalid += _max_pass(z[k], target, k, z_max, k_max, z_target, n)
        for k in range(n_classes):
            _exp_pass(z[k], target, k, z_max, k_max, shifted_exp[k], rest, n)
        for j in range(n):
            total[j] = 1.0 + rest[j]
        _log_pass(total, total.view(np.int64), mantissa_bits, log_total, n)
        _atom_pass(z_target, z_max, rest, log_total, factor, gamma, exact, atom, n)
        if loss_out is not None:
            for j in range(n):
                loss_out[start + j] = atom[0, j]
        if grad_out is not None or hess_out is not None:
            for k in range(n_classes):
                _row_pass(shifted_exp[k], target, k_max, k, rest, atom,
                          hessian_scale, grad[k], hess[k], n)  # fmt: skip
            if grad_out is not None:
                _store_block(grad, grad_out, start, n)
            if hess_out is not None:
                _store_block(hess, hess_out, start, n)
    return invalid


@_jit
def softmax_loss(y, raw, gamma, class_weight, sample_weight, loss_out):
    _prefer_wide_vectors()
    return _softmax_kernel(
        y, raw, gamma, class_weight, sample_weight, False, 1.0, loss_out, None, None
    )


@_jit
def softmax_loss_gradient(
    y, raw, gamma, class_weight, sample_weight, loss_out, gradient_out
):
    _prefer_wide_vectors()
    return _softmax_kernel(
        y, raw, gamma, class_weight, sample_weight, False, 1.0, loss_out, gradient_out,
        None,
    )  # fmt: skip


@_jit
def softmax_gradient(y, raw, gamma, class_weight, sample_weight, gradient_out):
    _prefer_wide_vectors()
    return _softmax_kernel(
        y, raw, gamma, class_weight, sample_weight, False, 1.0, None, gradient_out, None
    )


@_jit
def softmax_gradient_curvature(
    y, raw, gamma, class_weight, sample_weight, gradient_out, hessian_out,
    hessian_scale=1.0,
):  # fmt: skip
    _prefer_wide_vectors()
    return _softmax_kernel(
        y, raw, gamma, class_weight, sample_weight, False, hessian_scale, None,
        gradient_out, hessian_out,
    )  # fmt: skip


@_jit
def softmax_hessian_exact(y, raw, gamma, class_weight, sample_weight, hessian_out):
    _prefer_wide_vectors()
    return _softmax_kernel(
        y, raw, gamma, class_weight, sample_weight, True, 1.0, None, None, hessian_out
    )
