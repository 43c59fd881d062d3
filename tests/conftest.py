"""Shared test configuration: data helpers, a Dask cluster, and parameter
substitution for shims."""

import pytest
from sklearn.datasets import make_classification

# LightGBM estimators and callables without their log lines.
QUIET = {"verbose": -1}


def classification_data(
    n_classes=2, n_samples=300, seed=0, *, n_features=8, n_informative=5, **kwargs
):
    """``make_classification`` data: ``(X, y)`` with y in {0, ..., n_classes - 1}.

    Test modules bind their own sizes with ``functools.partial``.
    """
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_informative,
        n_classes=n_classes,
        random_state=seed,
        **kwargs,
    )


def pytest_collection_modifyitems(items):
    """Substitute parameter values a test module names in ``PARAMETER_SUBSTITUTES``.

    tests/test_sklearn_logistic.py collects scikit-learn's tests, some of which
    are parametrised with scikit-learn's classes themselves (or, before 1.7,
    partials of them); the shim must stand in for those values too.
    """
    for item in items:
        module = getattr(item, "module", None)
        substitutes = getattr(module, "PARAMETER_SUBSTITUTES", None)
        callspec = getattr(item, "callspec", None)
        if not substitutes or callspec is None:
            continue
        for name, value in callspec.params.items():
            if callable(value) and _hashable(value) and value in substitutes:
                callspec.params[name] = substitutes[value]


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


@pytest.fixture(scope="module")
def client():
    """A two-worker LocalCluster on loopback (one per test module that asks)."""
    distributed = pytest.importorskip(
        "distributed", reason="distributed is in the test extra"
    )
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with distributed.Client(cluster) as dask_client:
        yield dask_client
    cluster.close()
