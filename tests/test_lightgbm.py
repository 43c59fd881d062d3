"""LightGBM front end: FocalObjective, FocalMetric and FocalLGBMClassifier."""

import pickle
import warnings
from functools import partial

import lightgbm as lgb
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss
from skfocal.lightgbm import FocalLGBMClassifier, FocalMetric, FocalObjective
from skfocal.metrics import focal_loss

from .conftest import QUIET, classification_data

dataset = partial(classification_data, n_samples=1500, n_features=10, n_informative=6)


# ------------------------------------------------------------- objective
@pytest.mark.parametrize("n_classes", [2, 4])
def test_objective_is_focal_loss_gradient_and_curvature(n_classes):
    rng = np.random.default_rng(0)
    y = rng.integers(0, n_classes, 300).astype(float)
    raw = 3 * rng.standard_normal(300 if n_classes == 2 else (300, n_classes))
    sw = rng.uniform(0.5, 2.0, 300).astype(np.float32).astype(float)  # as Datasets
    alpha = 0.3 if n_classes == 2 else np.linspace(0.5, 2.0, n_classes)
    grad, hess = FocalObjective(gamma=2.0, alpha=alpha)(y, raw, sw)
    expected_grad, expected_hess = FocalLoss(2.0, alpha).gradient_hessian(y, raw, sw)
    factor = 1.0 if n_classes == 2 else n_classes / (n_classes - 1)
    # float32, as LightGBM keeps them: the float64 results rounded once.
    assert grad.dtype == hess.dtype == np.float32
    np.testing.assert_array_equal(grad, expected_grad.astype(np.float32))
    np.testing.assert_allclose(hess, factor * expected_hess, rtol=6e-8)
    # The lgb.train calling convention gives the same result.
    data = lgb.Dataset(np.zeros((300, 1)), label=y, weight=sw).construct()
    train_grad, train_hess = FocalObjective(gamma=2.0, alpha=alpha)(raw, data)
    np.testing.assert_array_equal(train_grad, grad)
    np.testing.assert_array_equal(train_hess, hess)


def test_objective_validates_labels_once_per_array():
    objective = FocalObjective()
    calls = []
    check = objective._labels._check
    objective._labels._check = lambda *a: calls.append(1) or check(*a)
    y, raw = np.array([0.0, 1.0, 1.0]), np.zeros(3)
    for _ in range(5):
        objective(y, raw)
    assert len(calls) == 1
    objective(y.copy(), raw)  # equal labels (XGBoost copies them every round)
    assert len(calls) == 1
    objective(np.array([1.0, 1.0, 1.0]), raw)  # other labels: checked anew
    assert len(calls) == 2
    with pytest.raises(ValueError, match="class indices"):
        objective(np.array([0.0, 1.0, 2.0]), raw)


@pytest.mark.parametrize(
    "y, raw, match",
    [
        ([0.0, 2.0], np.zeros(2), r"found \[2\.0\].*up to 2.*'num_class': 3"),
        ([-1.0, 1.0], np.zeros(2), r"class indices in \{0, \.\.\., 1\}"),
        ([0.0, 0.5], np.zeros(2), r"found \[0\.5\]"),
        ([0.0, 1.0], np.zeros(6), "flat array"),
        ([0.0, 1.0], np.zeros((2, 1)), "expected"),
        ([0.0, 1.0], np.array([0.0, np.nan]), "raw scores contains NaN"),
    ],
)
def test_objective_rejects_bad_input(y, raw, match):
    with pytest.raises(ValueError, match=match):
        FocalObjective()(np.asarray(y), raw)


def test_objective_in_lgb_train_and_in_lgbmclassifier_give_the_same_model():
    X, y = dataset(3)
    sw = np.random.default_rng(1).uniform(0.2, 3.0, len(y))
    objective = FocalObjective(gamma=1.5)
    init = objective.init_score(y, sample_weight=sw, n_classes=3)
    assert init.shape == (len(y), 3)
    params = {"objective": objective, "metric": "None", "num_class": 3, **QUIET}
    booster = lgb.train(
        params, lgb.Dataset(X, y, weight=sw, init_score=init), num_boost_round=30
    )
    clf = lgb.LGBMClassifier(objective=objective, n_estimators=30, **QUIET)
    clf.fit(X, y, sample_weight=sw, init_score=init)
    raw_train = booster.predict(X, raw_score=True)
    np.testing.assert_allclose(clf.predict(X, raw_score=True), raw_train, rtol=1e-12)
    unweighted = lgb.LGBMClassifier(objective=objective, n_estimators=30, **QUIET)
    unweighted.fit(X, y, init_score=init)
    assert not np.allclose(unweighted.predict(X, raw_score=True), raw_train)


