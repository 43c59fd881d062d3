"""Reliability: determinism, concurrency, persistence, extreme data, no copies of X.

skfocal runs inside other people's pipelines and grid searches for hours: the same
input must give the same model, threads must not interfere, a model must survive
pickling into another process, valid but extreme data must not overflow, and
fitting must not copy the training data.
"""

import os
import pickle
import subprocess
import sys
import textwrap
import tracemalloc
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import joblib
import numba
import numpy as np
import pytest
import scipy.sparse as sp
from joblib import parallel_backend
from scipy.optimize import minimize_scalar
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV

from skfocal import FocalLoss, FocalLossClassifier
from skfocal.lightgbm import (
    DaskFocalLGBMClassifier,
    FocalLGBMClassifier,
    FocalMetric,
    FocalObjective,
)

from .conftest import QUIET, classification_data

dataset = partial(classification_data, n_samples=2000)


# -------------------------------------------------------------------- determinism
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_fits_are_bit_identical(n_classes, sparse):
    X, y = dataset(n_classes)
    X = sp.csr_matrix(X) if sparse else X
    a = FocalLossClassifier(gamma=1.5).fit(X, y)
    b = FocalLossClassifier(gamma=1.5).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_boosted_models_are_bit_identical_and_thread_independent(n_classes):
    X, y = dataset(n_classes)
    params = {"gamma": 2.0, "n_estimators": 30, "deterministic": True, **QUIET}
    params["force_row_wise"] = True  # LightGBM's condition for reproducible trees
    a = FocalLGBMClassifier(n_jobs=1, **params).fit(X, y)
    b = FocalLGBMClassifier(n_jobs=1, **params).fit(X, y)
    assert a.booster_.model_to_string() == b.booster_.model_to_string()
    two = FocalLGBMClassifier(n_jobs=2, **params).fit(X, y)
    np.testing.assert_allclose(
        two.predict_proba(X), a.predict_proba(X), rtol=1e-12, atol=1e-12
    )


# -------------------------------------------------------------------- concurrency
def test_kernels_from_eight_threads_at_once():
    rng = np.random.default_rng(0)
    cases = []
    for i in range(8):
        n_classes = 2 if i % 2 == 0 else 5
        n = 150_000 + 1000 * i
        y = rng.integers(0, n_classes, n)
        raw = 4 * rng.standard_normal(n if n_classes == 2 else (n, n_classes))
        raw = raw.astype(np.float32 if i % 4 == 1 else np.float64)
        # integer and non-integer gamma take different loops
        loss = FocalLoss(gamma=[0.0, 0.5, 2.0, 3.7][i % 4], alpha=None)
        cases.append((loss, y, raw, loss.gradient_hessian(y, raw)))

    def work(case):
        loss, y, raw, _ = case
        return loss.gradient_hessian(y, raw, n_threads=2)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, cases))
    for (_, _, _, expected), result in zip(cases, results, strict=True):
        for a, b in zip(result, expected, strict=True):
            np.testing.assert_array_equal(a, b)


