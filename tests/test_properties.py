"""Properties of FocalLoss that hold for every input (hypothesis).

Raw scores are drawn from the whole float range: subnormals, +-1e300, the largest
finite floats; gamma from [0, 10], alpha and sample weights at random. For each draw:
every output is finite, the loss is >= 0, the gradient pushes the score towards the
true class, the curvature is >= 0 (> 0 wherever its value is representable) and
bounds the exact Hessian, probabilities lie in [0, 1] and sum to 1 per row, and gamma
= 0 is scikit-learn's logistic / multinomial loss.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss

from skfocal import FocalLoss

SETTINGS = settings(max_examples=150, deadline=None)


def scores(dtype):
    """Scores up to 1e300 (float64) or 2**100 ~ 1e30 (float32), subnormals included.

    The loss grows as |z|: times alpha and a sample weight (up to 1e3 each), larger
    scores would exceed the largest float of the output's dtype.
    """
    if dtype == np.float32:
        return st.floats(-(2.0**100), 2.0**100, width=32)
    return st.floats(-1e300, 1e300)


@st.composite
def binary_problems(draw, dtype=np.float64):
    n = draw(st.integers(1, 30))
    raw = np.array(draw(st.lists(scores(dtype), min_size=n, max_size=n)), dtype=dtype)
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    return y, raw


@st.composite
def softmax_problems(draw, dtype=np.float64):
    n = draw(st.integers(1, 15))
    k = draw(st.integers(3, 6))
    cells = draw(st.lists(scores(dtype), min_size=n * k, max_size=n * k))
    raw = np.array(cells, dtype=dtype).reshape(n, k)
    y = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return y, raw


def weights(n):
    return st.one_of(
        st.none(),
        st.lists(st.floats(0.0, 1e3), min_size=n, max_size=n).map(np.array),
    )


def alphas(n_classes):
    if n_classes == 2:
        return st.one_of(st.none(), st.floats(1e-3, 1 - 1e-3))
    return st.one_of(
        st.none(),
        st.lists(st.floats(1e-3, 1e3), min_size=n_classes, max_size=n_classes),
    )


def representable(margin, sw, dtype):
    """Rows whose curvature, about exp(-margin) times weights >= 1e-9, is above the
    dtype's smallest normal number (exp(-708) in float64, exp(-87) in float32)."""
    limit = 600.0 if dtype == np.float64 else 50.0
    heavy = np.ones(margin.shape[0], dtype=bool) if sw is None else sw >= 1e-6
    return heavy & (margin < limit)


