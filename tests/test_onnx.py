"""ONNX export: onnxruntime reproduces predict and predict_proba of every model.

Models are fitted in float64 and compared on float32-rounded input, the input
type of the exported graph.
"""

import builtins

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from skfocal import FocalLossClassifier, FocalLossClassifierCV
from skfocal.ensemble import FocalHistGradientBoostingClassifier
from skfocal.lightgbm import FocalLGBMClassifier

from .conftest import QUIET, classification_data

ort = pytest.importorskip("onnxruntime", reason="the onnx extra is in the test extra")
skl2onnx = pytest.importorskip("skl2onnx", reason="the onnx extra is in the test extra")
from skfocal.onnx import register, to_onnx  # noqa: E402

NO_ZIPMAP = {"zipmap": False}


def run(onx, inputs):
    session = ort.InferenceSession(onx.SerializeToString())
    if not isinstance(inputs, dict):
        inputs = {session.get_inputs()[0].name: inputs}
    return session.run(None, inputs)


def data32(n_classes, n_samples=2000):
    X, y = classification_data(n_classes, n_samples, n_features=10, weights=None)
    return X.astype(np.float32).astype(np.float64), y


def assert_reproduces(model, X, label, proba):
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=1e-4)
    assert np.mean(label == model.predict(X)) >= 0.999


def xgboost_classifier(**params):
    pytest.importorskip("xgboost", reason="xgboost is in the test extra")
    from skfocal.xgboost import FocalXGBClassifier

    return FocalXGBClassifier(**params)


MODELS = {
    "linear": lambda gamma, proba: FocalLossClassifier(gamma=gamma, proba=proba),
    # Its gamma_ is the one gamma it is given: the posterior of that gamma.
    "linear_cv": lambda gamma, proba: FocalLossClassifierCV(
        gammas=[gamma], Cs=3, cv=3, proba=proba
    ),
    "lightgbm": lambda gamma, proba: FocalLGBMClassifier(
        gamma=gamma, proba=proba, n_estimators=40, **QUIET
    ),
    "xgboost": lambda gamma, proba: xgboost_classifier(
        gamma=gamma, proba=proba, n_estimators=40, max_depth=4
    ),
    "hgb": lambda gamma, proba: FocalHistGradientBoostingClassifier(
        gamma=gamma, proba=proba, max_iter=40
    ),
}


@pytest.mark.parametrize("kind", MODELS)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("gamma", [0.0, 2.0])
@pytest.mark.parametrize("proba", ["posterior", "model"])
def test_onnxruntime_reproduces_the_model(kind, n_classes, gamma, proba):
    X, y = data32(n_classes)
    model = MODELS[kind](gamma, proba).fit(X, y)
    label, probabilities = run(
        to_onnx(model, X[:1].astype("f4"), options=NO_ZIPMAP), X.astype("f4")
    )
    assert_reproduces(model, X, label, probabilities)


@pytest.mark.parametrize("kind", MODELS)
def test_weighted_models_with_string_labels(kind):
    X, y = data32(3)
    names = np.array(["cat", "dog", "eel"])[y]
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    model = MODELS[kind](2.0, "posterior").set_params(class_weight="balanced")
    model.fit(X, names, sample_weight=sw)
    label, proba = run(
        to_onnx(model, X[:1].astype("f4"), options=NO_ZIPMAP), X.astype("f4")
    )
    assert label.dtype.kind in "OU"
    assert_reproduces(model, X, label, proba)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_posterior_holds_at_extreme_raw_scores(n_classes):
    X, y = data32(n_classes, 500)
    model = FocalLossClassifier(gamma=3.0).fit(X, y)
    model.coef_ *= 1000.0  # raw scores in the thousands
    raw = model.decision_function(X)
    assert np.abs(raw).max() > 1000
    label, proba = run(
        to_onnx(model, X[:1].astype("f4"), options=NO_ZIPMAP), X.astype("f4")
    )
    assert np.all(np.isfinite(proba))
    assert_reproduces(model, X, label, proba)


