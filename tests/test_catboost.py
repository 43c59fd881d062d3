"""FocalObjective, FocalMetric, fold_init_score and FocalCatBoostClassifier.

References are independent of the code under test: CatBoost's own ``Logloss``
and ``MultiClass`` at gamma = 0, :class:`skfocal.FocalLoss`'s public methods
for the derivatives (themselves tested against 50-digit arithmetic), and the
focal loss written out in numpy for the metric.
"""

import pickle
import warnings

import numpy as np
import pytest

catboost = pytest.importorskip("catboost", reason="catboost is in the test extra")
pd = pytest.importorskip("pandas")

from scipy.special import expit, softmax  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skfocal import FocalLoss  # noqa: E402
from skfocal.catboost import (  # noqa: E402
    FocalCatBoostClassifier,
    FocalMetric,
    FocalObjective,
    fold_init_score,
)

from .conftest import classification_data  # noqa: E402

QUIET = {"verbose": False, "allow_writing_files": False}
# What makes two CatBoost fits comparable: a user-defined objective gets one
# Newton step per leaf and no backtracking, Logloss ten with backtracking;
# MultiClass the Bayesian bootstrap, a user-defined objective MVS.
SAME = {"iterations": 30, "learning_rate": 0.2, "depth": 4, "random_seed": 3,
        "leaf_estimation_iterations": 1}  # fmt: skip


def focal_numpy(y, raw, gamma, weight=None):
    """Mean focal loss from its definition (probabilities of the link)."""
    if raw.ndim == 1:
        p = np.where(y == 1, expit(raw), expit(-raw))
    else:
        p = softmax(raw, axis=1)[np.arange(len(y)), y]
    loss = -((1 - p) ** gamma) * np.log(p)
    return np.average(loss, weights=weight)


# ------------------------------------------------------------ gamma = 0
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_gamma_zero_equals_catboost_logloss(weighted):
    X, y = classification_data(2, 2000)
    weight = np.random.default_rng(0).uniform(0.2, 3.0, len(y)) if weighted else None
    focal = FocalCatBoostClassifier(gamma=0.0, **SAME).fit(X, y, sample_weight=weight)
    logloss = catboost.CatBoostClassifier(
        loss_function="Logloss", boost_from_average=True,
        leaf_estimation_backtracking="No", **SAME, **QUIET,
    ).fit(X, y, sample_weight=weight)  # fmt: skip
    np.testing.assert_allclose(
        focal.predict_proba(X), logloss.predict_proba(X), rtol=0, atol=1e-5
    )
    # CatBoost averages its float32 copy of the weights.
    assert np.isclose(focal.init_score_, logloss.get_scale_and_bias()[1], atol=1e-6)


def test_class_weight_equals_the_same_weights_in_logloss():
    X, y = classification_data(2, 1500)
    focal = FocalCatBoostClassifier(gamma=0.0, class_weight={0: 1.0, 1: 4.0}, **SAME)
    logloss = catboost.CatBoostClassifier(
        loss_function="Logloss", boost_from_average=True,
        leaf_estimation_backtracking="No", **SAME, **QUIET,
    ).fit(X, y, sample_weight=np.where(y == 1, 4.0, 1.0))  # fmt: skip
    np.testing.assert_allclose(
        focal.fit(X, y).predict_proba(X), logloss.predict_proba(X), atol=1e-5
    )


def test_multiclass_gamma_zero_equals_multiclass_gradient_steps_from_the_start():
    # MultiClass's Newton leaves use the full K x K softmax Hessian, skfocal's
    # curvature is its diagonal: they agree with gradient leaf steps.
    X, y = classification_data(3, 1500)
    same = {**SAME, "leaf_estimation_method": "Gradient"}
    focal = FocalCatBoostClassifier(
        gamma=0.0, **same, params={"bootstrap_type": "Bayesian"}
    ).fit(X, y)
    start = np.tile(focal.init_score_, (len(y), 1))
    multiclass = catboost.CatBoost(
        {"loss_function": "MultiClass", **same, **QUIET}
    ).fit(catboost.Pool(X, y, baseline=start))
    raw = multiclass.predict(X, prediction_type="RawFormulaVal") + start
    np.testing.assert_allclose(focal.decision_function(X), raw, atol=1e-6)
    np.testing.assert_allclose(focal.predict_proba(X), softmax(raw, axis=1), atol=1e-6)