# ---------------------------------------------------------------- metric
def test_metric_is_the_focal_loss_of_the_probabilities():
    X, y = dataset(3)
    clf = FocalLGBMClassifier(
        gamma=2.0, alpha=[1.0, 2.0, 0.5], proba="model", n_estimators=20, **QUIET
    ).fit(X, y)
    raw = clf.decision_function(X)
    name, value, higher_is_better = FocalMetric(2.0, [1.0, 2.0, 0.5])(y, raw)
    expected = focal_loss(y, clf.predict_proba(X), gamma=2.0, alpha=[1.0, 2.0, 0.5])
    assert (name, higher_is_better) == ("focal_loss", False)
    assert value == pytest.approx(expected, rel=1e-10)


def test_metric_in_lgb_train_sees_the_init_score():
    X, y = dataset(2)
    objective, metric = FocalObjective(gamma=2.0), FocalMetric(gamma=2.0)
    init = objective.init_score(y)
    train = lgb.Dataset(X, y, init_score=init)
    evals = {}
    lgb.train(
        {"objective": objective, "metric": "None", **QUIET},
        train,
        num_boost_round=5,
        valid_sets=[train],
        feval=metric,
        callbacks=[lgb.record_evaluation(evals)],
    )
    losses = evals["training"]["focal_loss"]
    constant = metric(y, init)[1]
    assert losses[0] < constant  # one tree improves on the optimal constant
    assert np.all(np.diff(losses) < 0)


# ------------------------------------------------------------ classifier
@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("weighted", [False, True])
def test_gamma_zero_reproduces_builtin_objective(n_classes, weighted):
    X, y = dataset(n_classes)
    sw = np.random.default_rng(2).uniform(0.2, 3.0, len(y)) if weighted else None
    ours = FocalLGBMClassifier(gamma=0.0, n_estimators=40, **QUIET)
    builtin = lgb.LGBMClassifier(n_estimators=40, **QUIET)
    ours.fit(X, y, sample_weight=sw)
    builtin.fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(
        ours.predict_proba(X), builtin.predict_proba(X), atol=1e-5
    )
    np.testing.assert_array_equal(ours.predict(X), builtin.predict(X))


def test_probabilities_labels_and_initial_score():
    X, y = dataset(2, weights=[0.9])
    labels = np.where(y == 1, "fraud", "ok")
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=30, **QUIET).fit(X, labels)
    np.testing.assert_array_equal(clf.classes_, ["fraud", "ok"])
    assert clf.init_score_ == pytest.approx(FocalLoss(2.0).init_score(1 - y))
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    raw = clf.decision_function(X)
    np.testing.assert_allclose(proba, FocalLoss(2.0).posterior(raw))
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[(raw > 0).astype(int)])
    model = clone(clf).set_params(proba="model").fit(X, labels)
    np.testing.assert_allclose(model.predict_proba(X), FocalLoss().predict_proba(raw))
    np.testing.assert_allclose(clf.predict_proba(X, raw_score=True), raw)


def test_sample_and_class_weights_enter_the_initial_score_and_the_model():
    X, y = dataset(2, weights=[0.8])
    plain = FocalLGBMClassifier(n_estimators=20, **QUIET).fit(X, y)
    balanced = FocalLGBMClassifier(class_weight="balanced", n_estimators=20, **QUIET)
    balanced.fit(X, y)
    # Balanced classes have equal mass: the optimal constant score is 0.
    assert balanced.init_score_ == pytest.approx(0.0, abs=1e-9)
    assert plain.init_score_ < -0.5
    sw = np.where(y == 1, 4.0, 1.0)
    weighted = FocalLGBMClassifier(n_estimators=20, **QUIET).fit(X, y, sample_weight=sw)
    assert not np.allclose(weighted.predict_proba(X), plain.predict_proba(X))


