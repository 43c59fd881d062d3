"""A fitted focal booster is the whole model: saved, reloaded, explained, continued.

FocalLGBMClassifier folds its initial score into the first iteration's trees
(skfocal/lightgbm/_booster.py); these tests use the model the way other tools do.
FocalHistGradientBoostingClassifier's SHAP explanations are at the end.
"""

import lightgbm as lgb
import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from skfocal import FocalLoss
from skfocal.ensemble import FocalHistGradientBoostingClassifier
from skfocal.lightgbm import FocalLGBMClassifier, FocalObjective, fold_init_score

from .conftest import QUIET, classification_data

CASES = [(2, 0.0), (2, 2.0), (3, 0.0), (3, 2.0)]
ROUND_TRIP = {"deterministic": True, "force_row_wise": True, **QUIET}


def fitted(n_classes, gamma, early_stopping=False, weighted=False, **params):
    X, y = classification_data(n_classes, 1500, weights=None, n_features=10)
    X, X_valid, y, y_valid = train_test_split(X, y, test_size=0.3, random_state=0)
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y)) if weighted else None
    clf = FocalLGBMClassifier(gamma=gamma, n_estimators=60, **ROUND_TRIP, **params)
    fit = {"sample_weight": sw}
    if early_stopping:
        fit |= {
            "eval_set": [(X_valid, y_valid)],
            "callbacks": [lgb.early_stopping(5, verbose=False)],
        }
    return clf.fit(X, y, **fit), X_valid


