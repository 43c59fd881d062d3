"""DaskFocalXGBClassifier on a two-worker LocalCluster that the test starts."""

import numpy as np
import pytest

from .conftest import classification_data

pytest.importorskip("xgboost", reason="xgboost is in the test extra")
distributed = pytest.importorskip("distributed", reason="dask is in the test extra")
da = pytest.importorskip("dask.array")
from skfocal.xgboost import DaskFocalXGBClassifier, FocalXGBClassifier  # noqa: E402

PARAMS = {"gamma": 2.0, "n_estimators": 30, "max_depth": 3}


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_distributed_model_agrees_with_single_machine(client, n_classes, class_weight):
    X, y = classification_data(n_classes, 4000, n_features=10, weights=None)
    names = np.array(["a", "b", "c"])[y]
    dX = da.from_array(X, chunks=(2000, 10))
    dy = da.from_array(names, chunks=2000)
    local = FocalXGBClassifier(class_weight=class_weight, **PARAMS).fit(X, names)
    model = DaskFocalXGBClassifier(class_weight=class_weight, **PARAMS).fit(dX, dy)
    # Classes and the initial score come from the global totals: the local ones.
    np.testing.assert_array_equal(model.classes_, local.classes_)
    np.testing.assert_allclose(model.init_score_, local.init_score_, atol=1e-12)
    proba = model.predict_proba(dX)
    assert isinstance(proba, da.Array)
    proba = proba.compute()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # Distributed histograms differ a little from one machine's.
    assert np.abs(proba - local.predict_proba(X)).mean() < 0.03
    assert (model.predict(dX).compute() == local.predict(X)).mean() >= 0.97
    # The booster keeps the initial score: to_local is the same model.
    np.testing.assert_allclose(model.to_local().predict_proba(X), proba, atol=1e-6)
    raw = model.decision_function(dX).compute()
    np.testing.assert_allclose(model.to_local().decision_function(X), raw, atol=1e-6)


def test_single_class_and_base_margin_are_refused(client):
    X, y = classification_data(2, 400, n_features=6, n_informative=3)
    dX, dy = da.from_array(X, chunks=(200, 6)), da.from_array(y, chunks=200)
    with pytest.raises(ValueError, match="only one class"):
        DaskFocalXGBClassifier(**PARAMS).fit(dX, dy * 0)
    with pytest.raises(ValueError, match="base_margin"):
        DaskFocalXGBClassifier(**PARAMS).fit(dX, dy, base_margin=dy * 0.0)


@pytest.mark.parametrize(
    "case, match",
    [
        ("eval label", r"eval_set\[0\] holds labels not seen in training: \[1\]"),
        ("eval features", r"eval_set\[0\] has 4 features"),
        ("eval weight", r"eval_sample_weight\[0\] contains NaN"),
        ("NaN label", "Input y contains NaN"),
    ],
)
def test_the_local_fits_checks_run_on_dask_too(client, case, match):
    # Trained on classes {0, 2}: an eval label 1 would be scored as class 2.
    X, y = classification_data(2, 400, n_features=6, n_informative=3)
    y = 2 * y
    dX, dy = da.from_array(X, chunks=(200, 6)), da.from_array(y, chunks=200)
    fit = {}
    if case == "eval label":
        fit["eval_set"] = [(dX, da.where(dy == 2, 1, dy))]
    elif case == "eval features":
        fit["eval_set"] = [(dX[:, :4], dy)]
    elif case == "eval weight":
        weight = np.where(np.arange(len(y)) == 5, np.nan, 1.0)
        fit["eval_set"] = [(dX, dy)]
        fit["sample_weight_eval_set"] = [da.from_array(weight, chunks=200)]
    else:
        dy = da.where(da.arange(len(y), chunks=200) == 5, np.nan, dy)
    with pytest.raises(ValueError, match=match):
        DaskFocalXGBClassifier(**PARAMS).fit(dX, dy, **fit)
    if case == "eval label":  # the local estimator refuses the same
        with pytest.raises(ValueError, match=match):
            FocalXGBClassifier(**PARAMS).fit(
                X, y, eval_set=[(X, np.where(y == 2, 1, y))]
            )


def test_to_local_and_save_model_give_a_model_that_refits(client, tmp_path):
    X, y = classification_data(3, 900, n_features=6, n_informative=4)
    names = np.array(["a", "b", "c"])[y]
    dX, dy = da.from_array(X, chunks=(450, 6)), da.from_array(names, chunks=450)
    model = DaskFocalXGBClassifier(**PARAMS).fit(dX, dy)
    expected = model.predict_proba(dX).compute()
    model.save_model(tmp_path / "model.json")
    loaded = FocalXGBClassifier()
    loaded.load_model(tmp_path / "model.json")
    np.testing.assert_allclose(loaded.predict_proba(X), expected, atol=1e-6)
    np.testing.assert_array_equal(loaded.classes_, ["a", "b", "c"])
    local = model.to_local()
    local.fit(X, names)  # no base_score or objective left from XGBoost's load_model
    with pytest.raises(NotImplementedError, match="FocalXGBClassifier"):
        DaskFocalXGBClassifier().load_model(tmp_path / "model.json")


def test_continued_training_keeps_the_models_start_as_on_one_machine(client):
    # The Dask fit once started a continued model from a fresh initial score and
    # wrote it over the model's intercept: its first trees then scored from
    # another start. Continued training, as locally, adds trees to the model.
    X, y = classification_data(2, 4000, n_features=6, n_informative=3)
    first = DaskFocalXGBClassifier(**PARAMS).fit(
        da.from_array(X, chunks=(2000, 6)), da.from_array(y, chunks=2000)
    )
    rare = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:200]]
    dX = da.from_array(X[rare], chunks=(1000, 6))
    dy = da.from_array(y[rare], chunks=1000)
    more = DaskFocalXGBClassifier(**PARAMS).fit(dX, dy, xgb_model=first)
    local = FocalXGBClassifier(**PARAMS).fit(
        X[rare], y[rare], xgb_model=first.to_local()
    )
    assert more.init_score_ == first.init_score_ == local.init_score_
    n_trees = PARAMS["n_estimators"]
    np.testing.assert_allclose(
        more.decision_function(dX, iteration_range=(0, n_trees)).compute(),
        first.decision_function(dX).compute(),
        atol=1e-5,
    )


@pytest.mark.parametrize("setting", [{}, {"scale_pos_weight": 3.0}])
def test_gamma_zero_equals_xgboosts_own_dask_classifier(client, setting):
    # With class weights (as sample weights there) and scale_pos_weight; the
    # start pinned to ours, since XGBoost estimates its own intercept by
    # another rule when scale_pos_weight is set (the XGBoost page says so).
    from scipy.special import expit
    from xgboost import dask as dxgb

    X, y = classification_data(2, 4000, n_features=10, weights=[0.85])
    dX, dy = da.from_array(X, chunks=(2000, 10)), da.from_array(y, chunks=2000)
    trees = {"n_estimators": 10, "max_depth": 3, **setting}
    ours = DaskFocalXGBClassifier(gamma=0.0, class_weight={0: 2.0, 1: 1.0}, **trees)
    ours.fit(dX, dy)
    theirs = dxgb.DaskXGBClassifier(base_score=float(expit(ours.init_score_)), **trees)
    theirs.fit(dX, dy, sample_weight=da.from_array(np.where(y == 0, 2.0, 1.0), 2000))
    np.testing.assert_allclose(
        ours.predict_proba(dX).compute(), theirs.predict_proba(dX).compute(), atol=1e-5
    )
