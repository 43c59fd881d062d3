"""Numerical correctness of the focal-loss kernels (through `FocalLoss`).

References are independent of the kernels' formulas: finite differences of the
loss, 50-digit arithmetic from the definition, and scikit-learn's own losses.
"""

import json
import os
import re
import subprocess
import sys

import joblib
import mpmath as mp
import numpy as np
import pytest
from llvmlite.binding import llvm_version_info
from numba import njit
from scipy.special import expit, softmax
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss

from skfocal import FocalLoss, _kernels
from skfocal._threads import MIN_ROWS_PER_THREAD
from skfocal._validation import check_n_threads

from . import _reference as ref

GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0]
N_CLASSES = 4


def make_data(n_classes, dtype, weighted, seed=0, n=200, scale=4.0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=n).astype(np.float64)
    shape = (n,) if n_classes == 2 else (n, n_classes)
    raw = (scale * rng.standard_normal(shape)).astype(dtype)
    sw = rng.uniform(0.1, 3.0, size=n) if weighted else None
    for array in (y, raw, sw):  # the kernels must accept read-only input
        if array is not None:
            array.flags.writeable = False
    return y, raw, sw


def alpha_for(n_classes, with_alpha):
    if not with_alpha:
        return None
    return 0.25 if n_classes == 2 else np.linspace(0.5, 2.0, n_classes)


def partial_derivatives(func, raw, h=1e-3):
    """Entry [i, k]: 4th-order central difference of ``func(raw)[i(, k)]`` in raw[i, k].

    ``func`` returns an array of shape (n,) (a per-sample loss: the same array is
    differentiated along every column) or of raw's shape (column k is taken).
    """
    raw = np.asarray(raw, dtype=np.float64)
    if raw.ndim == 1:
        return partial_derivatives(lambda x: func(x[:, 0]), raw[:, None], h)[:, 0]
    result = np.empty_like(raw)
    for k in range(raw.shape[1]):

        def at(step, k=k):
            x = raw.copy()
            x[:, k] += step
            value = func(x)
            return value if value.ndim == 1 else value[:, k]

        result[:, k] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)
    return result


def curvature_from_gradient(y, raw, grad, gamma):
    """The design's curvature built from a (finite-difference) gradient and scipy's
    link: binary ``(1 + gamma) p_t |g|``; softmax ``c`` on the target and
    ``c r_k^2 + |g_y| r_k (1 - r_k)`` off it, with ``r_k = p_k / (1 - p_y)``."""
    if raw.ndim == 1:
        p_true = expit(np.where(y == 1, raw, -raw))
        return (1 + gamma) * p_true * np.abs(grad)
    rows, target = np.arange(len(y)), y.astype(int)
    proba = softmax(raw, axis=1)
    p_y, g_y = proba[rows, target], np.abs(grad[rows, target])
    on_target = (1 + gamma) * p_y * g_y
    r = proba / (1 - p_y)[:, None]
    result = on_target[:, None] * r**2 + g_y[:, None] * r * (1 - r)
    result[rows, target] = on_target
    return result


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("with_alpha", [False, True])
@pytest.mark.parametrize("n_classes", [2, N_CLASSES])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_derivatives_match_finite_differences(
    gamma, n_classes, with_alpha, weighted, dtype
):
    y, raw, sw = make_data(n_classes, dtype, weighted)
    loss = FocalLoss(gamma=gamma, alpha=alpha_for(n_classes, with_alpha))
    raw64 = raw.astype(np.float64)  # the same values; references run in float64

    grad, curvature = loss.gradient_hessian(y, raw, sample_weight=sw)
    exact = loss.hessian_exact(y, raw, sample_weight=sw)
    assert grad.dtype == curvature.dtype == exact.dtype == dtype
    assert grad.shape == curvature.shape == exact.shape == raw.shape

    fd_grad = partial_derivatives(lambda x: loss.loss(y, x, sample_weight=sw), raw64)
    fd_hess = partial_derivatives(
        lambda x: loss.gradient(y, x, sample_weight=sw), raw64
    )
    rtol = 2e-6 if dtype == np.float32 else 1e-8
    atol = 1e-10 * np.max(np.abs(fd_grad))
    np.testing.assert_allclose(grad, fd_grad, rtol=rtol, atol=atol)
    np.testing.assert_allclose(exact, fd_hess, rtol=rtol, atol=atol)
    expected_curvature = curvature_from_gradient(y, raw64, fd_grad, gamma)
    np.testing.assert_allclose(curvature, expected_curvature, rtol=rtol, atol=atol)

    # loss_gradient is the fused pass of loss and gradient.
    fused_loss, fused_grad = loss.loss_gradient(y, raw, sample_weight=sw)
    np.testing.assert_array_equal(fused_loss, loss.loss(y, raw, sample_weight=sw))
    np.testing.assert_array_equal(fused_grad, grad)