def test_early_stopping_on_focal_metric_predicts_with_best_iteration():
    X, y = dataset(2, n_samples=2000, seed=3)
    X_train, y_train, X_valid, y_valid = X[:1000], y[:1000], X[1000:], y[1000:]
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=500, learning_rate=0.3, **QUIET)
    clf.fit(
        X_train,
        y_train,
        eval_set=[(X_valid, y_valid)],
        callbacks=[lgb.early_stopping(10, first_metric_only=True, verbose=False)],
    )
    history = clf.evals_result_["valid_0"]["focal_loss"]
    assert set(clf.evals_result_["valid_0"]) == {"focal_loss"}
    assert clf.best_iteration_ < 500
    assert clf.best_iteration_ == int(np.argmin(history)) + 1
    best = clf.predict_proba(X_valid, num_iteration=clf.best_iteration_)
    np.testing.assert_array_equal(clf.predict_proba(X_valid), best)
    assert FocalMetric(2.0)(y_valid, clf.decision_function(X_valid))[
        1
    ] == pytest.approx(min(history), rel=1e-6)


def test_eval_x_eval_y_spelling_with_string_labels():
    X, y = dataset(2)
    labels = np.where(y == 1, "b", "a")
    by_set = FocalLGBMClassifier(n_estimators=10, **QUIET)
    by_set.fit(X[:1000], labels[:1000], eval_set=[(X[1000:], labels[1000:])])
    by_xy = FocalLGBMClassifier(n_estimators=10, **QUIET)
    by_xy.fit(X[:1000], labels[:1000], eval_X=X[1000:], eval_y=labels[1000:])
    assert by_xy.evals_result_ == by_set.evals_result_
    with pytest.raises(ValueError, match="not both"):
        by_xy.fit(X, labels, eval_set=[(X, labels)], eval_X=X, eval_y=labels)


def test_builtin_metrics_wrong_on_raw_scores_are_refused():
    X, y = dataset(2)
    with pytest.raises(ValueError, match="binary_logloss"):
        FocalLGBMClassifier(metric="binary_logloss", **QUIET).fit(X, y)
    with pytest.raises(ValueError, match="built-in metric"):
        FocalLGBMClassifier(**QUIET).fit(X, y, eval_set=[(X, y)], eval_metric="error")
    clf = FocalLGBMClassifier(n_estimators=5, **QUIET)
    clf.fit(X, y, eval_set=[(X[:500], y[:500])], eval_metric="auc")
    assert set(clf.evals_result_["valid_0"]) == {"auc", "focal_loss"}


@pytest.mark.parametrize("n_samples", [3, 10, 30])
def test_tiny_data_fits_to_the_optimal_constant(n_samples):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((n_samples, 3))
    y = np.arange(n_samples) % 2
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=5, **QUIET).fit(X, y)
    raw = clf.decision_function(X)
    assert np.all(np.isfinite(raw))
    if n_samples < 2 * clf.min_child_samples:  # no split is possible
        np.testing.assert_allclose(raw, clf.init_score_)


def test_sparse_input_with_few_nonzeros():
    rng = np.random.default_rng(5)
    X = sp.random(200, 50, density=0.02, format="csr", random_state=rng)
    y = (np.asarray(X.sum(axis=1)).ravel() > 0.1).astype(int)
    clf = FocalLGBMClassifier(n_estimators=10, min_child_samples=2, **QUIET).fit(X, y)
    assert clf.predict_proba(X).shape == (200, 2)


def test_pandas_categorical_features():
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    rng = np.random.default_rng(6)
    colour = rng.choice(["red", "green", "blue"], 600)
    y = (colour == "red").astype(int) ^ (rng.uniform(size=600) < 0.05)
    frame = pd.DataFrame(
        {"colour": pd.Categorical(colour), "noise": rng.normal(size=600)}
    )
    clf = FocalLGBMClassifier(n_estimators=20, **QUIET).fit(frame, y)
    assert clf.n_features_in_ == 2
    assert clf.feature_importances_[0] > 0
    red = clf.predict_proba(frame[frame.colour == "red"])[:, 1]
    other = clf.predict_proba(frame[frame.colour != "red"])[:, 1]
    assert red.min() > other.max()


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"gamma": -1.0}, InvalidParameterError, "'gamma' parameter"),
        ({"alpha": 2.0}, InvalidParameterError, "'alpha' parameter"),
        ({"proba": "raw"}, InvalidParameterError, "'proba' parameter"),
        ({"alpha": [1.0, 2.0, 3.0]}, ValueError, "3 per-class weights but y has 2"),
    ],
)
def test_bad_parameters_get_clear_errors(params, error, match):
    X, y = dataset(2)
    with pytest.raises(error, match=match):
        FocalLGBMClassifier(**params, **QUIET).fit(X, y)


