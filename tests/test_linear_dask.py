"""DaskFocalLossClassifier on a two-worker LocalCluster on loopback, started here."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLossClassifier
from skfocal.linear_model import DaskFocalLossClassifier
from skfocal.linear_model import _dask as linear_dask

da = pytest.importorskip("dask.array", reason="dask is in the test extra")
dd = pytest.importorskip("dask.dataframe", reason="dask is in the test extra")
distributed = pytest.importorskip(
    "distributed", reason="distributed is in the test extra"
)
pd = pytest.importorskip("pandas", reason="pandas comes with dask.dataframe")


def data(n_classes, n_samples=3000):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=8,
        n_informative=5,
        n_classes=n_classes,
        weights=[0.8] if n_classes == 2 else None,
        random_state=0,
    )
    # Uneven blocks, and labels blocked differently from X (rechunked to match).
    dX = da.from_array(X, chunks=((1000, 700, 1300), (4, 4)))
    return X, y, dX, da.from_array(y, chunks=1500)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky"])
@pytest.mark.parametrize("weighted", [False, True])
def test_same_model_as_in_memory(client, n_classes, solver, weighted):
    X, y, dX, dy = data(n_classes)
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y)) if weighted else None
    dsw = None if sw is None else da.from_array(sw, chunks=1000)
    params = {"gamma": 2.0, "solver": solver, "tol": 1e-8, "max_iter": 500}
    params["class_weight"] = "balanced" if weighted else None
    local = FocalLossClassifier(**params).fit(X, y, sample_weight=sw)
    model = DaskFocalLossClassifier(**params).fit(dX, dy, sample_weight=dsw)
    proba = model.predict_proba(dX)
    assert isinstance(proba, da.Array)
    np.testing.assert_allclose(proba.compute(), local.predict_proba(X), atol=1e-5)
    np.testing.assert_allclose(model.coef_, local.coef_, atol=1e-4)
    predicted = model.predict(dX)
    assert isinstance(predicted, da.Array)
    np.testing.assert_array_equal(predicted.compute(), model.to_local().predict(X))
    scores = model.decision_function(dX).compute()
    np.testing.assert_allclose(scores, model.to_local().decision_function(X))
    accuracy = model.score(dX, dy, sample_weight=dsw)
    assert accuracy == pytest.approx(model.to_local().score(X, y, sample_weight=sw))


def test_dataframes_with_string_labels(client):
    X, y, _, _ = data(3)
    names = [f"f{i}" for i in range(X.shape[1])]
    labels = np.array(["ant", "bee", "cat"])[y]
    frame = dd.from_pandas(pd.DataFrame(X, columns=names), npartitions=3)
    target = dd.from_pandas(pd.Series(labels), npartitions=3)
    model = DaskFocalLossClassifier(solver="newton-cholesky").fit(frame, target)
    local = FocalLossClassifier(solver="newton-cholesky").fit(X, labels)
    assert list(model.feature_names_in_) == names
    np.testing.assert_array_equal(model.classes_, ["ant", "bee", "cat"])
    np.testing.assert_array_equal(model.predict(frame).compute(), local.predict(X))
    in_memory = model.to_local()
    assert list(in_memory.feature_names_in_) == names
    frame_in_memory = pd.DataFrame(X, columns=names)
    np.testing.assert_allclose(
        in_memory.predict_proba(frame_in_memory), local.predict_proba(X), atol=1e-5
    )


def test_newton_makes_one_pass_over_the_data_per_evaluation(monkeypatch):
    # The Newton matrix is summed with the loss and gradient, never alone.
    passes = []
    original = linear_dask.BlockwiseObjective._sums

    def counted(self, coef, with_hessian):
        passes.append(with_hessian)
        return original(self, coef, with_hessian)

    monkeypatch.setattr(linear_dask.BlockwiseObjective, "_sums", counted)
    calls = []
    evaluate = linear_dask.BlockwiseObjective.loss_gradient
    monkeypatch.setattr(
        linear_dask.BlockwiseObjective,
        "loss_gradient",
        lambda self, *a: calls.append(1) or evaluate(self, *a),
    )
    _, _, dX, dy = data(2)
    model = DaskFocalLossClassifier(solver="newton-cholesky").fit(dX, dy)
    assert len(passes) == len(calls) >= model.n_iter_[0] + 1
    assert all(passes)


def test_pickle_round_trip():
    _, _, dX, dy = data(2)
    model = DaskFocalLossClassifier().fit(dX, dy)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(
        restored.predict_proba(dX).compute(), model.predict_proba(dX).compute()
    )


def test_bad_input_gets_clear_errors():
    X, y, dX, dy = data(2)
    with pytest.raises(TypeError, match="takes Dask collections: X is a ndarray"):
        DaskFocalLossClassifier().fit(X, dy)
    with pytest.raises(TypeError, match="y is a ndarray"):
        DaskFocalLossClassifier().fit(dX, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        DaskFocalLossClassifier().fit(dX, dy[:-1])
    negative = da.from_array(np.r_[-1.0, np.ones(len(y) - 1)], chunks=1000)
    with pytest.raises(ValueError, match="negative"):
        DaskFocalLossClassifier().fit(dX, dy, sample_weight=negative)
    with pytest.raises(ValueError, match="numeric X"):
        DaskFocalLossClassifier().fit(dX.astype(str), dy)
    with pytest.raises(InvalidParameterError, match="'solver' parameter"):
        DaskFocalLossClassifier(solver="saga").fit(dX, dy)
    with pytest.raises(ValueError, match="class"):
        DaskFocalLossClassifier().fit(dX, da.zeros(len(y), chunks=1000))
    model = DaskFocalLossClassifier().fit(dX, dy)
    with pytest.raises(ValueError, match="X has 4 features"):
        model.predict(dX[:, :4])
