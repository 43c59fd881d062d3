"""FocalHistGradientBoostingClassifier: scikit-learn's HGB with the focal loss.

At gamma = 0 it must be HistGradientBoostingClassifier(loss="log_loss") in every
feature HGB has; at gamma > 0 its trees must be Newton steps on FocalLoss's
gradient and curvature, its early stopping must see the focal loss or the
posterior probabilities, and its fitted state must be its own.
"""

import inspect
import pickle

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss
from skfocal.ensemble import FocalHistGradientBoostingClassifier

from .conftest import classification_data

HAS_X_VAL = "X_val" in inspect.signature(HistGradientBoostingClassifier.fit).parameters


def data(n_classes, n_samples=800, **kwargs):
    return classification_data(
        n_classes, n_samples, n_features=6, n_informative=4, **kwargs
    )


def with_nan(X, fraction=0.1, seed=0):
    X = X.copy()
    X[np.random.default_rng(seed).random(X.shape) < fraction] = np.nan
    return X


def frame_with_a_category(X, seed=0):
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    frame = pd.DataFrame(X[:, 1:], columns=[f"x{i}" for i in range(1, X.shape[1])])
    # A category whose levels carry signal: quantiles of the dropped column.
    levels = np.digitize(X[:, 0], np.quantile(X[:, 0], [0.2, 0.4, 0.6, 0.8]))
    frame["c"] = pd.Categorical(np.array(list("vwxyz"))[levels])
    return frame


WEIGHTS = np.random.default_rng(1).uniform(0.2, 3.0, 800)

# id: (n_classes, HGB parameters, function of (X, y) giving the fit's arguments)
GAMMA_ZERO_CASES = {
    "binary": (2, {}, None),
    "3 classes": (3, {}, None),
    "5 classes": (5, {}, None),
    "binary sample_weight": (2, {}, lambda X, y: {"sample_weight": WEIGHTS}),
    "3 classes sample_weight": (3, {}, lambda X, y: {"sample_weight": WEIGHTS}),
    "class_weight dict": (3, {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}}, None),
    "class_weight balanced": (2, {"class_weight": "balanced"}, None),
    "balanced and sample_weight": (
        3,
        {"class_weight": "balanced"},
        lambda X, y: {"sample_weight": WEIGHTS},
    ),
    "NaN binary": (2, {}, lambda X, y: {"X": with_nan(X)}),
    "NaN 3 classes": (3, {}, lambda X, y: {"X": with_nan(X)}),
    "pandas categorical": (2, {}, lambda X, y: {"X": frame_with_a_category(X)}),
    "categorical_features": (
        3,
        {"categorical_features": [0]},
        lambda X, y: {"X": np.c_[np.digitize(X[:, 0], [-1, 0, 1]), X[:, 1:]]},
    ),
    "monotonic_cst": (2, {"monotonic_cst": [1, -1, 0, 0, 0, 0]}, None),
    "interaction_cst": (3, {"interaction_cst": "pairwise"}, None),
    "max_features": (3, {"max_features": 0.5}, None),
    "early stopping on the loss": (
        2,
        {"early_stopping": True, "validation_fraction": 0.2, "n_iter_no_change": 3},
        None,
    ),
    "early stopping, 5 classes": (
        5,
        {"early_stopping": True, "scoring": "neg_log_loss", "n_iter_no_change": 3},
        None,
    ),
}


def fit_both(n_classes, params, arguments, gamma=0.0):
    X, y = data(n_classes)
    kwargs = {"X": X, "y": y, **(arguments(X, y) if arguments else {})}
    common = {"max_iter": 40, "random_state": 0, **params}
    reference = HistGradientBoostingClassifier(**common).fit(**kwargs)
    focal = FocalHistGradientBoostingClassifier(gamma=gamma, **common).fit(**kwargs)
    return reference, focal, kwargs["X"]


