"""DaskFocalLGBMClassifier on a two-worker LocalCluster on loopback, started here."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import roc_auc_score

from skfocal.lightgbm import DaskFocalLGBMClassifier, FocalLGBMClassifier
from skfocal.lightgbm._dask import _DaskWorkerClassifier

da = pytest.importorskip("dask.array", reason="dask is in the test extra")
distributed = pytest.importorskip(
    "distributed", reason="distributed is in the test extra"
)

PARAMS = {"gamma": 2.0, "n_estimators": 40, "verbose": -1}


def chunked(n_classes):
    X, y = make_classification(
        n_samples=4000,
        n_features=10,
        n_informative=6,
        n_classes=n_classes,
        weights=[0.85] if n_classes == 2 else None,
        random_state=0,
    )
    return X, y, da.from_array(X, chunks=(2000, 10)), da.from_array(y, chunks=2000)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_distributed_model_agrees_with_single_machine(client, n_classes, class_weight):
    X, y, dX, dy = chunked(n_classes)
    local = FocalLGBMClassifier(class_weight=class_weight, **PARAMS).fit(X, y)
    dask_model = DaskFocalLGBMClassifier(class_weight=class_weight, **PARAMS)
    dask_model.fit(dX, dy)
    # The initial score comes from the global class totals: exactly the local one.
    np.testing.assert_allclose(dask_model.init_score_, local.init_score_, atol=1e-12)
    proba = dask_model.predict_proba(dX)
    assert isinstance(proba, da.Array)
    proba = proba.compute()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # Data-parallel LightGBM bins and splits on per-worker histograms, so the trees
    # differ slightly from one machine's (documented tolerance: mean |dp| < 0.03,
    # labels agree on >= 97 % of rows, one-vs-rest AUC within 0.01).
    expected = local.predict_proba(X)
    assert np.abs(proba - expected).mean() < 0.03
    assert (dask_model.predict(dX).compute() == local.predict(X)).mean() >= 0.97
    auc = (
        roc_auc_score(y, proba, multi_class="ovr")
        if n_classes > 2
        else (roc_auc_score(y, proba[:, 1]))
    )
    local_auc = (
        roc_auc_score(y, expected, multi_class="ovr")
        if n_classes > 2
        else (roc_auc_score(y, expected[:, 1]))
    )
    assert auc == pytest.approx(local_auc, abs=0.01)
    assert dask_model.class_weight == class_weight  # restored after fit


def test_to_local_and_pickle(client):
    X, _, dX, dy = chunked(2)
    dask_model = DaskFocalLGBMClassifier(**PARAMS).fit(dX, dy)
    local = dask_model.to_local()
    assert type(local) is FocalLGBMClassifier
    np.testing.assert_allclose(local.predict_proba(X), dask_model.predict_proba(dX))
    restored = pickle.loads(pickle.dumps(dask_model))
    np.testing.assert_allclose(
        restored.to_local().predict_proba(X), local.predict_proba(X)
    )
    # The booster holds the initial score once: alone it is the model.
    raw = dask_model.predict(dX, raw_score=True).compute()
    np.testing.assert_array_equal(dask_model.booster_.predict(X, raw_score=True), raw)
    np.testing.assert_array_equal(local.decision_function(X), raw)


def test_dask_dataframe_input_with_string_labels(client):
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    dd = pytest.importorskip("dask.dataframe", reason="dask is in the test extra")
    X, y, _, _ = chunked(2)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    labels = pd.Series(np.where(y == 1, "yes", "no"), name="label")
    dX, dy = dd.from_pandas(frame, npartitions=2), dd.from_pandas(labels, npartitions=2)
    model = DaskFocalLGBMClassifier(class_weight="balanced", **PARAMS).fit(dX, dy)
    np.testing.assert_array_equal(model.classes_, ["no", "yes"])
    assert set(np.unique(model.predict(dX).compute())) <= {"no", "yes"}


def test_single_class_and_init_score_are_refused(client):
    _, _, dX, dy = chunked(2)
    with pytest.raises(ValueError, match="only one class"):
        DaskFocalLGBMClassifier(**PARAMS).fit(dX, dy * 0)
    with pytest.raises(ValueError, match="init_score"):
        DaskFocalLGBMClassifier(**PARAMS).fit(dX, dy, init_score=dy * 0.0)


def test_worker_without_every_class_says_so():
    worker = type(
        "_Worker",
        (_DaskWorkerClassifier,),
        {"global_classes": np.array([0, 1, 2])},
    )
    X = np.random.default_rng(0).standard_normal((50, 3))
    with pytest.raises(ValueError, match="every worker must see every class"):
        worker(verbose=-1).fit(X, np.arange(50) % 2)


def test_weighted_balanced_initial_score_matches_single_machine(client):
    # "balanced" comes from row counts on both (LightGBM's rule), times the weights.
    X, y, dX, dy = chunked(2)
    sw = np.random.default_rng(3).uniform(0.2, 3.0, len(y))
    dsw = da.from_array(sw, chunks=2000)
    params = {**PARAMS, "class_weight": "balanced", "n_estimators": 5}
    local = FocalLGBMClassifier(**params).fit(X, y, sample_weight=sw)
    dask_model = DaskFocalLGBMClassifier(**params).fit(dX, dy, sample_weight=dsw)
    np.testing.assert_allclose(dask_model.init_score_, local.init_score_, atol=1e-12)


def test_is_unbalance_weighs_the_classes_by_global_row_counts(client):
    """Each worker holds 10 % and 20 % positives; LightGBM's ratio is global."""
    X, y, dX, dy = chunked(2)
    order = np.argsort(y, kind="stable")  # rows sorted by class: skewed chunks
    mixed = np.r_[order[:1800], order[-200:], order[1800:-200]]
    X, y = X[mixed], y[mixed]
    dX, dy = da.from_array(X, chunks=(2000, 10)), da.from_array(y, chunks=2000)
    params = {**PARAMS, "is_unbalance": True, "n_estimators": 20}
    local = FocalLGBMClassifier(**params).fit(X, y)
    dask_model = DaskFocalLGBMClassifier(**params).fit(dX, dy)
    np.testing.assert_allclose(dask_model.init_score_, local.init_score_, atol=1e-12)
    worker_alpha = dask_model.to_local().objective_.alpha
    np.testing.assert_allclose(worker_alpha, local.objective_.alpha)
    assert worker_alpha[1] == pytest.approx((y == 0).sum() / (y == 1).sum())


