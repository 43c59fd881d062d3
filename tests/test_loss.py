"""`FocalLoss`: parameters, input checks, optimal constant score, link and posterior."""

import pickle

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, softmax
from sklearn._loss.loss import HalfMultinomialLoss
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss


# ---------------------------------------------------------------- parameters
@pytest.mark.parametrize("gamma", [-0.1, np.nan, np.inf, "2", None, True])
def test_invalid_gamma_is_rejected(gamma):
    with pytest.raises(InvalidParameterError, match="'gamma' parameter"):
        FocalLoss(gamma=gamma)


@pytest.mark.parametrize(
    "alpha, match",
    [
        (0.0, "open interval"),
        (1.0, "open interval"),
        (1.5, "open interval"),
        ([1.0, 0.0, 2.0], "finite and > 0"),
        ([1.0, -1.0], "finite and > 0"),
        ([1.0, np.nan], "finite and > 0"),
        ([1.0], "at least 2"),
        ([[1.0, 2.0]], "at least 2"),
        ("balanced", "at least 2"),
    ],
)
def test_invalid_alpha_is_rejected(alpha, match):
    with pytest.raises(InvalidParameterError, match=match):
        FocalLoss(alpha=alpha)


def test_float_alpha_is_binary_only():
    loss = FocalLoss(alpha=0.25)
    y = np.array([0, 1, 2])
    with pytest.raises(ValueError, match="one weight per class"):
        loss.loss(y, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="one weight per class"):
        loss.init_score(y)


def test_alpha_vector_length_must_match_classes():
    loss = FocalLoss(alpha=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="3 per-class weights but there are 4"):
        loss.gradient(np.array([0, 1]), np.zeros((2, 4)))


def test_alpha_weights_each_class():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 50)
    raw = rng.standard_normal((50, 3))
    weights = np.array([0.5, 1.0, 4.0])
    weighted = FocalLoss(gamma=1.0, alpha=weights).loss(y, raw)
    plain = FocalLoss(gamma=1.0).loss(y, raw)
    np.testing.assert_allclose(weighted, weights[y] * plain, rtol=1e-15)
    # A binary float alpha weighs class 1 by alpha and class 0 by 1 - alpha.
    yb = rng.integers(0, 2, 50)
    binary = FocalLoss(gamma=1.0, alpha=0.2).loss(yb, raw[:, 0])
    expected = np.where(yb == 1, 0.2, 0.8) * FocalLoss(gamma=1.0).loss(yb, raw[:, 0])
    np.testing.assert_allclose(binary, expected, rtol=1e-15)


def test_loss_object_is_picklable_and_has_a_repr():
    loss = FocalLoss(gamma=0.5, alpha=[1.0, 3.0])
    clone = pickle.loads(pickle.dumps(loss))
    assert repr(clone) == "FocalLoss(gamma=0.5, alpha=[1.0, 3.0])"
    y, raw = np.array([0, 1]), np.array([0.3, -2.0])
    np.testing.assert_array_equal(clone.gradient(y, raw), loss.gradient(y, raw))


# -------------------------------------------------------------------- arrays
@pytest.mark.parametrize(
    "y, raw, match",
    [
        ([0, 2], np.zeros(2), r"class indices in \{0, \.\.\., 1\}"),
        ([0, 3], np.zeros((2, 3)), r"found \[3\.0\]"),
        ([0, 0.5], np.zeros(2), r"found \[0\.5\]"),
        ([0, -1], np.zeros(2), r"found \[-1\.0\]"),
        ([0, np.nan], np.zeros(2), "found"),
        (["a", "b"], np.zeros(2), "LabelEncoder"),
        ([0, 1, 1], np.zeros(2), r"shape \(2,\)"),
        ([0, 1], np.zeros((2, 1)), "ambiguous"),
        ([0, 1], np.zeros((2, 2, 2)), "shape"),
        ([0, 1], np.array([0.0, np.nan]), "raw_prediction contains NaN"),
        ([0, 1], np.array([0.0, np.inf]), "raw_prediction contains NaN"),
        ([0, 1], np.array(["x", "y"]), "numeric"),
    ],
)
def test_bad_arrays_get_clear_errors(y, raw, match):
    with pytest.raises(ValueError, match=match):
        FocalLoss().gradient_hessian(y, raw)