# -------------------------------------------------------- the callables
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.7])
def test_binary_ders_are_minus_gradient_and_curvature(gamma):
    rng = np.random.default_rng(1)
    raw = rng.normal(0, 4, 700)
    raw[:5] = [-40.0, 40.0, 0.0, -700.0, 700.0]
    targets = (rng.random(700) < 0.3).astype(np.float32)  # as CatBoost passes them
    weights = rng.uniform(0, 2, 700).astype(np.float32)
    objective = FocalObjective(gamma=gamma, alpha=0.3)
    for w in (None, weights):
        ders = objective.calc_ders_range(raw, targets, w)
        gradient, curvature = FocalLoss(gamma=gamma, alpha=0.3).gradient_hessian(
            targets.astype(float), raw, None if w is None else w.astype(float)
        )
        assert ders.shape == (700, 2)
        np.testing.assert_allclose(ders[:, 0], -gradient, rtol=1e-13, atol=0)
        np.testing.assert_allclose(ders[:, 1], -curvature, rtol=1e-13, atol=0)
        assert np.all(ders[:, 1] <= 0)  # CatBoost maximises: a concave objective


@pytest.mark.parametrize("gamma", [0.0, 2.0, 1.5])
def test_multiclass_ders_are_minus_gradient_and_diagonal_curvature(gamma):
    rng = np.random.default_rng(2)
    raw = rng.normal(0, 3, (50, 4))
    labels = rng.integers(0, 4, 50)
    weights = rng.uniform(0.1, 2, 50)
    loss = FocalLoss(gamma=gamma, alpha=[1.0, 2.0, 0.5, 1.0])
    gradient, curvature = loss.gradient_hessian(labels, raw, weights)
    objective = FocalObjective(gamma=gamma, alpha=[1.0, 2.0, 0.5, 1.0])
    for i in range(50):
        first, second = objective.calc_ders_multi(raw[i], float(labels[i]), weights[i])
        np.testing.assert_allclose(first, -gradient[i], rtol=1e-13)
        np.testing.assert_allclose(np.diag(second), -curvature[i], rtol=1e-13)
        assert np.count_nonzero(second - np.diag(np.diag(second))) == 0


def test_metric_is_the_weighted_mean_focal_loss():
    rng = np.random.default_rng(3)
    raw, y = rng.normal(0, 2, (300, 3)), rng.integers(0, 3, 300)
    weight = rng.uniform(0, 2, 300)
    metric = FocalMetric(gamma=2.0)
    error, total = metric.evaluate(list(raw.T), y.astype(np.float32), weight)
    assert metric.get_final_error(error, total) == pytest.approx(
        focal_numpy(y, raw, 2.0, weight), rel=1e-12
    )
    assert metric.is_max_optimal() is False


def test_positive_curvature_steps_downhill_from_far_on_the_wrong_side():
    # One leaf of badly misclassified rows: the exact second derivative of the
    # focal loss is negative there, so a Newton step on it goes the wrong way.
    X = np.random.default_rng(5).normal(size=(400, 1))
    y = np.r_[np.ones(300), np.zeros(100)]  # both leaves mostly positive rows
    start = np.full(400, -6.0)  # every positive row far on the wrong side
    before = focal_numpy(y.astype(int), start, 2.0)
    model = catboost.CatBoost({
        "loss_function": FocalObjective(gamma=2.0), "eval_metric": FocalMetric(2.0),
        "iterations": 1, "learning_rate": 0.1, "depth": 1, "l2_leaf_reg": 0.0,
        "bootstrap_type": "No", **QUIET,
    }).fit(catboost.Pool(X, y, baseline=start))  # fmt: skip
    step = model.predict(X, prediction_type="RawFormulaVal")
    gradient = FocalLoss(gamma=2.0).gradient(y, start)
    for leaf in np.unique(step):  # a descent direction in every leaf
        assert np.sign(leaf) == -np.sign(gradient[step == leaf].sum())
    assert focal_numpy(y.astype(int), start + step, 2.0) < before


def test_objective_errors_name_the_bad_input():
    X, y = classification_data(2, 200)
    params = {"loss_function": FocalObjective(), "eval_metric": FocalMetric(),
              "iterations": 2, **QUIET}  # fmt: skip
    match = r"\{0, \.\.\., 1\}.*found \[2\.0\].*add 'classes_count': 3"
    with pytest.raises(catboost.CatBoostError, match=match):
        catboost.CatBoost(params).fit(catboost.Pool(X, np.where(y == 1, 2, 0)))
    with pytest.raises(ValueError, match=r"raw scores contains NaN"):
        FocalObjective().calc_ders_range(
            np.array([0.0, np.nan]), np.zeros(2, np.float32), None
        )


