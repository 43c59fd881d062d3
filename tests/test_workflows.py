"""Workflows around the fitted classifiers, as a user runs them.

Cross-validation with a rare class, DataFrames whose columns come in another
order at predict time, XGBoost's own save_model/load_model, skops (scikit-learn's
secure persistence), and what LightGBM cannot do with a callable objective.
"""

import warnings

import lightgbm as lgb
import numpy as np
import pytest
from sklearn.model_selection import KFold, cross_val_score

from skfocal import FocalLossClassifier, FocalLossClassifierCV
from skfocal.catboost import FocalCatBoostClassifier
from skfocal.ensemble import FocalHistGradientBoostingClassifier
from skfocal.lightgbm import FocalLGBMClassifier

from .conftest import QUIET, classification_data

xgboost = pytest.importorskip("xgboost", reason="xgboost is in the test extra")
from skfocal.xgboost import FocalXGBClassifier  # noqa: E402

SMALL = {
    "FocalLossClassifier": lambda: FocalLossClassifier(gamma=1.0),
    "FocalLossClassifierCV": lambda: FocalLossClassifierCV([0.0, 1.0], [1.0], cv=2),
    "FocalLGBMClassifier": lambda: FocalLGBMClassifier(n_estimators=10, **QUIET),
    "FocalXGBClassifier": lambda: FocalXGBClassifier(n_estimators=10, max_depth=3),
    "FocalHistGradientBoostingClassifier": lambda: FocalHistGradientBoostingClassifier(
        max_iter=10
    ),
    "FocalCatBoostClassifier": lambda: FocalCatBoostClassifier(iterations=10),
}


# ------------------------------------------------------------ cross-validation
@pytest.mark.parametrize("name", sorted(SMALL))
def test_cross_validation_with_a_rare_class_gives_a_score_per_fold(name):
    # Class 2 has two rows, both in the last fold: its training part lacks them.
    X, y = classification_data(2, 200, n_features=6, n_informative=3)
    y = y.copy()
    y[-2:] = 2
    scores = cross_val_score(SMALL[name](), X, y, cv=KFold(4))
    assert np.all(np.isfinite(scores))
    # The rows of the unseen class count as wrong, as in LogisticRegression.
    model = SMALL[name]().fit(X[:150], y[:150])
    expected = np.mean(model.predict(X[150:]) == y[150:])
    assert scores[-1] == pytest.approx(expected)
    assert scores[-1] <= 48 / 50


# ------------------------------------------------------- column order at predict
@pytest.fixture(scope="module")
def frame_and_model():
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    X, y = classification_data(2, 400, n_features=5, n_informative=3)
    frame = pd.DataFrame(X, columns=list("abcde"))
    return frame, y, FocalLGBMClassifier(n_estimators=20, **QUIET).fit(frame, y)


@pytest.mark.parametrize(
    "method, kwargs",
    [
        ("predict_proba", {}),
        ("predict", {}),
        ("decision_function", {}),
        ("predict_proba", {"pred_contrib": True}),
        ("predict", {"pred_leaf": True}),
    ],
)
def test_lightgbm_refuses_the_training_columns_in_another_order(
    frame_and_model, method, kwargs
):
    frame, _, model = frame_and_model
    shuffled = frame[list("edcba")]
    with pytest.raises(ValueError, match="the same names in another order"):
        getattr(model, method)(shuffled, **kwargs)
    renamed = frame.rename(columns={"a": "z"})
    with pytest.raises(ValueError, match=r"unseen at fit: \['z'\]; missing: \['a'\]"):
        getattr(model, method)(renamed, **kwargs)
    # The training columns, in their order, predict as at fit.
    expected = getattr(model, method)(frame, **kwargs)
    np.testing.assert_array_equal(
        getattr(model, method)(shuffled[model.feature_names_in_], **kwargs), expected
    )