@pytest.mark.parametrize(
    "sample_weight, match",
    [
        ([1.0, 2.0, 3.0], r"shape \(2,\)"),
        ([1.0, -1.0], "non-negative"),
        ([1.0, np.nan], "sample_weight contains NaN"),
    ],
)
def test_bad_sample_weight_is_rejected(sample_weight, match):
    with pytest.raises(ValueError, match=match):
        FocalLoss().loss([0, 1], np.zeros(2), sample_weight=sample_weight)


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_column_major_output_buffers_of_the_boosting_libraries(n_classes, dtype):
    # LightGBM, XGBoost and scikit-learn's gradient boosting hand over float32
    # (scikit-learn: column-major) buffers; the public methods write into them.
    rng = np.random.default_rng(0)
    y = rng.integers(0, n_classes, 50)
    shape = (50,) if n_classes == 2 else (50, n_classes)
    raw = rng.normal(size=shape) * 3
    loss = FocalLoss(gamma=1.5)
    grad, hess = loss.gradient_hessian(y, raw, sample_weight=np.linspace(0, 2, 50))
    grad_out = np.empty(shape, dtype=dtype, order="F")
    hess_out = np.empty(shape, dtype=dtype, order="F")
    results = loss.gradient_hessian(
        y, raw, np.linspace(0, 2, 50), gradient_out=grad_out, hessian_out=hess_out
    )
    assert results[0] is grad_out and results[1] is hess_out
    np.testing.assert_array_equal(grad_out, grad.astype(dtype))
    np.testing.assert_array_equal(hess_out, hess.astype(dtype))


def test_bad_output_buffers_are_rejected():
    loss = FocalLoss()
    y, raw = np.array([0, 1]), np.zeros(2)
    with pytest.raises(ValueError, match=r"gradient_out must have shape \(2,\)"):
        loss.gradient(y, raw, gradient_out=np.empty(3))
    with pytest.raises(ValueError, match="float32 or float64"):
        loss.gradient(y, raw, gradient_out=np.empty(2, dtype=np.int64))
    with pytest.raises(ValueError, match="C-contiguous"):
        loss.gradient(y, raw, gradient_out=np.empty(4)[::2])
    with pytest.raises(TypeError, match="numpy array"):
        loss.loss(y, raw, loss_out=[0.0, 0.0])


def test_scalar_sample_weight_and_integer_scores_are_accepted():
    loss = FocalLoss(gamma=1.0)
    y = np.array([0, 1, 1])
    np.testing.assert_allclose(
        loss.loss(y, np.array([1, -2, 3]), sample_weight=2.0),
        2.0 * loss.loss(y, np.array([1.0, -2.0, 3.0])),
    )


# ------------------------------------------------------------------ init score
def constant_risk_minimiser(counts, gamma, class_weight):
    """Brute force: the constant scores minimising the total focal loss."""
    y = np.repeat(np.arange(len(counts)), counts)
    loss = FocalLoss(gamma=gamma, alpha=class_weight)
    if len(counts) == 2:

        def risk(z):
            return loss.loss(y, np.full(len(y), z)).sum()

        return minimize_scalar(
            risk, bounds=(-30, 30), method="bounded", options={"xatol": 1e-12}
        ).x

    def risk_and_grad(z):
        raw = np.tile(z, (len(y), 1))
        values, grad = loss.loss_gradient(y, raw)
        return values.sum(), grad.sum(axis=0)

    start = np.log(np.asarray(counts, dtype=float))
    result = minimize(
        risk_and_grad,
        start,
        jac=True,
        method="BFGS",
        options={"gtol": 1e-12, "maxiter": 10_000},
    )
    return result.x