@pytest.mark.parametrize(
    "raw, label, match",
    [
        (np.zeros(3), 3.0, r"\{0, \.\.\., 2\} for 3 classes; found \[3\.0\]"),
        (np.zeros(3), 0.5, r"found \[0\.5\]"),
        (np.array([0.0, np.nan, 1.0]), 1.0, r"raw scores contains NaN"),
    ],
    ids=["label 3 of 3 classes", "label 0.5", "NaN score"],
)
def test_multiclass_ders_name_the_bad_input(raw, label, match):
    with pytest.raises(ValueError, match=match):
        FocalObjective().calc_ders_multi(raw, label, 1.0)


def test_catboost_gets_no_jit_warning_from_skfocal_callables():
    X, y = classification_data(2, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FocalCatBoostClassifier(iterations=3).fit(X, y)


# ------------------------------------------------------- the start, saved
def test_fold_init_score_makes_the_saved_model_whole(tmp_path):
    X, y = classification_data(3, 900)
    clf = FocalCatBoostClassifier(gamma=2.0, iterations=20).fit(X, y)
    path = tmp_path / "model.cbm"
    clf.booster_.save_model(str(path))
    plain = catboost.CatBoost().load_model(str(path))
    raw = plain.predict(X, prediction_type="RawFormulaVal")
    np.testing.assert_allclose(raw, clf.decision_function(X), rtol=1e-12)
    # Plain CatBoost plus FocalLoss.posterior is the whole model.
    np.testing.assert_allclose(
        FocalLoss(gamma=2.0).posterior(raw), clf.predict_proba(X), rtol=1e-12
    )


def test_fold_init_score_by_hand_equals_the_classifier():
    X, y = classification_data(2, 800)
    objective = FocalObjective(gamma=2.0)
    init = objective.init_score(y)
    model = catboost.CatBoost({
        "loss_function": objective, "eval_metric": FocalMetric(2.0),
        "iterations": 15, "random_seed": 0, **QUIET,
    }).fit(catboost.Pool(X, y, baseline=init))  # fmt: skip
    fold_init_score(model, init)
    clf = FocalCatBoostClassifier(iterations=15, random_seed=0).fit(X, y)
    np.testing.assert_allclose(
        model.predict(X, prediction_type="RawFormulaVal"),
        clf.decision_function(X), rtol=1e-12,
    )  # fmt: skip
    with pytest.raises(TypeError, match=r"catboost\.CatBoost model"):
        fold_init_score(clf, init)
    with pytest.raises(ValueError, match="differs between rows"):
        fold_init_score(model, np.arange(len(y), dtype=float))


def test_continued_training_keeps_the_start_and_equals_one_longer_fit():
    X, y = classification_data(2, 800)
    same = {"learning_rate": 0.3, "depth": 3, "random_strength": 0.0,
            "params": {"bootstrap_type": "No"}}  # fmt: skip
    full = FocalCatBoostClassifier(iterations=10, **same).fit(X, y)
    first = FocalCatBoostClassifier(iterations=5, **same).fit(X, y)
    more = FocalCatBoostClassifier(iterations=5, **same).fit(X, y, init_model=first)
    assert more.booster_.tree_count_ == 10
    assert more.init_score_ == first.init_score_
    np.testing.assert_allclose(
        more.decision_function(X), full.decision_function(X), atol=1e-9
    )


def test_pickle_round_trip_predicts_the_same():
    X, y = classification_data(3, 600)
    labels = np.array(["a", "b", "c"])[y]
    clf = FocalCatBoostClassifier(gamma=1.0, iterations=10).fit(X, labels)
    back = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))


# -------------------------------------------------- the estimator's fit
def test_string_categories_eval_set_and_early_stopping():
    rng = np.random.default_rng(4)
    n = 3000
    city = rng.choice(["oslo", "lima", "pune", "kiev"], n)
    x = rng.normal(size=n)
    logit = -2.5 + 1.5 * x + np.where(city == "lima", 2.0, 0.0)
    y = np.where(rng.random(n) < expit(logit), "late", "on time")
    frame = pd.DataFrame({"city": city, "x": x})
    train, valid = slice(0, 2000), slice(2000, None)
    clf = FocalCatBoostClassifier(
        iterations=500, learning_rate=0.3, early_stopping_rounds=10
    ).fit(frame[train], y[train], eval_set=[(frame[valid], y[valid])])
    assert clf.booster_.get_cat_feature_indices() == [0]
    assert clf.best_iteration_ < 499
    assert clf.booster_.tree_count_ == clf.best_iteration_ + 1
    history = clf.evals_result_["validation"]["FocalMetric"]
    assert np.argmin(history) == clf.best_iteration_
    # The recorded metric is the focal loss of the model's raw scores.
    raw = clf.decision_function(frame[valid])
    labels = np.searchsorted(clf.classes_, y[valid])
    assert history[clf.best_iteration_] == pytest.approx(
        focal_numpy(labels, raw, 2.0), rel=1e-9
    )
    assert set(clf.predict(frame[valid])) <= {"late", "on time"}