@pytest.mark.parametrize("case", list(GAMMA_ZERO_CASES))
def test_gamma_zero_is_histgradientboosting_log_loss(case):
    reference, focal, X = fit_both(*GAMMA_ZERO_CASES[case])
    assert focal.n_iter_ == reference.n_iter_
    np.testing.assert_allclose(
        focal.predict_proba(X), reference.predict_proba(X), rtol=0, atol=1e-10
    )
    np.testing.assert_array_equal(focal.predict(X), reference.predict(X))
    np.testing.assert_allclose(
        focal.validation_score_, reference.validation_score_, rtol=1e-10
    )


@pytest.mark.skipif(not HAS_X_VAL, reason="no X_val in this scikit-learn (< 1.7)")
def test_gamma_zero_with_a_validation_set_is_histgradientboosting():
    X, y = data(3)
    weight = WEIGHTS[:200]
    fit = {"X_val": X[600:], "y_val": y[600:], "sample_weight_val": weight}
    common = {"max_iter": 60, "early_stopping": True, "n_iter_no_change": 3}
    reference = HistGradientBoostingClassifier(**common).fit(X[:600], y[:600], **fit)
    focal = FocalHistGradientBoostingClassifier(gamma=0.0, **common)
    focal.fit(X[:600], y[:600], **fit)
    assert focal.n_iter_ == reference.n_iter_ < 60
    np.testing.assert_allclose(focal.validation_score_, reference.validation_score_)
    np.testing.assert_allclose(
        focal.predict_proba(X), reference.predict_proba(X), rtol=0, atol=1e-10
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_gamma_zero_warm_start_is_histgradientboosting(n_classes):
    X, y = data(n_classes)
    models = []
    for cls, extra in [(HistGradientBoostingClassifier, {}), (
        FocalHistGradientBoostingClassifier, {"gamma": 0.0}
    )]:  # fmt: skip
        model = cls(max_iter=15, warm_start=True, random_state=0, **extra).fit(X, y)
        models.append(model.set_params(max_iter=30).fit(X, y))
    reference, focal = models
    assert focal.n_iter_ == reference.n_iter_ == 30
    np.testing.assert_allclose(
        focal.predict_proba(X), reference.predict_proba(X), rtol=0, atol=1e-10
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_first_trees_are_newton_steps_on_the_focal_loss(n_classes):
    # One iteration: each leaf of class k is -lr * G / (H + l2) over its rows,
    # with FocalLoss's gradient and curvature at the start score.
    X, y = data(n_classes)
    lr, l2 = 0.3, 0.5
    model = FocalHistGradientBoostingClassifier(
        gamma=2.0,
        max_iter=1,
        learning_rate=lr,
        l2_regularization=l2,
        max_leaf_nodes=8,
        early_stopping=False,
    ).fit(X, y, sample_weight=WEIGHTS)
    start = np.tile(model.init_score_, (len(y), 1))
    start = start[:, 0] if n_classes == 2 else start
    grad, hess = FocalLoss(gamma=2.0).gradient_hessian(y, start, WEIGHTS)
    step = (model.decision_function(X) - start).reshape(len(y), -1)
    grad, hess = grad.reshape(len(y), -1), hess.reshape(len(y), -1)
    for k in range(step.shape[1]):
        leaves = np.unique(step[:, k])
        assert 4 <= len(leaves) <= 8
        for value in leaves:
            rows = step[:, k] == value
            G = grad[rows, k].astype(np.float32).sum(dtype=np.float64)
            H = hess[rows, k].astype(np.float32).sum(dtype=np.float64)
            assert value == pytest.approx(-lr * G / (H + l2), rel=1e-6)


def focal_loss_by_formula(y, raw, gamma, alpha, weight=None):
    """Mean focal loss from the formula, independent of skfocal's kernels."""
    proba = np.c_[expit(-raw), expit(raw)] if raw.ndim == 1 else softmax(raw, 1)
    p_t = proba[np.arange(len(y)), y]
    losses = -np.asarray(alpha)[y] * (1 - p_t) ** gamma * np.log(p_t)
    return np.average(losses, weights=weight)


def staged_raw(model, X):
    start = np.broadcast_to(model.init_score_, (len(X), *np.shape(model.init_score_)))
    return [np.array(start), *model.staged_decision_function(X)]


@pytest.mark.parametrize("n_classes, alpha", [(2, 0.25), (3, [1.0, 2.0, 0.5])])
def test_early_stopping_on_the_loss_monitors_the_focal_loss(n_classes, alpha):
    X, y = data(n_classes)
    model = FocalHistGradientBoostingClassifier(
        gamma=2.0,
        alpha=alpha,
        max_iter=8,
        early_stopping=True,
        validation_fraction=None,
        n_iter_no_change=100,
    ).fit(X, y, sample_weight=WEIGHTS)
    weights = [1 - alpha, alpha] if n_classes == 2 else alpha
    expected = [
        -focal_loss_by_formula(y, raw, 2.0, weights, WEIGHTS)
        for raw in staged_raw(model, X)
    ]
    assert len(model.train_score_) == 9
    np.testing.assert_allclose(model.train_score_, expected, rtol=1e-10)
    assert np.all(np.diff(model.train_score_) > 0)  # the trees lower the loss


@pytest.mark.parametrize("proba", ["posterior", "model"])
def test_other_scorers_see_the_probabilities_of_proba(proba):
    X, y = data(3)
    model = FocalHistGradientBoostingClassifier(
        gamma=2.0,
        proba=proba,
        max_iter=6,
        early_stopping=True,
        scoring="neg_log_loss",
        validation_fraction=None,
        n_iter_no_change=100,
    ).fit(X, y)
    link = FocalLoss(2.0).posterior if proba == "posterior" else lambda r: softmax(r, 1)
    expected = [-log_loss(y, link(raw)) for raw in staged_raw(model, X)]
    np.testing.assert_allclose(model.train_score_, expected, rtol=1e-10)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_staged_predictions_follow_the_raw_scores(n_classes):
    X, y = data(n_classes)
    labels = np.array(["c", "a", "b"])[y]
    model = FocalHistGradientBoostingClassifier(gamma=1.0, max_iter=5).fit(X, labels)
    stages = list(
        zip(
            model.staged_decision_function(X),
            model.staged_predict_proba(X),
            model.staged_predict(X),
            strict=True,
        )
    )
    assert len(stages) == model.n_iter_ == 5
    for raw, proba, label in stages:
        np.testing.assert_allclose(proba, FocalLoss(1.0).posterior(raw), rtol=1e-12)
        np.testing.assert_array_equal(label, model.classes_[proba.argmax(1)])
    np.testing.assert_array_equal(proba, model.predict_proba(X))
    np.testing.assert_array_equal(label, model.predict(X))
    np.testing.assert_array_equal(raw, model.decision_function(X))


def test_proba_model_is_the_sigmoid_and_posterior_differs():
    X, y = data(2)
    model = FocalHistGradientBoostingClassifier(gamma=2.0, max_iter=10).fit(X, y)
    raw = model.decision_function(X)
    posterior = model.predict_proba(X)
    model.set_params(proba="model")
    np.testing.assert_array_equal(model.predict_proba(X), posterior)  # until refit
    model.fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], expit(raw), rtol=1e-12)
    assert np.abs(posterior[:, 1] - expit(raw)).max() > 0.05