@pytest.mark.parametrize(
    "n_pos, n, gamma, alpha, expected",
    [  # the figures of docs/developer.rst, checked in 50-digit arithmetic
        (1, 100, 2.0, None, -1.706453),
        (1, 1000, 2.0, None, -2.545247),
        (10, 100, 5.0, None, -0.394644),
        (1, 100, 2.0, 0.25, -2.107398),
    ],
)
def test_binary_init_score_reproduces_documented_figures(
    n_pos, n, gamma, alpha, expected
):
    y = np.r_[np.ones(n_pos), np.zeros(n - n_pos)]
    z0 = FocalLoss(gamma=gamma, alpha=alpha).init_score(y)
    assert isinstance(z0, float)
    assert z0 == pytest.approx(expected, abs=1e-6)
    weight = None if alpha is None else [1 - alpha, alpha]
    brute = constant_risk_minimiser([n - n_pos, n_pos], gamma, weight)
    assert z0 == pytest.approx(brute, abs=1e-6)


@pytest.mark.parametrize("alpha", [None, 0.3])
def test_binary_init_score_at_gamma_zero_is_weighted_log_odds(alpha):
    rng = np.random.default_rng(1)
    y = (rng.uniform(size=500) < 0.05).astype(int)
    sw = rng.uniform(0.5, 2.0, size=500)
    z0 = FocalLoss(gamma=0.0, alpha=alpha).init_score(y, sample_weight=sw)
    log_odds = np.log(sw[y == 1].sum() / sw[y == 0].sum())
    if alpha is not None:
        log_odds += np.log(alpha / (1 - alpha))
    assert z0 == pytest.approx(log_odds, rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0, 5.0])
def test_binary_init_score_handles_extreme_imbalance(gamma):
    # Prior 1e-6 weighted further by 1e-100: far outside any log-odds start.
    y = np.r_[np.ones(1), np.zeros(10**6 - 1)]
    sw = np.ones_like(y)
    sw[0] = 1e-100
    z0 = FocalLoss(gamma=gamma).init_score(y, sample_weight=sw)
    assert np.isfinite(z0) and z0 < -30  # the log-odds are -244
    grad = FocalLoss(gamma=gamma).gradient(y, np.full(y.shape, z0), sample_weight=sw)
    assert abs(grad.sum()) <= 1e-10 * np.abs(grad).sum()


def test_softmax_init_score_reproduces_documented_figures():
    y = np.repeat([0, 1, 2, 3], [70, 20, 9, 1])
    scores = FocalLoss(gamma=2.0).init_score(y)
    assert scores.shape == (4,)
    assert scores.sum() == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(
        softmax(scores), [0.535, 0.292, 0.157, 0.0159], atol=6e-4
    )


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
def test_softmax_init_score_minimises_the_constant_risk(gamma):
    counts = [300, 120, 50, 7]
    weights = np.array([1.0, 0.5, 2.0, 3.0])
    y = np.repeat(np.arange(4), counts)
    scores = FocalLoss(gamma=gamma, alpha=weights).init_score(y)
    brute = constant_risk_minimiser(counts, gamma, weights)
    np.testing.assert_allclose(softmax(scores), softmax(brute), atol=1e-7)