def test_single_class_and_init_score_are_refused():
    X, y = dataset(2)
    with pytest.raises(ValueError, match="only one class"):
        FocalLGBMClassifier(**QUIET).fit(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="init_score"):
        FocalLGBMClassifier(**QUIET).fit(X, y, init_score=np.zeros(len(y)))


def test_pickle_and_clone_round_trips():
    X, y = dataset(3)
    clf = FocalLGBMClassifier(
        gamma=1.0, alpha=[1.0, 2.0, 1.0], n_estimators=10, **QUIET
    ).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    fresh = clone(clf)
    assert fresh.get_params()["gamma"] == 1.0 and not fresh.__sklearn_is_fitted__()
    for piece in (FocalObjective(0.5, 0.3), FocalMetric(0.5, 0.3)):
        copy = pickle.loads(pickle.dumps(piece))
        assert repr(copy) == repr(piece)
        y2, raw2 = np.array([0.0, 1.0]), np.array([0.2, -0.4])
        np.testing.assert_array_equal(copy(y2, raw2)[1], piece(y2, raw2)[1])


def test_grid_search_over_gamma_and_lightgbm_parameters():
    X, y = dataset(2, n_samples=600, weights=[0.85])
    grid = {"gamma": [0.0, 2.0], "learning_rate": [0.05, 0.2], "num_leaves": [7, 15]}
    search = GridSearchCV(
        FocalLGBMClassifier(n_estimators=20, n_jobs=1, **QUIET),
        grid,
        scoring="average_precision",
        cv=3,
        n_jobs=2,
    ).fit(X, y)
    serial = GridSearchCV(
        FocalLGBMClassifier(n_estimators=20, n_jobs=1, **QUIET),
        grid,
        scoring="average_precision",
        cv=3,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize("n_classes", [2, 4])
def test_objective_threads_give_the_same_bits(n_classes):
    rng = np.random.default_rng(7)
    n = 210_001
    y = rng.integers(0, n_classes, n).astype(float)
    raw = 3 * rng.standard_normal(n if n_classes == 2 else (n, n_classes))
    one = FocalObjective(gamma=2.0)(y, raw)
    two = FocalObjective(gamma=2.0, n_threads=2)(y, raw)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_array_equal(a, b)
    # Multiclass outputs are column-major: LightGBM's flattening needs no copy.
    assert n_classes == 2 or np.shares_memory(one[0].ravel(order="F"), one[0])


# ------------------------------------------- workflows users tried (issue 11)
def split(n_classes=2):
    X, y = dataset(n_classes, n_samples=2000)
    return X[:1500], y[:1500], X[1500:], y[1500:]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_focalmetric_of_the_models_loss_is_reported_once(n_classes):
    X, y, X_valid, y_valid = split(n_classes)
    alpha = 0.3 if n_classes == 2 else [1.0, 2.0, 1.0]
    clf = FocalLGBMClassifier(gamma=2.0, alpha=alpha, n_estimators=10, **QUIET)
    clf.fit(
        X,
        y,
        eval_set=[(X_valid, y_valid)],
        eval_metric=FocalMetric(gamma=2.0, alpha=alpha),
    )
    result = clf.evals_result_["valid_0"]
    assert list(result) == ["focal_loss"]
    assert len(result["focal_loss"]) == 10
    # ...and it is the focal loss of the model's probabilities on the eval set.
    # LightGBM evaluates the model's own (sigmoid/softmax) probabilities.
    model_proba = FocalLoss(2.0).predict_proba(clf.decision_function(X_valid))
    expected = focal_loss(y_valid, model_proba, gamma=2.0, alpha=alpha)
    assert result["focal_loss"][-1] == pytest.approx(expected, rel=1e-9)


def test_a_focalmetric_of_another_gamma_is_reported_under_its_own_name():
    X, y, X_valid, y_valid = split()
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=10, **QUIET)
    clf.fit(
        X,
        y,
        eval_set=[(X_valid, y_valid)],
        eval_metric=[FocalMetric(gamma=0.0), FocalMetric(0.0), FocalMetric(2.0, 0.25)],
    )
    result = clf.evals_result_["valid_0"]
    assert list(result) == [
        "focal_loss",
        "focal_loss(gamma=0)",
        "focal_loss(gamma=2, alpha=0.25)",
    ]
    assert all(len(values) == 10 for values in result.values())
    # gamma = 0 is the log loss of the model's probabilities.
    model_proba = FocalLoss(2.0).predict_proba(clf.decision_function(X_valid))
    assert result["focal_loss(gamma=0)"][-1] == pytest.approx(
        log_loss(y_valid, model_proba), rel=1e-9
    )