@pytest.mark.parametrize(
    "case, match",
    [
        ("eval label", r"eval_set\[0\] holds labels not seen in training: \[7\]"),
        ("eval features", r"eval_set\[0\] has 4 features"),
        ("eval weight", r"eval_sample_weight\[0\] contains NaN"),
        ("NaN label", "Input y contains NaN"),
        ("continuous", "Unknown label type: continuous"),
        ("dart", "'dart' is not supported"),
    ],
)
def test_the_local_fits_checks_run_before_the_workers_train(client, case, match):
    # A Dask fit refuses what the local fit refuses, before any worker trains.
    X, y, dX, dy = chunked(2)
    fit, params = {}, dict(PARAMS)
    if case == "eval label":
        fit["eval_set"] = [(dX, da.where(dy == 1, 7, dy))]
    elif case == "eval features":
        fit["eval_set"] = [(dX[:, :4], dy)]
    elif case == "eval weight":
        weight = np.where(np.arange(len(y)) == 5, np.nan, 1.0)
        fit["eval_set"] = [(dX, dy)]
        fit["eval_sample_weight"] = [da.from_array(weight, chunks=2000)]
    elif case == "NaN label":
        dy = da.where(da.arange(len(y), chunks=2000) == 5, np.nan, dy)
    elif case == "continuous":
        dy = dy + 0.5 * da.from_array(X[:, 0], chunks=2000)
    else:
        params["boosting_type"] = "dart"
    with pytest.raises(ValueError, match=match):
        DaskFocalLGBMClassifier(**params).fit(dX, dy, **fit)


def test_predictions_refuse_the_training_columns_in_another_order(client):
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    dd = pytest.importorskip("dask.dataframe", reason="dask is in the test extra")
    X, y, _, _ = chunked(2)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    dX = dd.from_pandas(frame, npartitions=2)
    dy = dd.from_pandas(pd.Series(y, name="label"), npartitions=2)
    model = DaskFocalLGBMClassifier(**{**PARAMS, "n_estimators": 5}).fit(dX, dy)
    shuffled = dX[list(frame.columns[::-1])]
    for method in ("predict", "predict_proba"):
        with pytest.raises(ValueError, match="the same names in another order"):
            getattr(model, method)(shuffled).compute()
    with pytest.raises(ValueError, match=r"X of eval_set\[0\].*another order"):
        DaskFocalLGBMClassifier(**PARAMS).fit(dX, dy, eval_set=[(shuffled, dy)])


@pytest.mark.parametrize(
    "setting",
    [
        {},
        {"scale_pos_weight": 3.0},
        {"is_unbalance": True},
        {"boost_from_average": False},
        {"class_weight": {0: 2.0, 1: 1.0}},
    ],
)
def test_gamma_zero_equals_lightgbms_own_classifier_on_dask(client, setting):
    # One partition: one worker trains, as deterministic as on one machine
    # (on two, LightGBM's bins depend on which worker got which rows).
    import lightgbm as lgb

    X, y, _, _ = chunked(2)
    dX, dy = da.from_array(X, chunks=X.shape), da.from_array(y, chunks=len(y))
    params = {"n_estimators": 10, "verbose": -1, "deterministic": True, **setting}
    ours = DaskFocalLGBMClassifier(gamma=0.0, **params).fit(dX, dy)
    theirs = lgb.DaskLGBMClassifier(**params).fit(dX, dy)
    np.testing.assert_allclose(
        ours.predict_proba(dX).compute(),
        theirs.predict_proba(dX).compute(),
        rtol=1e-6,
        atol=1e-9,
    )