@pytest.mark.parametrize("n_classes", [2, N_CLASSES])
@pytest.mark.parametrize("gamma", [0.0, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0])
def test_curvature_is_positive_and_bounds_exact_hessian(gamma, n_classes):
    # Scores over the whole range where l'' changes sign (u* is about -3).
    y, raw, sw = make_data(n_classes, np.float64, weighted=True, n=4000, scale=8.0)
    loss = FocalLoss(gamma=gamma, alpha=alpha_for(n_classes, True))
    _, curvature = loss.gradient_hessian(y, raw, sample_weight=sw)
    exact = loss.hessian_exact(y, raw, sample_weight=sw)
    nonzero = curvature > 0
    assert np.all(nonzero | (exact == 0))  # zero only where both underflow
    assert nonzero.mean() > 0.99
    assert np.all(curvature >= exact * (1 - 1e-14 * np.sign(exact)))
    if gamma == 0.0:
        np.testing.assert_allclose(curvature, exact, rtol=1e-14, atol=0)
    else:
        assert np.any(exact < 0)  # the focal loss is not convex in the score


@pytest.mark.parametrize("weighted", [False, True])
def test_gamma_zero_is_sklearn_binomial_loss(weighted):
    y, raw, sw = make_data(2, np.float64, weighted, n=1000, scale=10.0)
    ours = FocalLoss(gamma=0.0)
    theirs = HalfBinomialLoss()
    grad, hess = ours.gradient_hessian(y, raw, sample_weight=sw)
    t_grad, t_hess = theirs.gradient_hessian(y, raw, sample_weight=sw)
    np.testing.assert_allclose(grad, t_grad, rtol=1e-12, atol=0)
    np.testing.assert_allclose(hess, t_hess, rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        ours.hessian_exact(y, raw, sample_weight=sw), t_hess, rtol=1e-12, atol=0
    )
    # scikit-learn computes log1p(exp(z)) - y z, which cancels for confident correct
    # predictions (absolute error ~1e-15); ours is exact there (see the 50-digit test).
    np.testing.assert_allclose(
        ours.loss(y, raw, sample_weight=sw),
        theirs.loss(y, raw, sample_weight=sw),
        rtol=1e-12,
        atol=1e-14,
    )


