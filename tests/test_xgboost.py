"""XGBoost front end: FocalObjective, FocalMetric and FocalXGBClassifier."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss

from .conftest import classification_data

xgb = pytest.importorskip("xgboost", reason="xgboost is in the test extra")
from skfocal.xgboost import (  # noqa: E402
    FocalMetric,
    FocalObjective,
    FocalXGBClassifier,
)

SMALL = {"n_estimators": 20, "max_depth": 3, "n_jobs": 1}


def dataset(n_classes=2, n_samples=1500, weights=None):
    return classification_data(
        n_classes, n_samples, n_features=10, n_informative=6, weights=weights
    )


@pytest.mark.parametrize("n_classes", [2, 4])
def test_objective_is_the_focal_gradient_and_curvature(n_classes):
    rng = np.random.default_rng(0)
    y = rng.integers(0, n_classes, 300).astype(np.float32)
    raw = 3 * rng.standard_normal(300 if n_classes == 2 else (300, n_classes))
    sw = rng.uniform(0.5, 2.0, 300).astype(np.float32)
    alpha = 0.3 if n_classes == 2 else np.linspace(0.5, 2.0, n_classes)
    grad, hess = FocalObjective(2.0, alpha)(y, raw, sample_weight=sw)
    expected_grad, expected_hess = FocalLoss(2.0, alpha).gradient_hessian(y, raw, sw)
    factor = 1.0 if n_classes == 2 else 2.0  # XGBoost's multi:softprob
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(hess, factor * expected_hess, rtol=1e-6, atol=1e-7)
    train = xgb.DMatrix(np.zeros((300, 1)), label=y, weight=sw)
    dgrad, dhess = FocalObjective(2.0, alpha)(raw, train)
    np.testing.assert_array_equal(dgrad, grad)
    np.testing.assert_array_equal(dhess, hess)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_gamma_zero_reproduces_xgboosts_own_objectives(n_classes, weighted):
    X, y = dataset(n_classes)
    sw = np.random.default_rng(1).uniform(0.5, 2.0, len(y)) if weighted else None
    ours = FocalXGBClassifier(gamma=0.0, **SMALL).fit(X, y, sample_weight=sw)
    theirs = xgb.XGBClassifier(**SMALL).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5
    )


@pytest.mark.parametrize("setting", [{}, {"scale_pos_weight": 3.0}])
def test_gamma_zero_equals_binary_logistic_with_weights(setting):
    # Class weights are sample weights there; the start pinned to ours, since
    # XGBoost estimates its own intercept by another rule with scale_pos_weight.
    from scipy.special import expit

    X, y = dataset(2, weights=[0.9])
    ours = FocalXGBClassifier(
        gamma=0.0, class_weight={0: 1.0, 1: 3.0}, **SMALL, **setting
    ).fit(X, y)
    theirs = xgb.XGBClassifier(
        base_score=float(expit(ours.init_score_)), **SMALL, **setting
    ).fit(X, y, sample_weight=np.where(y == 1, 3.0, 1.0))
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_probabilities_are_the_posterior_of_the_margins(n_classes):
    X, y = dataset(n_classes)
    clf = FocalXGBClassifier(gamma=2.0, **SMALL).fit(X, y)
    raw = clf.decision_function(X)
    np.testing.assert_array_equal(clf.predict_proba(X), FocalLoss(2.0).posterior(raw))
    index = (raw > 0).astype(int) if n_classes == 2 else raw.argmax(axis=1)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[index])
    model = clf.set_params(proba="model").fit(X, y)
    np.testing.assert_allclose(
        model.predict_proba(X), FocalLoss(2.0).predict_proba(raw), atol=1e-6
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_xgb_train_and_the_estimator_give_the_same_model(n_classes):
    X, y = dataset(n_classes)
    objective = FocalObjective(gamma=1.5)
    train = xgb.DMatrix(X, y, base_margin=objective.init_score(y))
    params = {"max_depth": 3, "nthread": 1}
    if n_classes > 2:
        params["num_class"] = n_classes
    booster = xgb.train(params, train, 20, obj=objective)
    margin = booster.predict(train, output_margin=True)  # base_margin included
    clf = FocalXGBClassifier(gamma=1.5, **SMALL).fit(X, y)
    np.testing.assert_allclose(clf.decision_function(X), margin, atol=1e-5)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_saved_booster_reloaded_in_xgboost_is_the_model(n_classes, tmp_path):
    X, y = dataset(n_classes)
    X_train, y_train, X_valid, y_valid = X[:1000], y[:1000], X[1000:], y[1000:]
    clf = FocalXGBClassifier(gamma=2.0, n_estimators=300, early_stopping_rounds=5)
    clf.set_params(max_depth=3).fit(
        X_train, y_train, eval_set=[(X_valid, y_valid)], verbose=False
    )
    assert 0 < clf.best_iteration < 299
    assert list(clf.evals_result()["validation_0"])[-1] == "focal_loss"
    path = tmp_path / "model.json"
    clf.get_booster().save_model(path)
    booster = xgb.Booster(model_file=path)
    last = (0, clf.best_iteration + 1)
    margin = booster.predict(xgb.DMatrix(X), output_margin=True, iteration_range=last)
    np.testing.assert_allclose(clf.decision_function(X), margin, atol=1e-6)
    np.testing.assert_allclose(
        FocalLoss(2.0).posterior(margin), clf.predict_proba(X), atol=1e-6
    )
    values = clf.evals_result()["validation_0"]["focal_loss"]
    assert int(np.argmin(values)) == clf.best_iteration


@pytest.mark.parametrize("n_classes", [2, 3])
def test_shap_values_add_up_to_the_margins(n_classes):
    # shap < 0.50 cannot read XGBoost >= 3.1's list-valued base_score, and shap
    # 0.50 needs numpy >= 2: the lower-bound run (numpy 1.26) skips this.
    shap = pytest.importorskip(
        "shap",
        minversion="0.50",
        reason="shap >= 0.50 reads XGBoost >= 3.1's models (it needs numpy >= 2)",
    )
    X, y = dataset(n_classes)
    clf = FocalXGBClassifier(gamma=2.0, **SMALL).fit(X, y)
    explainer = shap.TreeExplainer(clf)
    values = np.asarray(explainer.shap_values(X))
    total = values.sum(axis=1) + explainer.expected_value
    np.testing.assert_allclose(total, clf.decision_function(X), atol=1e-4)


def test_string_labels_weights_and_the_initial_score():
    X, y = dataset(3, weights=[0.7, 0.2])
    names = np.array(["cat", "dog", "eel"])[y]
    sw = np.random.default_rng(2).uniform(0.2, 3.0, len(y))
    clf = FocalXGBClassifier(gamma=2.0, alpha={"cat": 1.0, "dog": 2.0, "eel": 1.0})
    clf.set_params(class_weight="balanced", **SMALL).fit(X, names, sample_weight=sw)
    np.testing.assert_array_equal(clf.classes_, ["cat", "dog", "eel"])
    weighted = np.bincount(y, weights=sw)
    balanced = weighted.sum() / (3 * weighted)  # scikit-learn's rule
    totals = weighted * balanced
    expected = FocalLoss(2.0, [1.0, 2.0, 1.0]).init_score_from_totals(totals)
    np.testing.assert_allclose(clf.init_score_, expected)
    assert set(clf.predict(X)) <= {"cat", "dog", "eel"}
    assert clf.score(X, names) > 0.8


def test_scale_pos_weight_weighs_the_positive_class():
    """As binary:logistic: class 1's gradients and Hessians times the weight; the
    start is the optimum of that weighted loss (XGBoost's own intercept
    estimate accounts for the weight too, by its own rule)."""
    X, y = dataset(2, weights=[0.9])
    scaled = FocalXGBClassifier(gamma=2.0, scale_pos_weight=4.0, **SMALL).fit(X, y)
    weighted = FocalXGBClassifier(gamma=2.0, alpha=[1.0, 4.0], **SMALL).fit(X, y)
    plain = FocalXGBClassifier(gamma=2.0, **SMALL).fit(X, y)
    np.testing.assert_allclose(
        scaled.decision_function(X), weighted.decision_function(X)
    )
    assert np.abs(scaled.predict_proba(X) - plain.predict_proba(X)).max() > 0.05
    # The metric and the posterior keep the model's own alpha (None).
    assert scaled.loss_.alpha is None


def test_pandas_categorical_and_missing_values():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], 2000)),
            "size": np.where(rng.random(2000) < 0.1, np.nan, rng.normal(size=2000)),
        }
    )
    y = ((frame.colour == "red") & (rng.random(2000) < 0.8)).astype(int)
    clf = FocalXGBClassifier(gamma=2.0, enable_categorical=True, **SMALL).fit(frame, y)
    red = clf.predict_proba(frame[frame.colour == "red"])[:, 1]
    other = clf.predict_proba(frame[frame.colour != "red"])[:, 1]
    assert red.min() > other.max()


def test_metric_in_xgb_train_is_the_focal_loss_of_the_margins():
    X, y = dataset(2)
    objective, metric = FocalObjective(2.0), FocalMetric(2.0)
    train = xgb.DMatrix(X, y, base_margin=objective.init_score(y))
    log = {}
    booster = xgb.train({"max_depth": 3, "disable_default_eval_metric": 1}, train, 10,
                        obj=objective, custom_metric=metric, evals=[(train, "train")],
                        evals_result=log, verbose_eval=False)  # fmt: skip
    margin = booster.predict(train, output_margin=True)
    expected = FocalLoss(2.0).loss(y, margin).mean()
    assert log["train"]["focal_loss"][-1] == pytest.approx(expected, rel=1e-5)


def test_grid_search_clone_and_pickle():
    X, y = dataset(2, 600)
    search = GridSearchCV(
        FocalXGBClassifier(**SMALL), {"gamma": [0.0, 2.0], "max_depth": [2, 3]}, cv=2
    ).fit(X, y)
    assert search.best_params_["gamma"] in (0.0, 2.0)
    clf = search.best_estimator_
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert clone(clf).get_params()["gamma"] == clf.gamma
    assert "objective" not in repr(clf)


@pytest.mark.parametrize(
    "params, fit, error, match",
    [
        ({"gamma": -1.0}, {}, InvalidParameterError, "'gamma' parameter"),
        ({"alpha": 2.0}, {}, InvalidParameterError, "'alpha' parameter"),
        ({"proba": "raw"}, {}, InvalidParameterError, "'proba' parameter"),
        ({"base_score": 0.3}, {}, ValueError, "base_score is not accepted"),
        ({}, {"base_margin": np.zeros(300)}, ValueError, "base_margin"),
        ({"scale_pos_weight": 2.0}, {"classes": 3}, ValueError, "3 classes"),
        ({}, {"labels": "one"}, ValueError, "only one class"),
        ({}, {"labels": "nan"}, ValueError, "NaN"),
        ({}, {"sample_weight": -np.ones(300)}, ValueError, "Negative values"),
        ({}, {"eval_features": 4}, ValueError, "eval_set\\[0\\] has 4 features"),
        (
            {},
            {"eval_label": 7},
            ValueError,
            r"eval_set\[0\] holds labels not seen.*\[7\]",
        ),
    ],
)
def test_bad_input_gets_clear_errors(params, fit, error, match):
    X, y = dataset(fit.pop("classes", 2), 300)
    labels = fit.pop("labels", None)
    if labels == "one":
        y = np.zeros_like(y)
    elif labels == "nan":
        y = np.where(np.arange(len(y)) == 3, np.nan, y)
    if "eval_features" in fit:
        fit = {"eval_set": [(X[:, : fit.pop("eval_features")], y)]}
    if "eval_label" in fit:
        fit = {"eval_set": [(X, np.where(y == 1, fit.pop("eval_label"), y))]}
    with pytest.raises(error, match=match):
        FocalXGBClassifier(**params, **SMALL).fit(X, y, **fit)


def test_objective_is_not_a_parameter():
    with pytest.raises(TypeError, match="no parameter 'objective'"):
        FocalXGBClassifier(objective="binary:logistic")
    with pytest.raises(ValueError, match="no parameter 'objective'"):
        FocalXGBClassifier().set_params(objective="binary:logistic")


@pytest.mark.parametrize("n_classes", [2, 3])
def test_continued_training_equals_training_at_once(n_classes):
    X, y = dataset(n_classes)
    params = {"max_depth": 3, "n_jobs": 1, "gamma": 2.0}
    once = FocalXGBClassifier(n_estimators=20, **params).fit(X, y)
    first = FocalXGBClassifier(n_estimators=10, **params).fit(X, y)
    then = FocalXGBClassifier(n_estimators=10, **params).fit(X, y, xgb_model=first)
    np.testing.assert_allclose(
        then.decision_function(X), once.decision_function(X), atol=1e-5
    )
    np.testing.assert_array_equal(then.init_score_, first.init_score_)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_fold_init_score_for_xgb_train(n_classes, tmp_path):
    from skfocal.xgboost import fold_init_score

    X, y = dataset(n_classes)
    objective = FocalObjective(gamma=2.0)
    init = objective.init_score(y)
    params = {"max_depth": 3} | ({"num_class": n_classes} if n_classes > 2 else {})
    train = xgb.DMatrix(X, y, base_margin=init)
    booster = xgb.train(params, train, 10, obj=objective)
    margin = booster.predict(train, output_margin=True)
    assert fold_init_score(booster, init) is booster
    booster.save_model(tmp_path / "m.json")
    reloaded = xgb.Booster(model_file=tmp_path / "m.json")
    plain = reloaded.predict(xgb.DMatrix(X), output_margin=True)
    np.testing.assert_allclose(plain, margin, atol=1e-5)
    with pytest.raises(TypeError, match=r"takes an xgboost\.Booster"):
        fold_init_score(FocalXGBClassifier(**SMALL).fit(X, y), init)
    with pytest.raises(ValueError, match=r"differs between rows|score"):
        fold_init_score(booster, np.arange(len(y), dtype=float))


@pytest.mark.parametrize("eval_metric", [None, "callable"])
def test_eval_sets_report_only_the_metrics_asked_for(eval_metric):
    # XGBoost adds its default logloss for a callable metric, computed on the
    # sigmoid of the focal margins (the distorted probabilities): not reported.
    X, y = dataset(2, 400)
    metric = FocalMetric(gamma=0.0) if eval_metric == "callable" else None
    model = FocalXGBClassifier(eval_metric=metric, **SMALL)
    model.fit(X[:300], y[:300], eval_set=[(X[300:], y[300:])], verbose=False)
    assert list(model.evals_result()["validation_0"]) == ["focal_loss"]
    expected = (metric or FocalMetric(gamma=2.0))(
        y[300:], model.decision_function(X[300:])
    )
    assert model.evals_result()["validation_0"]["focal_loss"][-1] == pytest.approx(
        expected, rel=1e-5
    )
    assert model.eval_metric is metric  # restored after fit
    assert "disable_default_eval_metric" not in model.get_params()
    # A built-in metric asked for is reported alone, as XGBoost does.
    model = FocalXGBClassifier(eval_metric="auc", **SMALL)
    model.fit(X[:300], y[:300], eval_set=[(X[300:], y[300:])], verbose=False)
    assert list(model.evals_result()["validation_0"]) == ["auc"]


def test_xgb_train_without_num_class_says_what_to_add():
    X, _ = dataset(2, 300)
    y = np.arange(300) % 3
    with pytest.raises(ValueError, match=r"add 'num_class': 3 to the parameters of "
                       r"xgb\.train.*base_margin"):  # fmt: skip
        xgb.train({}, xgb.DMatrix(X, y), 2, obj=FocalObjective())


def test_n_jobs_minus_one_gives_the_callables_every_cpu():
    X, y = dataset(2, 300)
    model = FocalXGBClassifier(**{**SMALL, "n_jobs": -1}).fit(X, y)
    same = FocalXGBClassifier(**SMALL).fit(X, y)
    np.testing.assert_array_equal(model.predict_proba(X), same.predict_proba(X))
    assert repr(FocalObjective(n_threads=-1)).endswith("n_threads=-1)")