def test_focalmetric_with_auc_and_early_stopping_trains():
    X, y, X_valid, y_valid = split()
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=300, **QUIET)
    clf.fit(
        X,
        y,
        eval_set=[(X_valid, y_valid)],
        eval_metric=[FocalMetric(gamma=2.0), "auc"],
        callbacks=[lgb.early_stopping(10, verbose=False)],
    )
    result = clf.evals_result_["valid_0"]
    assert list(result) == ["auc", "focal_loss"]
    assert 0 < clf.best_iteration_ < 300
    assert len(result["auc"]) == len(result["focal_loss"]) < 300


@pytest.mark.parametrize(
    "eval_metric, first", [(None, "focal_loss"), ("auc", "auc"), ([], "focal_loss")]
)
def test_first_metric_only_stops_on_the_first_metric_listed(eval_metric, first):
    X, y, X_valid, y_valid = split()
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=400, **QUIET)
    clf.fit(
        X,
        y,
        eval_set=[(X_valid, y_valid)],
        eval_metric=eval_metric,
        callbacks=[lgb.early_stopping(15, first_metric_only=True, verbose=False)],
    )
    result = clf.evals_result_["valid_0"]
    assert next(iter(result)) == first
    values = np.asarray(result[first])
    best = values.argmax() if first == "auc" else values.argmin()
    # LightGBM keeps the first best round and stops 15 rounds after it.
    assert clf.best_iteration_ == best + 1
    assert len(values) == best + 1 + 15


@pytest.mark.parametrize("n_classes", [2, 3])
def test_predictions_use_the_gamma_alpha_and_proba_of_fit(n_classes):
    X, y, X_test, _ = split(n_classes)
    clf = FocalLGBMClassifier(gamma=2.0, n_estimators=20, **QUIET).fit(X, y)
    proba, raw = clf.predict_proba(X_test), clf.decision_function(X_test)
    np.testing.assert_array_equal(proba, FocalLoss(2.0).posterior(raw))
    clf.set_params(gamma=0.0, proba="model", alpha=0.5)
    np.testing.assert_array_equal(clf.predict_proba(X_test), proba)
    assert clf.loss_.gamma == 2.0 and clf.proba_ == "posterior"
    # A refit takes the new parameters.
    clf.set_params(alpha=None).fit(X, y)
    np.testing.assert_array_equal(
        clf.predict_proba(X_test),
        FocalLoss(0.0).predict_proba(clf.decision_function(X_test)),
    )


def test_eval_set_frames_must_have_the_training_columns():
    pd = pytest.importorskip("pandas")
    X, y, X_valid, y_valid = split()
    columns = [f"f{i}" for i in range(X.shape[1])]
    frame, valid = (
        pd.DataFrame(X, columns=columns),
        pd.DataFrame(X_valid, columns=columns),
    )
    clf = FocalLGBMClassifier(n_estimators=5, **QUIET)
    renamed = valid.rename(columns={"f0": "other"})
    with pytest.raises(
        ValueError, match=r"eval_set\[0\] differ.*unseen at fit: \['other'\]"
    ):
        clf.fit(frame, y, eval_set=[(renamed, y_valid)])
    shuffled = valid[columns[::-1]]
    with pytest.raises(ValueError, match="the same names in another order"):
        clf.fit(frame, y, eval_set=[(valid, y_valid), (shuffled, y_valid)])
    with pytest.warns(UserWarning, match="differ in having feature names"):
        clf.fit(frame, y, eval_set=[(X_valid, y_valid)])
    with pytest.warns(UserWarning, match="differ in having feature names"):
        clf.fit(X, y, eval_set=[(valid, y_valid)])
    # The same columns in the same order pass without a word.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(frame, y, eval_set=[(valid, y_valid)])
    assert len(clf.evals_result_["valid_0"]["focal_loss"]) == 5