@pytest.mark.parametrize(
    "n_classes, alpha, expected_alpha",
    [
        (2, None, None),
        (2, 0.25, 0.25),
        (3, {"a": 1.0, "b": 2.0, "c": 0.5}, [1.0, 2.0, 0.5]),
        (3, [0.5, 1.0, 2.0], [0.5, 1.0, 2.0]),
    ],
)
def test_start_score_is_the_focal_optimum_of_the_weighted_labels(
    n_classes, alpha, expected_alpha
):
    X, y = data(n_classes)
    labels = np.array(["a", "b", "c"])[y]
    model = FocalHistGradientBoostingClassifier(
        gamma=1.5, alpha=alpha, max_iter=2, class_weight="balanced"
    ).fit(X, labels, sample_weight=WEIGHTS)
    loss = FocalLoss(1.5, alpha=expected_alpha)
    assert repr(model.loss_) == repr(loss)
    counts = np.bincount(y)
    balanced = len(y) / (n_classes * counts)
    expected = loss.init_score(y, WEIGHTS * balanced[y], n_classes=n_classes)
    np.testing.assert_allclose(model.init_score_, expected, rtol=1e-12)
    assert isinstance(model.init_score_, float) == (n_classes == 2)


def test_warm_start_refuses_another_gamma_or_alpha_and_follows_proba():
    X, y = data(2)
    model = FocalHistGradientBoostingClassifier(max_iter=5, warm_start=True).fit(X, y)
    for change in ({"gamma": 1.0}, {"alpha": 0.3}):
        with pytest.raises(ValueError, match=r"warm_start=True adds trees .*gamma=2"):
            model.set_params(max_iter=10, **change).fit(X, y)
        model.set_params(max_iter=5, gamma=2.0, alpha=None)
    model.set_params(max_iter=10, proba="model").fit(X, y)
    assert model.n_iter_ == 10
    np.testing.assert_allclose(
        model.predict_proba(X)[:, 1], expit(model.decision_function(X)), rtol=1e-12
    )
    # Without warm_start, another gamma is a new model.
    model.set_params(warm_start=False, gamma=1.0).fit(X, y)
    assert model.loss_.gamma == 1.0