def test_user_loss_function_and_aliases_are_refused():
    X, y = classification_data(2, 100)
    for params, match in [
        ({"loss_function": "Logloss"}, "cannot set 'loss_function'.*gamma and alpha"),
        ({"n_estimators": 10}, "cannot set 'n_estimators': use iterations"),
        ({"auto_class_weights": "Balanced"}, "use class_weight='balanced'"),
        ({"depth": 3}, "cannot set 'depth': use the estimator's depth"),
    ]:
        with pytest.raises(ValueError, match=match):
            FocalCatBoostClassifier(params=params).fit(X, y)


def test_gridsearch_over_gamma_in_a_pipeline():
    X, y = classification_data(2, 600)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), FocalCatBoostClassifier(iterations=10)),
        {"focalcatboostclassifier__gamma": [0.0, 2.0]}, cv=3, scoring="neg_log_loss",
    ).fit(X, y)  # fmt: skip
    assert search.best_params_["focalcatboostclassifier__gamma"] in (0.0, 2.0)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_multiclass_trains_on_one_thread_unless_told():
    # CatBoost calls a multiclass objective once per row under Python's lock.
    X, y = classification_data(3, 300)
    params = FocalCatBoostClassifier(iterations=2).fit(X, y).booster_.get_params()
    assert params["thread_count"] == 1
    told = FocalCatBoostClassifier(iterations=2, thread_count=2).fit(X, y)
    assert told.booster_.get_params()["thread_count"] == 2
    X, y = classification_data(2, 300)
    binary = FocalCatBoostClassifier(iterations=2).fit(X, y)
    assert "thread_count" not in binary.booster_.get_params()


@pytest.mark.parametrize("n_classes", [2, 3])
def test_shap_values_add_up_to_the_decision_function(n_classes):
    shap = pytest.importorskip("shap", reason="shap is in the test extra")
    X, y = classification_data(n_classes, 400)
    clf = FocalCatBoostClassifier(iterations=15).fit(X, y)
    raw = clf.decision_function(X)
    # CatBoost's own SHAP values: the last column is the expected value.
    values = clf.booster_.get_feature_importance(catboost.Pool(X), type="ShapValues")
    np.testing.assert_allclose(values.sum(axis=-1), raw, atol=1e-12)
    explainer = shap.TreeExplainer(clf.booster_)
    contributions = np.asarray(explainer.shap_values(X))
    # (n, features) or (n, features, classes)
    total = contributions.sum(axis=1) + explainer.expected_value
    np.testing.assert_allclose(total, raw, atol=1e-12)


def test_catboosts_onnx_export_of_a_binary_model_is_its_raw_score(tmp_path):
    ort = pytest.importorskip("onnxruntime", reason="onnxruntime is in the test extra")
    X, y = classification_data(2, 300)
    clf = FocalCatBoostClassifier(iterations=10).fit(X, y)
    path = str(tmp_path / "model.onnx")
    clf.booster_.save_model(path, format="onnx")
    session = ort.InferenceSession(path)
    X32 = X.astype(np.float32)
    (raw,) = session.run(None, {session.get_inputs()[0].name: X32})
    np.testing.assert_allclose(raw.ravel(), clf.decision_function(X32), atol=1e-6)


def test_a_model_fitted_on_a_frame_predicts_its_rows_as_an_array():
    rng = np.random.default_rng(6)
    city = rng.choice(["a", "b"], 400)
    frame = pd.DataFrame({"x": rng.normal(size=400), "city": city})
    y = (frame["x"] + (frame["city"] == "a") > 0.5).to_numpy()
    clf = FocalCatBoostClassifier(iterations=10).fit(frame, y)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        proba = clf.predict_proba(frame.to_numpy())
    np.testing.assert_array_equal(proba, clf.predict_proba(frame))


def test_an_eval_set_keeps_the_best_iteration_unless_told():
    X, y = classification_data(2, 1200)
    fit, valid = slice(0, 600), slice(600, None)
    sets = {"eval_set": [(X[valid], y[valid])]}
    best = FocalCatBoostClassifier(iterations=300, learning_rate=0.5).fit(
        X[fit], y[fit], **sets
    )
    assert best.booster_.tree_count_ == best.best_iteration_ + 1 < 300
    every = FocalCatBoostClassifier(
        iterations=300, learning_rate=0.5, params={"use_best_model": False}
    ).fit(X[fit], y[fit], **sets)
    assert every.booster_.tree_count_ == 300