@pytest.mark.parametrize("n_classes, gamma", CASES)
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_saved_booster_reloaded_in_lightgbm_is_the_model(
    n_classes, gamma, early_stopping, weighted, tmp_path
):
    class_weight = "balanced" if weighted else None
    clf, X = fitted(
        n_classes, gamma, early_stopping, weighted, class_weight=class_weight
    )
    if early_stopping:
        assert 0 < clf.best_iteration_ < 60
    raw = clf.decision_function(X)
    np.testing.assert_array_equal(clf.booster_.predict(X, raw_score=True), raw)
    path = tmp_path / "model.txt"
    clf.booster_.save_model(path)
    reloaded = lgb.Booster(model_file=path)
    iteration = clf.best_iteration_ or None
    np.testing.assert_array_equal(
        reloaded.predict(X, raw_score=True, num_iteration=iteration), raw
    )
    # The probabilities anywhere: the posterior of the reloaded raw scores.
    np.testing.assert_allclose(
        FocalLoss(gamma).posterior(reloaded.predict(X, num_iteration=iteration)),
        clf.predict_proba(X),
        rtol=1e-12,
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_gamma_zero_booster_equals_lightgbms_own(n_classes):
    """LightGBM folds its boost_from_average score the same way.

    Softmax scores are compared centred: LightGBM starts each class from its
    log prior, skfocal from the centred log priors (the same probabilities).
    """
    X, y = classification_data(n_classes, 1500, weights=None, n_features=10)
    ours = FocalLGBMClassifier(gamma=0.0, n_estimators=30, **ROUND_TRIP).fit(X, y)
    theirs = lgb.LGBMClassifier(n_estimators=30, **ROUND_TRIP).fit(X, y)
    raw = [m.booster_.predict(X, raw_score=True) for m in (ours, theirs)]
    if n_classes > 2:
        raw = [r - r.mean(axis=1, keepdims=True) for r in raw]
    np.testing.assert_allclose(*raw, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("n_classes, gamma", CASES)
def test_contributions_and_later_iterations_count_the_initial_score_once(
    n_classes, gamma
):
    clf, X = fitted(n_classes, gamma)
    raw = clf.decision_function(X)
    contrib = clf.predict_proba(X, pred_contrib=True)
    per_class = contrib.reshape(len(X), -1, X.shape[1] + 1).sum(axis=2)
    np.testing.assert_allclose(per_class.squeeze(), raw, atol=1e-10)
    # From iteration 10 on the first trees, the initial score with them, are out.
    later = clf.decision_function(X, start_iteration=10)
    trees = clf.booster_.predict(X, raw_score=True, start_iteration=10)
    np.testing.assert_array_equal(later, trees)
    first = clf.decision_function(X, num_iteration=10)
    np.testing.assert_allclose(first + later, raw, atol=1e-10)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_continued_training_equals_training_at_once(n_classes):
    X, y = classification_data(n_classes, 1500, weights=None, n_features=10)
    params = {"gamma": 2.0, **ROUND_TRIP}
    once = FocalLGBMClassifier(n_estimators=40, **params).fit(X, y)
    first = FocalLGBMClassifier(n_estimators=20, **params).fit(X, y)
    then = FocalLGBMClassifier(n_estimators=20, **params).fit(X, y, init_model=first)
    np.testing.assert_allclose(
        then.decision_function(X), once.decision_function(X), atol=1e-9
    )
    np.testing.assert_array_equal(then.init_score_, first.init_score_)
    from_booster = FocalLGBMClassifier(n_estimators=20, **params)
    from_booster.fit(X, y, init_model=first.booster_)
    np.testing.assert_allclose(
        from_booster.decision_function(X), once.decision_function(X), atol=1e-9
    )


def test_refits_give_the_same_bits():
    a, _ = fitted(3, 2.0)
    b, _ = fitted(3, 2.0)
    assert a.booster_.model_to_string() == b.booster_.model_to_string()


@pytest.mark.parametrize("n_classes, gamma", CASES)
def test_shap_values_add_up_to_the_decision_function(n_classes, gamma):
    shap = pytest.importorskip("shap", reason="shap is in the test extra")
    clf, X = fitted(n_classes, gamma, weighted=True)
    raw = clf.decision_function(X)
    for model in (clf, clf.booster_):
        explainer = shap.TreeExplainer(model)
        values = np.asarray(explainer.shap_values(X))  # (n, features[, classes])
        total = values.sum(axis=1) + explainer.expected_value
        np.testing.assert_allclose(total, raw, atol=1e-9)


def test_treelite_margin_is_the_decision_function():
    treelite = pytest.importorskip("treelite", reason="treelite is in the test extra")
    clf, X = fitted(2, 2.0)
    model = treelite.frontend.from_lightgbm(clf.booster_)
    margin = treelite.gtil.predict(model, X, pred_margin=True)
    np.testing.assert_allclose(margin.ravel(), clf.decision_function(X), atol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("linear_tree", [False, True])
def test_fold_init_score_for_lgb_train(n_classes, linear_tree):
    X, y = classification_data(n_classes, 1000, weights=None, n_features=10)
    objective = FocalObjective(gamma=2.0)
    init = objective.init_score(y)
    params = {"objective": objective, "linear_tree": linear_tree, **QUIET}
    if n_classes > 2:
        params["num_class"] = n_classes
    booster = lgb.train(params, lgb.Dataset(X, y, init_score=init), 10)
    trees = booster.predict(X, raw_score=True)
    assert fold_init_score(booster, init) is booster
    np.testing.assert_allclose(booster.predict(X, raw_score=True), trees + init)
    reloaded = lgb.Booster(model_str=booster.model_to_string())
    np.testing.assert_allclose(reloaded.predict(X, raw_score=True), trees + init)


@pytest.mark.parametrize(
    "booster, init_score, error, match",
    [
        ("model", 0.5, TypeError, "takes a lightgbm.Booster"),
        ("binary", [0.1, 0.2], ValueError, "differs between rows.*one float"),
        ("binary", np.nan, ValueError, "NaN"),
        ("three", 0.1, ValueError, "1 value.*3 score"),
        ("three", [0.1, 0.2], ValueError, "2 value.*3 score"),
        ("untrained", 0.1, ValueError, "no trees yet"),
    ],
)
def test_fold_init_score_rejects_bad_input(booster, init_score, error, match):
    X, y = classification_data(3 if booster == "three" else 2, 200)
    params = {"objective": FocalObjective(), **QUIET}
    if booster == "three":
        params["num_class"] = 3
    if booster == "untrained":
        target = lgb.Booster({"objective": "none", **QUIET}, lgb.Dataset(X, y))
    elif booster == "model":
        target = FocalLGBMClassifier(**QUIET).fit(X, y)
    else:
        target = lgb.train(params, lgb.Dataset(X, y), 2)
    with pytest.raises(error, match=match):
        fold_init_score(target, init_score)


def test_exported_thresholds_decide_float32_inputs_as_lightgbm():
    """Rounded down to float32, a threshold sends every float32 x the same way.

    Rounded to nearest it can exceed an x above LightGBM's threshold (NumPy 2
    compares a float32 with a Python float in float32: the check uses float64).
    """
    import re

    from skfocal.onnx._lightgbm_trees import split_by_class

    clf, _ = fitted(3, 2.0)
    original = clf.booster_.model_to_string()
    before = [float(v) for line in re.findall(r"^threshold=(.*)$", original, re.M)
              for v in line.split()]  # fmt: skip
    after = [float(v) for text in split_by_class(clf.booster_)
             for line in re.findall(r"^threshold=(.*)$", text, re.M)
             for v in line.split()]  # fmt: skip
    assert sorted(before) != sorted(after)  # they did change
    for t in after:
        assert float(np.float32(t)) == t  # representable in float32
    below = np.array(sorted(before))
    rounded = np.array(sorted(after))
    assert np.all(rounded <= below)
    # No float32 lies in (rounded, original]: the next float32 is above it.
    above = np.nextafter(rounded.astype(np.float32), np.float32(np.inf))
    assert np.all(above.astype(np.float64) > below)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_hgb_shap_values_add_up_to_the_decision_function(n_classes):
    # shap reads the predictors and the baseline of scikit-learn's HGB; NaN
    # follows missing_go_to_left there too.
    shap = pytest.importorskip("shap", reason="shap is in the test extra")
    X, y = classification_data(n_classes, 1000, weights=None)
    X[np.random.default_rng(0).random(X.shape) < 0.1] = np.nan
    clf = FocalHistGradientBoostingClassifier(gamma=2.0, max_iter=20).fit(X, y)
    explainer = shap.TreeExplainer(clf)
    values = np.asarray(explainer.shap_values(X))  # (n, features[, classes])
    total = values.sum(axis=1) + explainer.expected_value
    raw = clf.decision_function(X)
    np.testing.assert_allclose(total, raw.reshape(total.shape), atol=1e-9)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_hgb_with_categorical_features_explains_with_a_model_agnostic_explainer(
    n_classes,
):
    shap = pytest.importorskip("shap", reason="shap is in the test extra")
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=600), rng.integers(0, 8, 600), rng.normal(size=600)]
    y = ((X[:, 1] % 3 == 0) ^ (X[:, 0] > 0.3)).astype(int)
    if n_classes == 3:
        y[X[:, 2] > 1] = 2
    clf = FocalHistGradientBoostingClassifier(max_iter=10, categorical_features=[1])
    clf.fit(X, y)
    raw = clf.decision_function(X[:10])
    # TreeExplainer reads categorical splits as threshold splits, silently:
    # docs/deploying.rst says so. If this fails, shap learnt them: update it.
    tree = shap.TreeExplainer(clf)
    values = np.asarray(tree.shap_values(X[:10]))
    total = values.sum(axis=1) + tree.expected_value
    assert np.abs(total - raw.reshape(total.shape)).max() > 0.1
    # The documented alternative: exact Shapley values of decision_function.
    masker = shap.maskers.Independent(X[:10], max_samples=10)
    explanation = shap.explainers.Exact(clf.decision_function, masker)(X[:10])
    total = explanation.values.sum(axis=1) + explanation.base_values
    np.testing.assert_allclose(total, raw, atol=1e-9)