def test_estimators_fitted_in_parallel_threads_agree():
    X, y = dataset(3)
    serial = FocalLossClassifier(gamma=2.0).fit(X, y).coef_
    with ThreadPoolExecutor(4) as pool:
        fits = list(
            pool.map(lambda _: FocalLossClassifier(gamma=2.0).fit(X, y), range(4))
        )
    for clf in fits:
        np.testing.assert_array_equal(clf.coef_, serial)


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_boosted_grid_search_under_both_joblib_backends(backend):
    X, y = dataset(2, n_samples=600, weights=[0.85])
    grid = {"gamma": [0.0, 2.0], "learning_rate": [0.05, 0.2]}

    def search(n_jobs):
        model = FocalLGBMClassifier(n_estimators=15, n_jobs=1, **QUIET)
        return GridSearchCV(model, grid, scoring="average_precision", n_jobs=n_jobs)

    with parallel_backend(backend, n_jobs=2):
        parallel = search(2).fit(X, y)
    serial = search(1).fit(X, y)
    np.testing.assert_allclose(
        parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


def test_numba_threading_layer_is_never_started():
    # skfocal splits rows over Python threads running GIL-free kernels: Numba's own
    # threading layer (whose default, workqueue, aborts on concurrent parallel
    # calls from joblib's threads) is never initialised.
    y = np.arange(300_000) % 2
    FocalLoss().gradient_hessian(y, np.zeros(300_000), n_threads=2)
    FocalLossClassifier().fit(*dataset())
    with pytest.raises(ValueError, match="not initialized"):
        numba.threading_layer()


# -------------------------------------------------------------------- persistence
def fitted_pieces():
    X2, y2 = dataset(2)
    X3, y3 = dataset(3)
    return {
        "FocalLoss": FocalLoss(gamma=1.5, alpha=0.3),
        "FocalLossClassifier": FocalLossClassifier(gamma=1.5).fit(X2, y2),
        "FocalLossClassifier multiclass": FocalLossClassifier(gamma=2).fit(X3, y3),
        "FocalLGBMClassifier": FocalLGBMClassifier(n_estimators=10, **QUIET).fit(
            X3, y3
        ),
        "FocalObjective": FocalObjective(gamma=0.5, alpha=[1.0, 2.0, 3.0]),
        "FocalMetric": FocalMetric(gamma=0.5, alpha=0.25),
        "DaskFocalLGBMClassifier": DaskFocalLGBMClassifier(gamma=3.0, n_estimators=5),
    }


def outputs(name, piece):
    """What each piece computes, to compare before and after a round trip."""
    X, _ = dataset(3)
    rng = np.random.default_rng(1)
    if name.startswith("FocalLossClassifier") or name == "FocalLGBMClassifier":
        return [piece.predict_proba(X), piece.predict(X)]
    if name == "FocalLoss":
        y, raw = rng.integers(0, 2, 50), rng.standard_normal(50)
        return [*piece.gradient_hessian(y, raw), piece.posterior(raw)]
    if name == "FocalObjective":
        y, raw = rng.integers(0, 3, 50), rng.standard_normal((50, 3))
        return list(piece(y, raw))
    if name == "FocalMetric":
        y, raw = rng.integers(0, 2, 50), rng.standard_normal(50)
        return [piece(y, raw)[1]]
    return [np.array(sorted(piece.get_params().items()), dtype=object)]


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_round_trips_of_every_estimator_objective_and_metric(dump, tmp_path):
    for name, piece in fitted_pieces().items():
        if dump == "pickle":
            restored = pickle.loads(pickle.dumps(piece))
        else:
            joblib.dump(piece, tmp_path / "piece.joblib")
            restored = joblib.load(tmp_path / "piece.joblib")
        assert type(restored) is type(piece)
        for a, b in zip(outputs(name, restored), outputs(name, piece), strict=True):
            np.testing.assert_array_equal(a, b, err_msg=name)


def test_pickled_models_predict_identically_in_a_fresh_process(tmp_path):
    pieces = fitted_pieces()
    expected = {name: outputs(name, piece) for name, piece in pieces.items()}
    joblib.dump(pieces, tmp_path / "pieces.joblib")
    script = textwrap.dedent(
        f"""
        import joblib, pickle, sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from tests.test_reliability import outputs
        pieces = joblib.load({str(tmp_path / "pieces.joblib")!r})
        result = {{name: outputs(name, piece) for name, piece in pieces.items()}}
        with open({str(tmp_path / "result.pkl")!r}, "wb") as f:
            pickle.dump(result, f)
        """
    )
    # An empty Numba cache: the new process compiles every kernel it calls.
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache"),
    }
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=600)
    assert any((tmp_path / "numba-cache").rglob("*.nbi"))  # it did compile anew
    with open(tmp_path / "result.pkl", "rb") as f:
        result = pickle.load(f)
    for name, values in expected.items():
        for a, b in zip(result[name], values, strict=True):
            np.testing.assert_array_equal(a, b, err_msg=name)


# ---------------------------------------------------------------- extreme data
@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield


@pytest.mark.parametrize("scale", [1e50, 1e150, 1e300])
def test_huge_features(scale, no_warnings):
    X, y = dataset(3)
    huge = X * scale
    clf = FocalLossClassifier(gamma=2.0, tol=1e-10).fit(huge, y)
    assert np.all(np.isfinite(clf.coef_)) and np.all(
        np.isfinite(clf.predict_proba(huge))
    )
    # X * s with penalty 1 / C is X with penalty 1 / (C s**2): unpenalised here
    # (softmax coefficients are then defined up to a shift: compare probabilities)
    plain = FocalLossClassifier(gamma=2.0, C=np.inf, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(
        clf.predict_proba(huge), plain.predict_proba(X), rtol=0, atol=1e-5
    )
    # trees only compare features: the same model either way
    trees = FocalLGBMClassifier(n_estimators=20, **QUIET)
    np.testing.assert_allclose(
        trees.fit(huge, y).predict_proba(huge),
        FocalLGBMClassifier(n_estimators=20, **QUIET).fit(X, y).predict_proba(X),
        rtol=1e-12,
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_separable_data_gives_finite_coefficients(n_classes, no_warnings):
    rng = np.random.default_rng(0)
    y = np.arange(600) % n_classes
    X = rng.standard_normal((600, 4)) + 20.0 * np.eye(n_classes, 4)[y]
    for C in (1.0, 1e6):
        clf = FocalLossClassifier(gamma=2.0, C=C, max_iter=1000).fit(X, y)
        assert np.all(np.isfinite(clf.coef_)) and clf.score(X, y) == 1.0
        assert np.all(np.isfinite(clf.predict_proba(X)))


def test_a_million_rows_with_one_positive(no_warnings):
    rng = np.random.default_rng(0)
    n = 1_000_000
    X = rng.standard_normal((n, 3))
    y = np.zeros(n, dtype=int)
    y[12345] = 1
    loss = FocalLoss(gamma=2.0)
    z0 = loss.init_score(y)
    brute = minimize_scalar(
        lambda z: loss.loss(y, np.full(n, z)).sum(), bounds=(-30, 0), method="bounded"
    )
    assert z0 == pytest.approx(brute.x, abs=1e-4)
    # the posterior of the best constant is the class frequency
    assert loss.posterior(np.array([z0]))[0, 1] == pytest.approx(1 / n, rel=1e-6)
    # A tight tol: with the default (1e-4 on the mean-loss gradient, as in
    # LogisticRegression) L-BFGS stops while the intercept still moves slowly.
    clf = FocalLossClassifier(gamma=2.0, tol=1e-10).fit(X, y)
    proba = clf.predict_proba(X)[:, 1]
    assert np.all(np.isfinite(proba)) and proba.mean() == pytest.approx(1 / n, rel=0.05)
    boosted = FocalLGBMClassifier(n_estimators=5, **QUIET).fit(X, y)
    proba = boosted.predict_proba(X)[:, 1]
    # the leaf that holds the positive predicts more; every other row about 1 / n
    assert np.all(np.isfinite(proba)) and proba.mean() < 100 / n
    assert np.median(proba) == pytest.approx(1 / n, rel=0.5)


def test_fifty_classes(no_warnings):
    X, y = make_classification(
        n_samples=5000, n_features=30, n_informative=20, n_classes=50,
        n_clusters_per_class=1, random_state=0,
    )  # fmt: skip
    prior_log_loss = np.log(50)
    for clf in (
        FocalLossClassifier(gamma=2.0),
        FocalLGBMClassifier(n_estimators=10, num_leaves=7, **QUIET),
    ):
        proba = clf.fit(X, y).predict_proba(X)
        assert proba.shape == (5000, 50)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
        # better than the prior on the training data
        assert -np.mean(np.log(proba[np.arange(5000), y])) < prior_log_loss


def test_float32_everywhere(no_warnings):
    X, y = dataset(3)
    X32 = X.astype(np.float32)
    w32 = np.linspace(0.5, 2.0, y.shape[0], dtype=np.float32)
    y32 = y.astype(np.int32)
    linear = FocalLossClassifier(gamma=2.0).fit(X32, y32, sample_weight=w32)
    assert linear.coef_.dtype == np.float32
    assert linear.predict_proba(X32).dtype == np.float32
    reference = FocalLossClassifier(gamma=2.0).fit(X, y, sample_weight=w32)
    np.testing.assert_allclose(linear.coef_, reference.coef_, rtol=0, atol=5e-3)
    boosted = FocalLGBMClassifier(n_estimators=10, **QUIET).fit(X32, y32, w32)
    assert np.all(np.isfinite(boosted.predict_proba(X32)))
    loss = FocalLoss(gamma=2.0)
    raw32 = np.zeros((10, 3), dtype=np.float32)
    assert all(a.dtype == np.float32 for a in loss.gradient_hessian(y32[:10], raw32))


# --------------------------------------------------------------------- no copies
def test_fit_reads_a_read_only_memmap_without_copying_it(tmp_path):
    X, y = make_classification(n_samples=100_000, n_features=100, random_state=0)
    np.save(tmp_path / "X.npy", X)
    X_map = np.load(tmp_path / "X.npy", mmap_mode="r")
    assert not X_map.flags.writeable
    tracemalloc.start()
    try:
        clf = FocalLossClassifier(gamma=2.0).fit(X_map, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a copy of X would be 80 MB; per-sample work arrays are 0.8 MB each
    assert peak < 0.2 * X.nbytes
    reference = FocalLossClassifier(gamma=2.0).fit(X, y)
    np.testing.assert_array_equal(clf.coef_, reference.coef_)