def test_zipmap_gives_skl2onnx_classifier_outputs():
    X, y = data32(3, 300)
    model = MODELS["linear"](2.0, "posterior").fit(X, y)
    onx = to_onnx(model, X[:1].astype("f4"))
    assert [o.name for o in onx.graph.output] == ["output_label", "output_probability"]
    label, maps = run(onx, X.astype("f4"))
    proba = np.array([[row[c] for c in model.classes_] for row in maps])
    assert_reproduces(model, X, label, proba)


@pytest.mark.parametrize("kind", MODELS)
def test_pipeline_with_scaler(kind):
    X, y = data32(2)
    pipe = make_pipeline(StandardScaler(), MODELS[kind](2.0, "posterior")).fit(X, y)
    # XGBoost and HGB split near training values, which a float32 scaler
    # moves across some splits; float64 input scales as scikit-learn does.
    dtype = np.float64 if kind in ("xgboost", "hgb") else np.float32
    label, proba = run(
        to_onnx(pipe, X[:1].astype(dtype), options=NO_ZIPMAP), X.astype(dtype)
    )
    assert_reproduces(pipe, X, label, proba)


def test_column_transformer_with_categorical_columns_and_skl2onnx_itself():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    n = 3000
    frame = pd.DataFrame(
        {
            "carrier": rng.choice(["AA", "B6", "DL", "UA"], n),
            "origin": rng.choice(["EWR", "JFK", "LGA"], n),
            "distance": rng.gamma(2.0, 500.0, n).astype(np.float32),
            "hour": rng.integers(5, 23, n).astype(np.float32),
        }
    )
    risk = (frame.carrier == "B6") * 1.5 + (frame.hour > 18) + frame.distance / 2000
    y = (rng.random(n) < 1 / (1 + np.exp(3 - risk))).astype(int)
    encode = ColumnTransformer(
        [
            ("categories", OneHotEncoder(), ["carrier", "origin"]),
            ("numbers", "passthrough", ["distance", "hour"]),
        ]
    )
    pipe = make_pipeline(encode, FocalLGBMClassifier(gamma=2.0, **QUIET)).fit(frame, y)
    inputs = {
        c: frame[[c]]
        .to_numpy()
        .astype(np.float32 if frame[c].dtype.kind == "f" else str)
        for c in frame.columns
    }
    for onx in (
        to_onnx(pipe, frame[:1], options=NO_ZIPMAP),
        skl2onnx.to_onnx(  # registered converters serve skl2onnx's own calls
            pipe, frame[:1], options=NO_ZIPMAP, target_opset={"": 18, "ai.onnx.ml": 3}
        ),
    ):
        label, proba = run(onx, inputs)
        assert_reproduces(pipe, frame, label, proba)


def test_register_is_idempotent():
    register()
    register()
    X, y = data32(2, 200)
    model = FocalLossClassifier().fit(X, y)
    label, proba = run(
        to_onnx(model, X[:1].astype("f4"), options=NO_ZIPMAP), X.astype("f4")
    )
    assert_reproduces(model, X, label, proba)


@pytest.mark.parametrize(
    "model, error, match",
    [
        (FocalLossClassifier(), NotFittedError, "not fitted"),
        (FocalLGBMClassifier(linear_tree=True, **QUIET), ValueError, "linear_tree"),
    ],
)
def test_unsupported_models_get_clear_errors(model, error, match):
    X, y = data32(2, 300)
    if error is not NotFittedError:
        model.fit(X, y)
    with pytest.raises(error, match=match):
        to_onnx(make_pipeline(StandardScaler().fit(X), model), X[:1].astype("f4"))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"booster": "dart", "rate_drop": 0.2},  # each tree scaled by its weight
        {"num_parallel_tree": 3, "subsample": 0.8},  # forests in each round
    ],
    ids=["gbtree", "dart", "forests"],
)
def test_xgboost_trees_give_xgboost_predictions_on_many_rows(n_classes, params):
    # float32 input, NaN (XGBoost's missing value) in every column: the same
    # branches as XGBoost, so the same labels and probabilities to float32 sums.
    X, y = classification_data(n_classes, 25_000, n_features=10, weights=None)
    X = X.astype(np.float32)
    X[np.random.default_rng(0).random(X.shape) < 0.1] = np.nan
    model = xgboost_classifier(n_estimators=60, max_depth=6, **params)
    model.fit(X[:5000], y[:5000])
    X_test = X[5000:]
    label, proba = run(to_onnx(model, X[:1], options=NO_ZIPMAP), X_test)
    np.testing.assert_allclose(proba, model.predict_proba(X_test), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, model.predict(X_test))