def test_parameters_are_histgradientboostings_without_loss():
    ours = inspect.signature(FocalHistGradientBoostingClassifier).parameters
    theirs = inspect.signature(HistGradientBoostingClassifier).parameters
    assert list(ours)[:3] == ["gamma", "alpha", "proba"]
    assert {name: p.default for name, p in list(ours.items())[3:]} == {
        name: p.default for name, p in theirs.items() if name != "loss"
    }
    model = FocalHistGradientBoostingClassifier()
    assert model.loss == "focal"
    with pytest.raises(AttributeError):
        model.loss = "log_loss"
    with pytest.raises(ValueError, match="Invalid parameter 'loss'"):
        model.set_params(loss="log_loss")


@pytest.mark.parametrize(
    "params, match",
    [
        ({"gamma": -1.0}, r"'gamma' parameter .* Got -1\.0"),
        ({"proba": "raw"}, r"'proba' parameter .* Got 'raw'"),
        ({"max_iter": 0}, r"'max_iter' parameter .* Got 0"),
    ],
)
def test_bad_parameters_are_invalid_parameter_errors(params, match):
    X, y = data(2, 100)
    with pytest.raises(InvalidParameterError, match=match):
        FocalHistGradientBoostingClassifier(**params).fit(X, y)


def test_labels_of_one_class_or_one_weighted_class_are_refused():
    X, y = data(2, 100)
    model = FocalHistGradientBoostingClassifier(max_iter=2)
    with pytest.raises(ValueError, match=r"at least 2 classes .* only one class: 1"):
        model.fit(X, np.ones(100, int))
    with pytest.raises(ValueError, match=r"at least 2 classes with positive"):
        model.fit(X, y, sample_weight=(y == 1).astype(float))


def test_pickle_round_trip_predicts_and_keeps_training():
    X, y = data(3)
    model = FocalHistGradientBoostingClassifier(gamma=1.0, max_iter=5, warm_start=True)
    model.fit(X, y)
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    loaded.set_params(max_iter=8).fit(X, y)
    model.set_params(max_iter=8).fit(X, y)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