def check_invariants(loss, y, raw, sw):
    """Every property that does not depend on gamma being 0."""
    # no overflow, no division by zero, no 0/0 (underflow to 0 is harmless)
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        values = loss.loss(y, raw, sw)
        grad, curvature = loss.gradient_hessian(y, raw, sw)
        exact = loss.hessian_exact(y, raw, sw)
        proba = loss.predict_proba(raw)
        posterior = loss.posterior(raw)
    for array in (values, grad, curvature, exact, proba, posterior):
        assert np.all(np.isfinite(array))
    assert np.all(values >= 0)
    assert np.all(curvature >= 0)
    # the curvature bounds the exact second derivative (which may be negative), up
    # to rounding (relative, or absolute among subnormals)
    tiny = np.finfo(exact.dtype).tiny
    assert np.all(curvature >= exact * (1 - 1e-14 * np.sign(exact)) - tiny)
    for p in (proba, posterior):
        assert np.all((p >= 0) & (p <= 1))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=8 * np.finfo(p.dtype).eps)
    return values, grad, curvature


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@SETTINGS
@given(data=st.data(), gamma=st.floats(0.0, 10.0))
def test_binary_invariants(dtype, data, gamma):
    y, raw = data.draw(binary_problems(dtype))
    sw = data.draw(weights(y.shape[0]))
    loss = FocalLoss(gamma=gamma, alpha=data.draw(alphas(2)))
    _, grad, curvature = check_invariants(loss, y, raw, sw)
    # the gradient pushes the score towards the true class
    assert np.all(grad * (2 * y - 1) <= 0)
    # > 0 wherever its value is representable (it falls as exp(-(1 + gamma) |z|))
    margin = (1 + gamma) * np.abs(raw.astype(np.float64))
    assert np.all(curvature[representable(margin, sw, dtype)] > 0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@SETTINGS
@given(data=st.data(), gamma=st.floats(0.0, 10.0))
def test_softmax_invariants(dtype, data, gamma):
    y, raw = data.draw(softmax_problems(dtype))
    n, k = raw.shape
    sw = data.draw(weights(n))
    loss = FocalLoss(gamma=gamma, alpha=data.draw(alphas(k)))
    _, grad, curvature = check_invariants(loss, y, raw, sw)
    # only the target's score is pushed up
    rows = np.arange(n)
    assert np.all(grad[rows, y] <= 0)
    assert np.all(np.delete(grad.ravel(), rows * k + y) >= 0)
    # the gradient of a row sums to 0 (adding a constant to a row changes nothing)
    scale = np.abs(grad).max(axis=1)
    eps, tiny = np.finfo(dtype).eps, np.finfo(dtype).smallest_subnormal
    assert np.all(np.abs(grad.sum(axis=1)) <= 8 * eps * k * scale + k * tiny)
    # > 0 wherever its value is representable
    raw64 = raw.astype(np.float64)
    margin = (1 + gamma) * (raw64.max(axis=1) - raw64.min(axis=1))
    assert np.all(curvature[representable(margin, sw, dtype)] > 0)


# Scores where scikit-learn's own losses do not overflow. They compute
# log1p(exp(z)) - y z and p - 1, which cancel: their absolute error is about
# eps * |z| (loss) and eps (gradient, Hessian), times the weights.
moderate = st.floats(-500.0, 500.0)
EPS = np.finfo(np.float64).eps


def assert_close(ours, theirs, atol):
    # Subnormal weights make subnormal results: one rounding there is a few
    # multiples of the smallest subnormal, which the relative bound cannot see.
    floor = 4 * np.finfo(np.float64).smallest_subnormal
    assert np.all(np.abs(ours - theirs) <= 1e-12 * np.abs(theirs) + atol + floor)


@SETTINGS
@given(data=st.data())
def test_gamma_zero_binary_is_sklearn_logistic_loss(data):
    n = data.draw(st.integers(1, 30))
    raw = np.array(data.draw(st.lists(moderate, min_size=n, max_size=n)))
    labels = st.lists(st.integers(0, 1), min_size=n, max_size=n)
    y = np.array(data.draw(labels), dtype=np.float64)
    sw = data.draw(weights(n))
    ours, theirs = FocalLoss(gamma=0.0), HalfBinomialLoss()
    w = 1.0 if sw is None else sw
    assert_close(
        ours.loss(y, raw, sw), theirs.loss(y, raw, sw), 4 * EPS * w * (1 + np.abs(raw))
    )
    for a, b in zip(
        ours.gradient_hessian(y, raw, sw),
        theirs.gradient_hessian(y, raw, sw),
        strict=True,
    ):
        assert_close(a, b, 4 * EPS * w)


@SETTINGS
@given(data=st.data())
def test_gamma_zero_softmax_is_sklearn_multinomial_loss(data):
    n, k = data.draw(st.integers(1, 15)), data.draw(st.integers(3, 6))
    cells = data.draw(st.lists(moderate, min_size=n * k, max_size=n * k))
    raw = np.array(cells).reshape(n, k)
    y = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    ours, theirs = FocalLoss(gamma=0.0), HalfMultinomialLoss(n_classes=k)
    spread = raw.max(axis=1) - raw.min(axis=1)
    assert_close(
        ours.loss(y, raw), theirs.loss(y.astype(float), raw), 8 * EPS * (1 + spread)
    )
    for a, b in zip(
        ours.gradient_hessian(y, raw),
        theirs.gradient_hessian(y.astype(float), raw),
        strict=True,
    ):
        assert_close(a, b, 8 * EPS)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 10.0])
def test_largest_and_smallest_floats(gamma):
    big = np.finfo(np.float64).max
    z = np.array([-big, -1e300, -5e-324, 0.0, 5e-324, 1e300, big] * 2)
    y = np.repeat([0, 1], 7)
    loss = FocalLoss(gamma=gamma)
    values, _, _ = check_invariants(loss, y, z, None)
    # a score of the wrong sign costs |z|; one of the right sign costs nothing
    wrong = (2 * y - 1) * z < -1
    np.testing.assert_allclose(values[wrong], np.abs(z[wrong]), rtol=1e-15)
    assert np.all(values[(2 * y - 1) * z > 1] == 0)
    # probabilities are exactly 0 or 1 at huge scores and 1/2 at subnormal ones
    expected = np.where(np.abs(z) < 1e-300, 0.5, (z > 0).astype(float))
    np.testing.assert_array_equal(loss.posterior(z)[:, 1], expected)