def test_early_stopped_xgboost_exports_the_trees_predict_uses():
    X, y = data32(3, 3000)
    model = xgboost_classifier(
        n_estimators=300, learning_rate=0.5, early_stopping_rounds=3, max_depth=6
    ).fit(X[:1500], y[:1500], eval_set=[(X[1500:], y[1500:])], verbose=False)
    assert model.best_iteration + 1 < model.get_booster().num_boosted_rounds()
    label, proba = run(
        to_onnx(model, X[:1].astype("f4"), options=NO_ZIPMAP), X.astype("f4")
    )
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=1e-5)
    np.testing.assert_array_equal(label, model.predict(X))


def test_xgboost_intercept_is_the_margin_xgboost_computes():
    # binary:logistic keeps base_score as a float32 probability, here near 1:
    # XGBoost's float32 margin of it is off the exact logit by ~1e-4, which
    # the small class's probability shows.
    X, y = classification_data(2, 20_000, weights=[0.0005], flip_y=0)
    X = X.astype(np.float32)
    model = xgboost_classifier(gamma=0.0, proba="model", n_estimators=5).fit(X, y)
    assert model.init_score_ > 7
    label, proba = run(to_onnx(model, X[:1], options=NO_ZIPMAP), X)
    np.testing.assert_allclose(proba, model.predict_proba(X), rtol=1e-5, atol=0)
    np.testing.assert_array_equal(label, model.predict(X))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"booster": "gblinear"}, "booster='gblinear'"),
        ({"multi_strategy": "multi_output_tree"}, "vector-leaf trees"),
        ({"missing": 0.0}, "missing=0.0"),
    ],
)
def test_unconvertible_xgboost_models_get_clear_errors(params, match):
    X, y = data32(3, 300)
    model = xgboost_classifier(n_estimators=3, **params).fit(X, y)
    with pytest.raises(ValueError, match=match):
        to_onnx(make_pipeline(StandardScaler().fit(X), model), X[:1].astype("f4"))


def test_xgboost_categorical_splits_get_a_clear_error():
    pd = pytest.importorskip("pandas")
    X, y = data32(2, 300)
    frame = pd.DataFrame({"x": X[:, 0], "c": pd.Categorical(np.array(["a", "b"])[y])})
    model = xgboost_classifier(n_estimators=3, enable_categorical=True).fit(frame, y)
    with pytest.raises(ValueError, match="categorical splits"):
        to_onnx(model, frame[:1])


@pytest.mark.parametrize("package", ["lightgbm", "xgboost"])
def test_skfocal_models_without_a_converter_are_named(package):
    pytest.importorskip(package, reason=f"{package} is in the test extra")
    pytest.importorskip("distributed", reason="the dask extra is in the test extra")
    if package == "xgboost":
        from skfocal.xgboost import DaskFocalXGBClassifier as model
    else:
        from skfocal.lightgbm import DaskFocalLGBMClassifier as model

    X = data32(2, 10)[0]
    match = (
        f"cannot convert {model.__name__}: it converts FocalLossClassifier, "
        "FocalLossClassifierCV, FocalLGBMClassifier, "
        "FocalHistGradientBoostingClassifier, FocalXGBClassifier"
    )
    for part in (model(), make_pipeline(StandardScaler().fit(X), model())):
        with pytest.raises(TypeError, match=match):
            to_onnx(part, X[:1].astype("f4"))


def with_nan(X, seed=0):
    X = X.copy()
    X[np.random.default_rng(seed).random(X.shape) < 0.1] = np.nan
    return X