def test_lightgbm_fitted_on_arrays_warns_on_a_frame(frame_and_model):
    frame, y, _ = frame_and_model
    model = FocalLGBMClassifier(n_estimators=5, **QUIET).fit(frame.to_numpy(), y)
    with pytest.warns(UserWarning, match="differ in having feature names"):
        model.predict_proba(frame)


# --------------------------------------------------- XGBoost's save_model
@pytest.mark.parametrize("suffix", [".json", ".ubj"])
@pytest.mark.parametrize(
    "labels, alpha",
    [
        (np.array([3, 7]), 0.25),
        (np.array(["cat", "dog", "eel"]), [0.2, 0.3, 0.5]),
        (np.array(["cat", "dog", "eel"], dtype=object), None),
        (np.array([-1.0, 2.0, 4.0]), None),
        (np.array([False, True]), None),
    ],
    ids=["int", "str", "object", "float", "bool"],
)
def test_xgboost_save_model_then_load_model_predicts_as_the_model(
    labels, alpha, suffix, tmp_path
):
    X, y = classification_data(len(labels), 400, n_features=6, n_informative=4)
    model = FocalXGBClassifier(gamma=1.5, alpha=alpha, proba="model", n_estimators=10)
    model.fit(X, labels[y])
    path = tmp_path / f"model{suffix}"
    model.save_model(path)
    assert model.get_booster().attr("skfocal") is None  # removed after the save
    loaded = FocalXGBClassifier()
    loaded.load_model(path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert loaded.predict(X).dtype == model.predict(X).dtype
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(
        loaded.decision_function(X), model.decision_function(X)
    )
    assert loaded.loss_.gamma == 1.5 and loaded.proba_ == "model"
    np.testing.assert_array_equal(loaded.init_score_, model.init_score_)
    assert loaded.score(X, labels[y]) == model.score(X, labels[y])
    # Plain XGBoost reads the file: its margins are the model's.
    plain = xgboost.Booster(model_file=str(path))
    np.testing.assert_allclose(
        plain.predict(xgboost.DMatrix(X), output_margin=True),
        model.decision_function(X),
        rtol=1e-6,
    )
    # A loaded model refits (load_model sets no base_score or objective of its own).
    loaded.fit(X, labels[y])
    np.testing.assert_allclose(loaded.init_score_, FocalXGBClassifier().fit(
        X, labels[y]).init_score_)  # fmt: skip


def test_xgboost_load_model_of_another_estimators_file_says_so(tmp_path):
    X, y = classification_data(2, 200, n_features=6, n_informative=4)
    path = tmp_path / "plain.json"
    xgboost.XGBClassifier(n_estimators=3).fit(X, y).save_model(path)
    with pytest.raises(ValueError, match=r"not saved by a focal estimator.*pickle"):
        FocalXGBClassifier().load_model(path)


def test_xgboost_save_model_refuses_labels_json_cannot_hold(tmp_path):
    # fit takes strings and numbers, which JSON holds; should another label type
    # get through, save_model refuses it rather than write labels that come
    # back different.
    X, y = classification_data(2, 200, n_features=6, n_informative=4)
    model = FocalXGBClassifier(n_estimators=3).fit(X, y)
    model._labels = np.array([frozenset({1}), frozenset({2})], dtype=object)
    with pytest.raises(ValueError, match="pickle or joblib"):
        model.save_model(tmp_path / "model.json")


# -------------------------------------------------------------------- skops
SKOPS_PUBLIC_TYPES = {
    "FocalLossClassifier": [
        "skfocal.FocalLoss",
        "skfocal.linear_model.FocalLossClassifier",
    ],
    "FocalLossClassifierCV": [
        "skfocal.FocalLoss",
        "skfocal.linear_model.FocalLossClassifierCV",
    ],
    "FocalLGBMClassifier": [
        "collections.OrderedDict",
        "lightgbm.basic.Booster",
        "skfocal.FocalLoss",
        "skfocal.lightgbm.FocalLGBMClassifier",
        "skfocal.lightgbm.FocalObjective",
    ],
    "FocalXGBClassifier": [
        "skfocal.FocalLoss",
        "skfocal.xgboost.FocalXGBClassifier",
        "xgboost.core.Booster",
    ],
    # scikit-learn's own HistGradientBoostingClassifier needs its trees' type
    # trusted too (private, scikit-learn's).
    "FocalHistGradientBoostingClassifier": [
        "skfocal.FocalLoss",
        "skfocal.ensemble.FocalHistGradientBoostingClassifier",
        "skfocal.ensemble.HistFocalLoss",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    ],
    # The model holds its objective and metric in CatBoost's parameters.
    "FocalCatBoostClassifier": [
        "catboost.core.CatBoost",
        "skfocal.FocalLoss",
        "skfocal.catboost.FocalCatBoostClassifier",
        "skfocal.catboost.FocalMetric",
        "skfocal.catboost.FocalObjective",
    ],
}


@pytest.mark.parametrize("name", sorted(SKOPS_PUBLIC_TYPES))
def test_skops_loads_every_classifier_trusting_public_types_only(name, tmp_path):
    sio = pytest.importorskip("skops.io", reason="skops is in the test extra")
    X, y = classification_data(3, 300, n_features=6, n_informative=4)
    model = SMALL[name]().fit(X, np.array(["a", "b", "c"])[y])
    path = tmp_path / "model.skops"
    sio.dump(model, path)
    untrusted = sorted(sio.get_untrusted_types(file=path))
    if name == "FocalHistGradientBoostingClassifier":
        # Older skops (0.11) also asks to trust scikit-learn's HGB internals (its
        # bin mapper, the loss link and its interval): scikit-learn's types.
        extra = sorted(set(untrusted) - set(SKOPS_PUBLIC_TYPES[name]))
        assert all(entry.startswith("sklearn.") for entry in extra), extra
        untrusted = sorted(set(untrusted) - set(extra))
    assert untrusted == SKOPS_PUBLIC_TYPES[name]
    loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    # The loaded model trains on: the callables rebuild their caches.
    loaded.fit(X, y)
    np.testing.assert_allclose(
        loaded.predict_proba(X), SMALL[name]().fit(X, y).predict_proba(X)
    )


# ----------------------------------------------------- LightGBM's refit
def test_lightgbm_refit_fails_for_callable_objectives_as_the_docs_say():
    # LightGBM refits leaves with its own objective, which a callable one lacks;
    # docs/deploying.rst says so and names init_model instead. If LightGBM
    # learns it, this fails and the page must change.
    X, y = classification_data(2, 300, n_features=6, n_informative=4)
    model = FocalLGBMClassifier(n_estimators=5, **QUIET).fit(X, y)
    with pytest.raises(lgb.basic.LightGBMError, match="null objective function"):
        model.booster_.refit(X, y)
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "deploying.rst").read_text()
    assert "refit" in page and "init_model" in page


def test_lightgbm_before_4_7_arrays_have_no_feature_names(frame_and_model, monkeypatch):
    # LightGBM < 4.7 names array columns Column_0, ... and keeps no flag that they
    # were unnamed: such a model must neither refuse a frame nor have
    # scikit-learn warn on every array it predicts. LightGBM 4.6, emulated:
    monkeypatch.setattr(
        FocalLGBMClassifier,
        "feature_names_in_",
        property(lambda self: np.array(self.feature_name_)),
    )
    frame, y, _ = frame_and_model
    model = FocalLGBMClassifier(n_estimators=5, **QUIET).fit(frame.to_numpy(), y)
    model.__dict__.pop("_fitted_with_feature_names", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = model.predict_proba(frame.to_numpy())
    with pytest.warns(UserWarning, match="differ in having feature names"):
        np.testing.assert_array_equal(model.predict_proba(frame), expected)