@pytest.mark.parametrize("name", ["objective", "application", "loss"])
def test_objective_is_not_a_parameter(name):
    assert "objective" not in FocalLGBMClassifier().get_params()
    assert "objective" not in repr(FocalLGBMClassifier(gamma=1.0))
    with pytest.raises(TypeError, match=f"no parameter '{name}'.*focal loss"):
        FocalLGBMClassifier(**{name: "binary"})
    with pytest.raises(ValueError, match=f"no parameter '{name}'.*focal loss"):
        FocalLGBMClassifier().set_params(**{name: "binary"})
    search = GridSearchCV(FocalLGBMClassifier(**QUIET), {name: ["binary"]}, cv=2)
    X, y = dataset(2, n_samples=200)
    with pytest.raises(ValueError, match=f"no parameter '{name}'"):
        search.fit(X, y)


def test_multiclass_lgb_train_without_num_class_says_what_to_add():
    X, y = dataset(3)
    params = {"objective": FocalObjective(), "metric": "None", **QUIET}
    with pytest.raises(ValueError, match="'num_class': 3 to the parameters"):
        lgb.train(params, lgb.Dataset(X, y), num_boost_round=2)
    # Binary labels outside {0, 1} keep the plain label error.
    with pytest.raises(ValueError, match="class indices"):
        FocalObjective()(np.array([0.0, 1.5]), np.zeros(2))


def test_lgb_cv_recipe_metric_sees_each_folds_initial_score():
    """The docs' lgb.cv recipe: fold metrics are the focal loss of init + trees.

    LightGBM drops an init score set on a fold Dataset before it is constructed;
    the recipe constructs the folds first, and this test fails if it did not.
    """
    X, y = dataset(2, weights=[0.9])
    objective, metric = FocalObjective(gamma=2.0), FocalMetric(gamma=2.0)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))

    def start(train, valid, params):
        score = objective.init_score(y[train.used_indices])[0]
        train.construct().set_init_score(np.full(len(train.used_indices), score))
        valid.construct().set_init_score(np.full(len(valid.used_indices), score))
        return train, valid, params

    params = {"objective": objective, "metric": "None", **QUIET}
    result = lgb.cv(
        params, lgb.Dataset(X, y), num_boost_round=10, folds=folds, feval=metric,
        fpreproc=start, return_cvbooster=True,
    )  # fmt: skip
    fold_losses = []
    for booster, (train_index, test_index) in zip(
        result["cvbooster"].boosters, folds, strict=True
    ):
        score = FocalLoss(2.0).init_score(y[train_index])
        raw = booster.predict(X[test_index], raw_score=True) + score
        fold_losses.append(metric(y[test_index], raw)[1])
    assert result["valid focal_loss-mean"][-1] == pytest.approx(
        np.mean(fold_losses), rel=1e-9
    )


# ------------------------- LightGBM's binary-objective parameters (issue 17)
BINARY_SETTINGS = [
    {"scale_pos_weight": 4.0},
    {"is_unbalance": True},
    {"unbalance": True},  # an alias
    {"boost_from_average": False},
    {"scale_pos_weight": 3.0, "class_weight": {0: 2.0, 1: 1.0}},
    {"is_unbalance": True, "class_weight": "balanced"},
]