@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_hgb_trees_give_hgb_predictions(n_classes, early_stopping):
    # float32 input with NaN in every column: scikit-learn's branches (float64
    # thresholds, missing_go_to_left), so its labels, and its probabilities to
    # the float32 sum of the leaves onnxruntime returns.
    X, y = classification_data(n_classes, 4000, n_features=10, weights=None)
    X = with_nan(X.astype(np.float32))
    model = FocalHistGradientBoostingClassifier(
        max_iter=200 if early_stopping else 20,
        learning_rate=0.3 if early_stopping else 0.1,
        early_stopping=early_stopping,
        n_iter_no_change=3,
        random_state=0,
    ).fit(X[:2000], y[:2000])
    if early_stopping:
        assert model.n_iter_ < 200
    X_test = X[2000:]
    label, proba = run(to_onnx(model, X[:1], options=NO_ZIPMAP), X_test)
    np.testing.assert_allclose(proba, model.predict_proba(X_test), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, model.predict(X_test))


def categorical_data(n_classes, n=4000):
    """Two integer-coded categorical columns around a numeric one."""
    rng = np.random.default_rng(0)
    few, many = rng.integers(0, 12, n), rng.integers(0, 40, n)
    z = rng.normal(size=n)
    score = np.isin(few, [1, 4, 7, 8]) * 1.5 + z + (many % 5 == 0)
    edges = np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1])
    y = np.digitize(score + rng.normal(scale=0.5, size=n), edges)
    return with_nan(np.c_[few, z, many].astype(np.float32)), y


@pytest.mark.parametrize("n_classes", [2, 3])
def test_hgb_categorical_splits(n_classes):
    X, y = categorical_data(n_classes)
    model = FocalHistGradientBoostingClassifier(
        max_iter=20, categorical_features=[0, 2]
    ).fit(X[:3000], y[:3000])
    assert any(p.nodes["is_categorical"].any() for it in model._predictors for p in it)
    X_test = X[2000:].copy()
    # Categories unseen in training go the missing side, as in scikit-learn.
    X_test[:100, 0] = 12.0  # unknown
    X_test[100:200, 0] = 3.5  # not a category
    X_test[200:300, 2] = -1.0
    X_test[300:400, 2] = 1e6
    label, proba = run(to_onnx(model, X[:1], options=NO_ZIPMAP), X_test)
    np.testing.assert_allclose(proba, model.predict_proba(X_test), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, model.predict(X_test))


def test_hgb_after_an_ordinal_encoder_in_a_column_transformer():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    n = 2000
    frame = pd.DataFrame(
        {
            "carrier": rng.choice(["AA", "B6", "DL", "UA"], n),
            "distance": rng.gamma(2.0, 500.0, n).astype(np.float32),
        }
    )
    risk = (frame.carrier == "B6") * 1.5 + frame.distance / 1000
    y = (rng.random(n) < 1 / (1 + np.exp(2 - risk))).astype(int)
    encode = ColumnTransformer(
        [
            ("categories", OrdinalEncoder(), ["carrier"]),
            ("numbers", "passthrough", ["distance"]),
        ]
    )
    model = FocalHistGradientBoostingClassifier(max_iter=20, categorical_features=[0])
    pipe = make_pipeline(encode, model).fit(frame, y)
    inputs = {
        "carrier": frame[["carrier"]].to_numpy().astype(str),
        "distance": frame[["distance"]].to_numpy(),
    }
    label, proba = run(to_onnx(pipe, frame[:1], options=NO_ZIPMAP), inputs)
    np.testing.assert_allclose(proba, pipe.predict_proba(frame), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, pipe.predict(frame))


def test_hgb_on_pandas_string_categories_gets_a_clear_error():
    pd = pytest.importorskip("pandas")
    X, y = data32(2, 300)
    frame = pd.DataFrame({"x": X[:, 0], "c": pd.Categorical(np.array(["a", "b"])[y])})
    model = FocalHistGradientBoostingClassifier(max_iter=3).fit(frame, y)
    with pytest.raises(ValueError, match="object categories"):
        to_onnx(model, frame[:1])


def test_missing_converter_packages_are_named(monkeypatch):
    real_import = builtins.__import__

    def no_onnxmltools(name, *args, **kwargs):
        if name == "onnxmltools":
            raise ImportError("No module named 'onnxmltools'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxmltools)
    X, y = data32(2, 200)
    with pytest.raises(ImportError, match=r"skfocal\[onnx\]"):
        to_onnx(FocalLossClassifier().fit(X, y), X[:1])