# Row-major outputs are stored by a copy of the loop per class count from 3 to 7
# and a loop over any other K (_kernels._store_block): each is checked.
@pytest.mark.parametrize("n_classes", [3, N_CLASSES, 5, 6, 7, 9])
@pytest.mark.parametrize("weighted", [False, True])
def test_gamma_zero_is_sklearn_multinomial_loss(weighted, n_classes):
    y, raw, sw = make_data(n_classes, np.float64, weighted, n=1000, scale=10.0)
    ours = FocalLoss(gamma=0.0)
    theirs = HalfMultinomialLoss(n_classes=n_classes)
    grad, hess = ours.gradient_hessian(y, raw, sample_weight=sw)
    t_grad, t_hess = theirs.gradient_hessian(y, raw, sample_weight=sw)
    # scikit-learn forms p_y - 1 and p_k (1 - p_k), which cancel as p -> 1 (absolute
    # error ~1e-16 times the weight); ours never subtracts from 1.
    atol = 1e-15 * (1.0 if sw is None else sw.max())
    np.testing.assert_allclose(grad, t_grad, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(hess, t_hess, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(
        ours.hessian_exact(y, raw, sample_weight=sw), t_hess, rtol=1e-12, atol=atol
    )
    # scikit-learn computes log1p(exp(z)) - y z, which cancels for confident correct
    # predictions (absolute error ~1e-15); ours is exact there (see the 50-digit test).
    np.testing.assert_allclose(
        ours.loss(y, raw, sample_weight=sw),
        theirs.loss(y, raw, sample_weight=sw),
        rtol=1e-12,
        atol=1e-14,
    )


EXTREME = [-1e4, -700.0, -50.0, -3.0, -1e-8, 0.0, 1e-8, 3.0, 50.0, 700.0, 1e4]


# Integer gamma up to 7 takes q**gamma by multiplication, any other by exp(gamma log q).
@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("gamma", [*GAMMAS, 3.0, 7.0, 7.5, 8.0])
def test_binary_extreme_scores_match_50_digit_reference(gamma, alpha):
    z = np.array(EXTREME * 2)
    y = np.repeat([0.0, 1.0], len(EXTREME))
    loss = FocalLoss(gamma=gamma, alpha=alpha)
    weights = loss.class_weights(2)[y.astype(int)]
    reference = [
        ref.binary(yi, zi, gamma, w) for yi, zi, w in zip(y, z, weights, strict=True)
    ]
    ref_loss, ref_grad, ref_hess = (
        ref.to_float(col) for col in zip(*reference, strict=True)
    )
    p_true = ref.to_float(
        [ref.binary_p_true(yi, zi) for yi, zi in zip(y, z, strict=True)]
    )
    ref_curvature = (1 + gamma) * p_true * np.abs(ref_grad)

    with np.errstate(over="raise", divide="raise", invalid="raise"):
        values = loss.loss(y, z)
        grad, curvature = loss.gradient_hessian(y, z)
        exact = loss.hessian_exact(y, z)
    for value in (values, grad, curvature, exact):
        assert np.all(np.isfinite(value))
    assert ref.relative_error(values, ref_loss).max() < 1e-13
    assert ref.relative_error(grad, ref_grad).max() < 1e-13
    assert ref.relative_error(curvature, ref_curvature).max() < 1e-13
    # l'' has a root near u* ~ -3 where only absolute accuracy is meaningful.
    assert ref.hessian_error(exact, ref_hess, ref_grad).max() < 1e-13


SOFTMAX_ROWS = [
    [0.0, 0.0, 0.0],
    [1e4, -1e4, 0.0],
    [-1e4, 1e4, 0.0],
    [700.0, 699.0, -700.0],
    [-700.0, 700.0, 700.0],
    [50.0, -50.0, 49.0],
    [-50.0, 50.0, 50.0],
    [3.0, -2.0, 1.0],
    [1e-8, -1e-8, 0.0],
    [1e4, 1e4 - 1.0, -1e4],
]


@pytest.mark.parametrize("with_alpha", [False, True])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_softmax_extreme_scores_match_50_digit_reference(gamma, with_alpha):
    raw = np.array(SOFTMAX_ROWS * 3)
    y = np.repeat([0.0, 1.0, 2.0], len(SOFTMAX_ROWS))
    loss = FocalLoss(gamma=gamma, alpha=alpha_for(3, with_alpha))
    weights = loss.class_weights(3)[y.astype(int)]
    reference = [
        ref.softmax(yi, zi, gamma, w) for yi, zi, w in zip(y, raw, weights, strict=True)
    ]
    ref_loss = ref.to_float([r[0] for r in reference])
    ref_grad = np.array([ref.to_float(r[1]) for r in reference])
    ref_hess = np.array([ref.to_float(r[2]) for r in reference])

    with np.errstate(over="raise", divide="raise", invalid="raise"):
        values = loss.loss(y, raw)
        grad = loss.gradient(y, raw)
        exact = loss.hessian_exact(y, raw)
        _, curvature = loss.gradient_hessian(y, raw)
    for value in (values, grad, exact, curvature):
        assert np.all(np.isfinite(value))
    # z_y - max_k z_k is rounded once for |z| = 1e4: the loss is conditioned by |u|.
    assert ref.relative_error(values, ref_loss).max() < 1e-12
    assert ref.relative_error(grad, ref_grad).max() < 1e-12
    assert ref.hessian_error(exact, ref_hess, ref_grad).max() < 1e-12
    assert np.all(curvature >= exact * (1 - 1e-14 * np.sign(exact)))


def test_float32_scores_are_computed_in_float64():
    y, raw32, _ = make_data(N_CLASSES, np.float32, weighted=False)
    loss = FocalLoss(gamma=2.0)
    grad32 = loss.gradient(y, raw32)
    grad64 = loss.gradient(y, raw32.astype(np.float64))
    assert grad32.dtype == np.float32
    np.testing.assert_array_equal(grad32, grad64.astype(np.float32))


def test_outputs_can_be_written_into_buffers():
    y, raw, sw = make_data(N_CLASSES, np.float64, weighted=True)
    loss = FocalLoss(gamma=1.5)
    grad_buf = np.empty_like(raw)
    hess_buf = np.empty(raw.shape, dtype=np.float32)
    grad, hess = loss.gradient_hessian(
        y, raw, sw, gradient_out=grad_buf, hessian_out=hess_buf
    )
    assert grad is grad_buf and hess is hess_buf
    expected_grad, expected_hess = loss.gradient_hessian(y, raw, sw)
    np.testing.assert_array_equal(grad_buf, expected_grad)
    np.testing.assert_array_equal(hess_buf, expected_hess.astype(np.float32))
    loss_buf = np.empty(raw.shape[0])
    assert loss.loss(y, raw, sw, loss_out=loss_buf) is loss_buf
    np.testing.assert_array_equal(loss_buf, loss.loss(y, raw, sw))


# ------------------------------------------------ vectorisable exp and log1p, speed
@njit
def _apply_exp(x, out):
    for i in range(x.shape[0]):
        out[i] = _kernels._exp_nonpositive(x[i])


@njit
def _apply_log1p(x, out):
    for i in range(x.shape[0]):
        out[i] = _kernels._log1p_unit(x[i])


def _mp_reference(func, points):
    with mp.workdps(40):
        return np.array([float(func(mp.mpf(float(v)))) for v in points])


def _ulp_error(value, reference):
    """Error in units of the reference's last place (subnormals: absolute ulps)."""
    spacing = np.spacing(np.abs(reference))
    return np.abs(value - reference) / spacing


def test_polynomial_exp_is_within_one_ulp_over_its_range():
    rng = np.random.default_rng(0)
    x = -np.concatenate(
        [
            [
                0.0,
                1e-300,
                5e-324,
                np.log(2) / 2,
                708.0,
                745.0,
                745.2,
                746.0,
                760.0,
                1e6,
            ],
            np.logspace(-20, np.log10(760), 3000),
            rng.uniform(0, 760, 3000),
        ]
    )
    out = np.empty_like(x)
    _apply_exp(x, out)
    reference = _mp_reference(mp.exp, x)
    assert _ulp_error(out, reference).max() <= 1.0
    # A million more points against the platform's exp (itself within 1 ulp).
    x = -rng.uniform(0, 745, 1_000_000)
    out = np.empty_like(x)
    _apply_exp(x, out)
    assert _ulp_error(out, np.exp(x)).max() <= 2.0


def test_polynomial_log1p_is_within_two_ulp_over_its_range():
    rng = np.random.default_rng(1)
    edge = np.sqrt(2) - 1
    e = np.concatenate(
        [
            [0.0, 5e-324, 1e-300, 1e-17, np.nextafter(edge, 0), edge, 1.0],
            [np.nextafter(edge, 1), np.nextafter(1.0, 0)],
            np.logspace(-320, 0, 3000),
            rng.uniform(0, 1, 3000),
        ]
    )
    out = np.empty_like(e)
    _apply_log1p(e, out)
    reference = _mp_reference(mp.log1p, e)
    assert _ulp_error(out, reference).max() <= 2.0
    e = rng.uniform(0, 1, 1_000_000)
    out = np.empty_like(e)
    _apply_log1p(e, out)
    assert _ulp_error(out, np.log1p(e)).max() <= 3.0


@pytest.mark.parametrize(
    "name, n_outputs",
    [
        ("binary_loss", 1),
        ("binary_loss_gradient", 2),
        ("binary_gradient", 1),
        ("binary_gradient_curvature", 2),
        ("binary_hessian_exact", 1),
    ],
)
def test_binary_kernels_are_vectorised(name, n_outputs):
    # The cached kernels cannot show their IR: compile the same function again.
    kernel = getattr(_kernels, name)
    options = {k: v for k, v in _kernels._OPTIONS.items() if k != "cache"}
    fresh = njit(**options)(kernel.py_func)
    y, raw = np.zeros(8), np.zeros(8)
    fresh(y, raw, 2.0, np.ones(2), None, *[np.empty(8) for _ in range(n_outputs)])
    llvm_ir = fresh.inspect_llvm(fresh.signatures[0])
    # Both copies of the loop: integer gamma by multiplication, any gamma by exp.
    assert len(re.findall(r"^vector\.body[0-9]*:", llvm_ir, re.MULTILINE)) == 2


_VECTOR_WIDTH_PROBE = """
import json
import numpy as np
from numba import njit, typeof
from skfocal import _kernels

# Compiled, never run: the target CPU may not be this machine's.
options = {k: v for k, v in _kernels._OPTIONS.items() if k != "cache"}
v = np.zeros(8)
probes = {
    "binary_gradient_curvature": (v, v, 2.0, np.ones(2), None, v, v),
    "_atom_pass": (v, v, v, v, v, 2.0, False, np.zeros((4, 8)), 8),
}
counts = {}
for name, args in probes.items():
    fresh = njit(**options)(getattr(_kernels, name).py_func)
    fresh.compile(tuple(typeof(a) for a in args))
    asm = fresh.inspect_asm(fresh.signatures[0])
    counts[name] = {"zmm": asm.count("zmm"), "ymm": asm.count("ymm")}


@njit(**options)
def plain(x, out):  # without the attribute: LLVM's own choice for the target
    for i in range(x.shape[0]):
        out[i] = x[i] * x[i] + 1.0 / (1.0 + x[i])


plain.compile((typeof(v), typeof(v)))
asm = plain.inspect_asm(plain.signatures[0])
counts["plain"] = {"zmm": asm.count("zmm"), "ymm": asm.count("ymm")}
print(json.dumps(counts))
"""


@pytest.mark.parametrize(
    "cpu, prefers_256",
    [("icelake-server", True), ("skylake-avx512", True), ("znver4", False),
     ("haswell", None)],
)  # fmt: skip
def test_kernels_use_512_bit_vectors_on_avx512_targets(cpu, prefers_256, tmp_path):
    """Compiled for each target (compiling needs no such CPU): zmm registers.

    LLVM tunes Intel's AVX-512 CPUs to prefer 256-bit vectors; the kernels'
    prefer-vector-width attribute lifts that for them alone, which a plain Numba
    function compiled for the same target shows (no zmm on Intel). Haswell has
    no AVX-512 (``prefers_256`` None): 256-bit vectors, the attribute asks for
    nothing the CPU does not have.
    """
    if cpu == "znver4" and llvm_version_info < (16,):
        pytest.skip("LLVM < 16 (numba < 0.62) does not know znver4 and aborts")
    # An empty feature string: the target CPU's own features. Without it Numba
    # adds the host's, which would change the result on a host without AVX-512.
    env = {
        **os.environ,
        "NUMBA_CPU_NAME": cpu,
        "NUMBA_CPU_FEATURES": "",
        "NUMBA_CACHE_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", _VECTOR_WIDTH_PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    if prefers_256 is None:
        for name in ("binary_gradient_curvature", "_atom_pass", "plain"):
            assert counts[name]["zmm"] == 0
            assert counts[name]["ymm"] > 0
        return
    assert counts["binary_gradient_curvature"]["zmm"] > 0
    assert counts["_atom_pass"]["zmm"] > 0
    assert (counts["plain"]["zmm"] == 0) == prefers_256


@pytest.mark.parametrize("name", ["_max_pass", "_exp_pass", "_atom_pass", "_row_pass"])
def test_softmax_passes_are_vectorised(name):
    kernel = getattr(_kernels, name)
    options = {k: v for k, v in _kernels._OPTIONS.items() if k != "cache"}
    fresh = njit(**options)(kernel.py_func)
    v = np.zeros(8)
    args = {
        "_max_pass": (v, v.copy(), 1, v.copy(), v.copy(), v.copy(), 8),
        "_exp_pass": (v, v.copy(), 1, v.copy(), v.copy(), v.copy(), v.copy(), 8),
        "_atom_pass": (v, v.copy(), v.copy(), v.copy(), v.copy(), 2.0, False,
                       np.zeros((4, 8)), 8),
        "_row_pass": (v, v.copy(), v.copy(), 1, v.copy(), np.zeros((4, 8)), 1.0,
                      v.copy(), v.copy(), 8),
    }[name]  # fmt: skip
    fresh(*args)
    assert "vector.body" in fresh.inspect_llvm(fresh.signatures[0])


@pytest.mark.parametrize("n_classes", [2, N_CLASSES])
def test_threads_give_the_same_bits(n_classes):
    y, raw, sw = make_data(n_classes, np.float64, weighted=True, n=230_001)
    loss = FocalLoss(gamma=1.5, alpha=alpha_for(n_classes, True))
    for method in ("loss", "gradient", "hessian_exact"):
        serial = getattr(loss, method)(y, raw, sw)
        threaded = getattr(loss, method)(y, raw, sw, n_threads=3)
        np.testing.assert_array_equal(threaded, serial)
    serial = loss.gradient_hessian(y, raw, sw)
    threaded = loss.gradient_hessian(y, raw, sw, n_threads=2)
    for a, b in zip(threaded, serial, strict=True):
        np.testing.assert_array_equal(a, b)


def test_threaded_calls_from_concurrent_threads():
    # Callers that are themselves threads (joblib's threading backend) share the pool.
    from concurrent.futures import ThreadPoolExecutor

    y, raw, _ = make_data(2, np.float64, weighted=False, n=200_000)
    loss = FocalLoss(gamma=2.0)
    expected = loss.gradient(y, raw)
    with ThreadPoolExecutor(4) as callers:
        results = list(
            callers.map(lambda _: loss.gradient(y, raw, n_threads=2), range(8))
        )
    for result in results:
        np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("n_threads", [0, 1.5, True])
def test_bad_n_threads_is_rejected(n_threads):
    with pytest.raises(ValueError, match="n_threads"):
        FocalLoss().loss([0, 1], np.zeros(2), n_threads=n_threads)


@pytest.mark.parametrize("n_threads", [-1, -2, -1000])
def test_negative_n_threads_count_as_joblibs_n_jobs(n_threads):
    # -1 is every CPU, as n_jobs=-1 for the estimators; too negative is one.
    y, raw, sw = make_data(2, np.float64, weighted=True, n=120_000)
    loss = FocalLoss(gamma=2.0)
    expected = loss.gradient_hessian(y, raw, sw)
    result = loss.gradient_hessian(y, raw, sw, n_threads=n_threads)
    np.testing.assert_array_equal(result, expected)
    assert check_n_threads(n_threads) == max(1, joblib.cpu_count() + 1 + n_threads)


# ----------------------------------------------- invalid values counted in the pass
KERNEL_KINDS = {
    "loss": ("loss",),
    "loss_gradient": ("loss", "gradient"),
    "gradient": ("gradient",),
    "gradient_hessian": ("gradient", "hessian"),
    "hessian_exact": ("hessian",),
}


def frozen(array):
    """``array`` made read-only, as ``make_data``'s."""
    array.flags.writeable = False
    return array


def spoiled(n_classes, label_dtype, n, seed=0):
    """Data with invalid labels and non-finite scores at random places, and the
    count of them by numpy."""
    y, raw, sw = make_data(n_classes, np.float64, weighted=True, seed=seed, n=n)
    y, raw = y.astype(label_dtype), raw.copy()
    rng = np.random.default_rng(seed + 1)
    bad_labels = [-1, n_classes, 10**9, -(2**31)]
    if label_dtype == np.float64:
        bad_labels += [np.nan, np.inf, -np.inf, 0.5, n_classes - 0.5, 1e300]
    rows = rng.choice(n, size=3 * len(bad_labels), replace=False)
    y[rows[: len(bad_labels)]] = bad_labels
    flat = raw.reshape(-1)  # a view: rows may get one or several bad scores
    flat[rng.choice(flat.size, size=9, replace=False)] = [np.nan, np.inf, -np.inf] * 3
    valid = (y >= 0) & (y <= n_classes - 1) & (y == np.floor(y))
    count = np.count_nonzero(~valid) + np.count_nonzero(~np.isfinite(raw))
    bad_rows = ~valid | ~np.isfinite(raw.reshape(n, -1)).all(axis=1)
    return frozen(y), frozen(raw), sw, count, bad_rows


def run_kind(loss, kind, y, raw, sw, n_classes, n_threads=1):
    """Count and outputs of ``_run_kernel`` (fresh output arrays)."""
    shapes = {"loss": raw.shape[:1], "gradient": raw.shape, "hessian": raw.shape}
    outs = {name: np.full(shapes[name], -7.0) for name in KERNEL_KINDS[kind]}
    count = loss._run_kernel(
        kind, y, raw, sw, loss.class_weights(n_classes), n_threads=n_threads, **outs
    )
    return count, outs


@pytest.mark.parametrize("label_dtype", [np.float64, np.int64])
@pytest.mark.parametrize("n_classes", [2, 3, N_CLASSES])
@pytest.mark.parametrize("kind", sorted(KERNEL_KINDS))
def test_kernels_count_invalid_labels_and_scores(kind, n_classes, label_dtype):
    # 1000 rows: several softmax blocks, the last one partial.
    y, raw, sw, count, bad_rows = spoiled(n_classes, label_dtype, n=1000)
    loss = FocalLoss(gamma=1.5, alpha=alpha_for(n_classes, True))
    got, outs = run_kind(loss, kind, y, raw, sw, n_classes)
    assert got == count > 0
    # The rows around the invalid ones are computed as without them, to the bit.
    clean_y = frozen(np.where(bad_rows, 0, y).astype(np.float64))
    clean_raw = frozen(
        np.where(bad_rows if raw.ndim == 1 else bad_rows[:, None], 0.0, raw)
    )
    zero, expected = run_kind(loss, kind, clean_y, clean_raw, sw, n_classes)
    assert zero == 0
    for name, out in outs.items():
        np.testing.assert_array_equal(out[~bad_rows], expected[name][~bad_rows])


@pytest.mark.parametrize("n_classes", [2, N_CLASSES])
def test_threaded_kernels_sum_the_counts_of_their_chunks(n_classes):
    n = 2 * MIN_ROWS_PER_THREAD + 1  # two chunks for two threads
    y, raw, sw, count, _ = spoiled(n_classes, np.float64, n=n)
    loss = FocalLoss(gamma=2.0)
    serial, serial_outs = run_kind(loss, "gradient_hessian", y, raw, sw, n_classes)
    for n_threads in (2, 3):
        got, outs = run_kind(loss, "gradient_hessian", y, raw, sw, n_classes, n_threads)
        assert got == serial == count
        for name, out in outs.items():
            np.testing.assert_array_equal(out, serial_outs[name])
    # Invalid values in one chunk only (rows [0, n // 2) and [n // 2, n)): each
    # chunk's count reaches the caller.
    for clean in (slice(None, n // 2), slice(n // 2, None)):
        y_one, raw_one = y.copy(), raw.copy()
        y_one[clean], raw_one[clean] = 0.0, 0.0
        y_one, raw_one = frozen(y_one), frozen(raw_one)
        valid = (y_one >= 0) & (y_one <= n_classes - 1) & (y_one == np.floor(y_one))
        expected = np.count_nonzero(~valid) + np.count_nonzero(~np.isfinite(raw_one))
        assert 0 < expected < count
        got, _ = run_kind(loss, "gradient_hessian", y_one, raw_one, sw, n_classes, 2)
        assert got == expected


@pytest.mark.parametrize(
    "n_classes, label_dtype",
    [(2, np.int64), (2, np.int32), (2, bool), (N_CLASSES, np.int64),
     (N_CLASSES, np.uint8)],
)  # fmt: skip
def test_integer_labels_give_the_bits_of_float_labels(n_classes, label_dtype):
    # int64 labels go to the kernels as they are (no float64 copy), other dtypes
    # are converted: the results must not depend on it.
    y, raw, sw = make_data(n_classes, np.float64, weighted=True, n=1000)
    labels = frozen(y.astype(label_dtype))
    loss = FocalLoss(gamma=0.5, alpha=alpha_for(n_classes, True))
    for method in KERNEL_KINDS:
        ours = getattr(loss, method)(labels, raw, sw)
        reference = getattr(loss, method)(y, raw, sw)
        if method in ("loss_gradient", "gradient_hessian"):
            for a, b in zip(ours, reference, strict=True):
                np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_array_equal(ours, reference)


def test_kernels_return_zero_for_valid_input():
    for n_classes in (2, N_CLASSES):
        y, raw, sw = make_data(n_classes, np.float32, weighted=True)
        for kind in KERNEL_KINDS:
            count, _ = run_kind(FocalLoss(), kind, y, raw, sw, n_classes)
            assert count == 0


@pytest.mark.parametrize("n_classes", [2, N_CLASSES])
def test_writeable_flags_and_hessian_scale_compile_no_new_specialisation(n_classes):
    # run_kernel hands the kernels read-only views and always a Hessian scale to
    # the softmax gradient_hessian: the caller's flags must not cost a compilation.
    y, raw, sw = make_data(n_classes, np.float64, weighted=True)  # read-only
    loss = FocalLoss(gamma=2.0)
    kind = "binary" if n_classes == 2 else "softmax"
    kernel = getattr(_kernels, f"{kind}_gradient_curvature")
    loss.gradient_hessian(y, raw, sw)
    compiled = len(kernel.signatures)
    grad, hess = loss.gradient_hessian(y.copy(), raw.copy(), sw.copy())  # writeable
    assert len(kernel.signatures) == compiled
    if n_classes > 2:
        g, h = np.empty_like(raw), np.empty_like(raw)
        loss._run_kernel(
            "gradient_hessian", y.copy(), raw.copy(), sw.copy(),
            loss.class_weights(n_classes).copy(), gradient=g, hessian=h,
            hessian_scale=2.0,
        )  # fmt: skip
        assert len(kernel.signatures) == compiled
        np.testing.assert_array_equal(g, grad)
        np.testing.assert_array_equal(h, 2.0 * hess)