def test_softmax_init_score_at_gamma_zero_is_sklearn_intercept():
    rng = np.random.default_rng(2)
    y = rng.choice(5, size=400, p=[0.5, 0.3, 0.1, 0.07, 0.03]).astype(float)
    sw = rng.uniform(0.5, 2.0, size=400)
    ours = FocalLoss(gamma=0.0).init_score(y, sample_weight=sw)
    theirs = HalfMultinomialLoss(n_classes=5).fit_intercept_only(y, sample_weight=sw)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_absent_class_gets_a_finite_low_score():
    y = np.repeat([0, 1, 3], [50, 30, 20])
    scores = FocalLoss(gamma=2.0).init_score(y, n_classes=5)
    assert scores.shape == (5,) and np.all(np.isfinite(scores))
    assert scores[2] == scores[4] < scores[[0, 1, 3]].min() - 30
    assert softmax(scores)[[2, 4]].max() < 1e-15


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        (np.zeros(10), {}, "at least two classes"),
        ([0, 1, 1], {"sample_weight": [0.0, 1.0, 1.0]}, "at least two classes"),
        ([0, 1, 2], {"n_classes": 2}, r"found \[2\.0\]"),
        ([0, 1], {"n_classes": 1}, "n_classes must be >= 2"),
        ([], {}, "non-empty"),
        (["a", "b"], {}, "integer class indices"),
    ],
)
def test_init_score_rejects_bad_labels(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        FocalLoss().init_score(y, **kwargs)


# ----------------------------------------------------------- link, posterior
def test_predict_proba_is_the_link():
    raw = np.array([-800.0, -3.0, 0.0, 2.5, 800.0])
    proba = FocalLoss().predict_proba(raw)
    np.testing.assert_array_equal(proba, np.column_stack([expit(-raw), expit(raw)]))
    raw2 = np.random.default_rng(3).standard_normal((6, 4)).astype(np.float32)
    proba2 = FocalLoss().predict_proba(raw2)
    assert proba2.dtype == np.float32
    np.testing.assert_allclose(proba2, softmax(raw2.astype(float), axis=1), rtol=1e-6)


def population_minimiser(eta, gamma):
    """Brute force: the raw scores minimising the expected focal loss under eta."""
    eta = np.asarray(eta)
    loss = FocalLoss(gamma=gamma)
    y = np.arange(len(eta))
    if len(eta) == 2:

        def risk(z):
            return loss.loss(y, np.full(2, z), sample_weight=eta).sum()

        return minimize_scalar(
            risk, bounds=(-40, 40), method="bounded", options={"xatol": 1e-13}
        ).x

    def risk_and_grad(z):
        values, grad = loss.loss_gradient(y, np.tile(z, (len(y), 1)), sample_weight=eta)
        return values.sum(), grad.sum(axis=0)

    return minimize(
        risk_and_grad,
        np.log(eta),
        jac=True,
        method="BFGS",
        options={"gtol": 1e-14, "maxiter": 10_000},
    ).x


@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("eta", [0.001, 0.05, 0.3, 0.5, 0.9, 0.999])
def test_binary_posterior_recovers_eta(eta, gamma):
    z = population_minimiser([1 - eta, eta], gamma)
    recovered = FocalLoss(gamma=gamma, alpha=0.3).posterior(np.array([z]))
    np.testing.assert_allclose(recovered[0], [1 - eta, eta], rtol=1e-5, atol=1e-8)
    if gamma == 2.0 and eta == 0.001:
        # docs/user_guide.rst's example: the model itself says 0.073, not 0.001.
        assert expit(z) == pytest.approx(0.0727, abs=1e-4)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
def test_softmax_posterior_recovers_eta(gamma):
    eta = np.array([0.6, 0.25, 0.1, 0.04, 0.01])
    z = population_minimiser(eta, gamma)
    recovered = FocalLoss(gamma=gamma).posterior(z[None, :])
    np.testing.assert_allclose(recovered[0], eta, rtol=1e-5)
    # predict_proba is the distorted model probability, off by far more.
    model = FocalLoss().predict_proba(z[None, :])[0]
    assert np.abs(model - eta).max() > 1e3 * np.abs(recovered[0] - eta).max()


@pytest.mark.parametrize("shape", [(300,), (300, 2), (300, 5)])
def test_posterior_is_identity_at_gamma_zero(shape):
    raw = 5 * np.random.default_rng(4).standard_normal(shape)
    loss = FocalLoss(gamma=0.0)
    np.testing.assert_allclose(loss.posterior(raw), loss.predict_proba(raw), rtol=1e-12)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("n_classes", [2, 3, 6])
def test_posterior_keeps_argmax_and_is_stable(gamma, n_classes):
    rng = np.random.default_rng(5)
    scale = np.array([1.0, 30.0, 800.0, 1e4])[:, None, None]
    raw = (scale * rng.standard_normal((4, 500, n_classes))).reshape(-1, n_classes)
    loss = FocalLoss(gamma=gamma)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        proba = loss.posterior(raw if n_classes > 2 else raw[:, 1] - raw[:, 0])
    assert np.all(np.isfinite(proba)) and np.all(proba >= 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(proba.argmax(axis=1), raw.argmax(axis=1))
    # Recovered probabilities are more extreme than the model's.
    model = loss.predict_proba(raw if n_classes > 2 else raw[:, 1] - raw[:, 0])
    assert np.all(proba.max(axis=1) >= model.max(axis=1) - 1e-12)