@pytest.mark.parametrize("setting", BINARY_SETTINGS)
@pytest.mark.parametrize("weights", [[0.9], [0.2]])  # positives rare, then common
def test_gamma_zero_equals_lightgbm_with_its_binary_parameters(setting, weights):
    X, y = dataset(2, weights=weights)
    sw = np.random.default_rng(2).uniform(0.5, 2.0, len(y))
    params = {"n_estimators": 20, "deterministic": True, "force_row_wise": True}
    params.update(QUIET, **setting)
    lgbm = lgb.LGBMClassifier(**params).fit(X, y, sample_weight=sw)
    focal = FocalLGBMClassifier(gamma=0.0, **params).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(
        focal.predict_proba(X), lgbm.predict_proba(X), rtol=1e-6, atol=1e-9
    )
    # ...and differs from the model without the setting (it is not ignored).
    default = {k: v for k, v in params.items() if k not in setting}
    plain = FocalLGBMClassifier(gamma=0.0, **default).fit(X, y, sample_weight=sw)
    assert np.abs(plain.predict_proba(X) - focal.predict_proba(X)).max() > 0.01


def test_boost_from_average_false_starts_from_zero_in_multiclass():
    X, y = dataset(3, weights=[0.6, 0.3])
    params = {"n_estimators": 10, "boost_from_average": False, **QUIET}
    focal = FocalLGBMClassifier(gamma=0.0, **params).fit(X, y)
    np.testing.assert_array_equal(focal.init_score_, np.zeros(3))
    lgbm = lgb.LGBMClassifier(**params).fit(X, y)
    np.testing.assert_allclose(focal.predict_proba(X), lgbm.predict_proba(X), atol=1e-9)


def test_scale_pos_weight_weighs_the_focal_objective_not_the_start():
    X, y = dataset(2, weights=[0.9])
    plain = FocalLGBMClassifier(gamma=2.0, n_estimators=20, **QUIET).fit(X, y)
    weighted = FocalLGBMClassifier(
        gamma=2.0, alpha=0.4, scale_pos_weight=5.0, n_estimators=20, **QUIET
    ).fit(X, y)
    # As LightGBM's binary objective: the start is that of the loss (with alpha)...
    assert weighted.init_score_ == pytest.approx(FocalLoss(2.0, 0.4).init_score(y))
    assert plain.init_score_ == pytest.approx(FocalLoss(2.0).init_score(y))
    # ...the gradients carry alpha times the label weights, the metric alpha only.
    np.testing.assert_allclose(weighted.objective_.alpha, [0.6, 0.4 * 5.0])
    assert weighted.loss_.alpha == 0.4
    assert weighted.predict_proba(X)[:, 1].mean() > plain.predict_proba(X)[:, 1].mean()


@pytest.mark.parametrize(
    "n_classes, setting, match",
    [
        (3, {"scale_pos_weight": 2.0}, "binary problem, but there are 3 classes"),
        (3, {"is_unbalance": True}, "binary problem, but there are 3 classes"),
        (2, {"is_unbalance": True, "scale_pos_weight": 2.0}, "at the same time"),
        (2, {"sigmoid": 2.0}, "sigmoid must be 1.0"),
        (2, {"scale_pos_weight": -1.0}, "scale_pos_weight must be a finite number"),
        (2, {"boost_from_average": "maybe"}, "boost_from_average must be True"),
        (2, {"boosting_type": "rf"}, "random forest mode"),
        (2, {"boosting": "random_forest"}, "random forest mode"),
        # DART with a callable objective is not reproducible in LightGBM, and it
        # would drop the trees of a built-in objective's start but not ours.
        (2, {"boosting_type": "dart"}, "'dart' is not supported.*not reproducible"),
        (3, {"boosting": "dart"}, "'dart' is not supported"),
    ],
)
def test_binary_objective_parameters_that_cannot_apply_are_refused(
    n_classes, setting, match
):
    X, y = dataset(n_classes, n_samples=300)
    with pytest.raises(ValueError, match=match):
        FocalLGBMClassifier(n_estimators=2, **setting, **QUIET).fit(X, y)


def test_callables_carry_their_call_signature_for_lightgbms_wrappers():
    # LightGBM's scikit-learn wrappers read the signature at every call: it is
    # precomputed, and rebuilt (not saved) when the callable is unpickled.
    import inspect

    for callable_ in (FocalObjective(gamma=1.0), FocalMetric(gamma=1.0)):
        expected = inspect.signature(type(callable_).__call__)
        expected = expected.replace(parameters=list(expected.parameters.values())[1:])
        assert callable_.__signature__ == expected
        assert "__signature__" not in callable_.__getstate__()
        loaded = pickle.loads(pickle.dumps(callable_))
        assert inspect.signature(loaded) == expected
