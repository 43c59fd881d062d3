"""FocalLossClassifierCV against the GridSearchCV it replaces and LogisticRegressionCV.

Same folds (5 stratified), same scoring (``neg_log_loss``), same ``tol`` and
``max_iter``, one job, in one run:

- ``FocalLossClassifierCV(gammas, Cs)`` against ``GridSearchCV(FocalLossClassifier(),
  {"gamma": gammas, "C": Cs})``: fit time (refit included in both), the chosen
  (gamma, C), the largest difference between its ``scores_`` averaged over folds
  and the grid search's ``mean_test_score``, and the L-BFGS
  iterations of the grid (GridSearchCV keeps no per-fit count);
- ``FocalLossClassifierCV(gammas=[0])`` against ``LogisticRegressionCV`` over the
  same C grid (the same problems: gamma = 0 is logistic regression).

Data: dense ``--n`` x 50 standard normal features and sparse ``--n`` x 2000 CSR
(10 non-zeros a row), labels from a logistic model with 10 % positives
(``bench_linear.labels``). Then the flights data (``--flights-n`` rows, one-hot
categories and standardised numbers): the gamma and C chosen by log loss and by
average precision, and the held-out average precision and log loss of the chosen
model against ``LogisticRegression``.

Usage: ``python benchmarks/bench_cv.py [--n 200000] [--flights-n 100000]``;
``run()`` returns the tables as data (``benchmarks/run_all.py`` collects them).
"""

import argparse
import warnings

import numpy as np
import scipy.sparse as sp
from _common import timed
from bench_linear import labels
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import average_precision_score, log_loss
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline

from skfocal import FocalLossClassifier, FocalLossClassifierCV, _demo

GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
CS = np.logspace(-4, 4, 10)


def dense_data(n, rng):
    X = rng.standard_normal((n, 50))
    return X, labels(X, rng)


def sparse_data(n, rng):
    X = sp.random(n, 2000, density=5e-3, format="csr", random_state=rng)
    X.data = rng.standard_normal(X.data.shape)
    return X, labels(X, rng)


def quietly(func):
    """``func()`` and its time, convergence warnings silenced (both sides alike)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return timed(func)


def grid_rows(X, y, folds):
    """FocalLossClassifierCV and the equivalent GridSearchCV on one data set."""
    ours, t_ours = quietly(
        lambda: FocalLossClassifierCV(GAMMAS, CS, cv=folds).fit(X, y)
    )
    search, t_search = quietly(
        lambda: GridSearchCV(
            FocalLossClassifier(), {"gamma": GAMMAS, "C": CS}, cv=folds,
            scoring="neg_log_loss",
        ).fit(X, y)
    )  # fmt: skip
    mean = search.cv_results_["mean_test_score"].reshape(len(CS), len(GAMMAS)).T
    best = search.best_params_
    return [
        {
            "model": "FocalLossClassifierCV",
            "fit s": t_ours,
            "ratio": 1.0,
            "gamma, C": f"{ours.gamma_:g}, {ours.C_:.3g}",
            "iterations": int(ours.n_iter_.sum()),
            "max score diff": float(np.abs(ours.scores_.mean(axis=0) - mean).max()),
        },
        {
            "model": "GridSearchCV(FocalLossClassifier)",
            "fit s": t_search,
            "ratio": t_search / t_ours,
            "gamma, C": f"{best['gamma']:g}, {best['C']:.3g}",
        },
    ]


def logistic_rows(X, y, folds):
    """FocalLossClassifierCV at gamma = 0 against LogisticRegressionCV."""
    ours, t_ours = quietly(lambda: FocalLossClassifierCV([0.0], CS, cv=folds).fit(X, y))
    lrcv, t_lrcv = quietly(
        lambda: LogisticRegressionCV(
            Cs=CS, cv=folds, scoring="neg_log_loss", use_legacy_attributes=False,
        ).fit(X, y)
    )  # fmt: skip
    return [
        {
            "model": "FocalLossClassifierCV(gammas=[0])",
            "fit s": t_ours,
            "ratio": 1.0,
            "gamma, C": f"0, {ours.C_:.3g}",
            "iterations": int(ours.n_iter_.sum()),
            "max score diff": float(
                np.abs(ours.scores_[:, 0] - lrcv.scores_[:, 0]).max()
            ),
        },
        {
            "model": "LogisticRegressionCV",
            "fit s": t_lrcv,
            "ratio": t_lrcv / t_ours,
            "gamma, C": f"0, {lrcv.C_:.3g}",
            "iterations": int(lrcv.n_iter_.sum()),
        },
    ]


def flights_rows(n, seed=0):
    """The gamma and C chosen on the flights data, and how the model does."""
    X, y, categorical = _demo.load("flights", seed)
    if n < len(y):
        X, _, y, _ = train_test_split(X, y, train_size=n, stratify=y, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    rows = []
    baseline = make_pipeline(
        _demo.linear_features(categorical), LogisticRegression(max_iter=1000)
    )
    candidates = {"LogisticRegression (C=1)": baseline}
    for scoring in ("neg_log_loss", "average_precision"):
        candidates[f"FocalLossClassifierCV(scoring={scoring!r})"] = make_pipeline(
            _demo.linear_features(categorical),
            FocalLossClassifierCV(GAMMAS, CS, scoring=scoring, max_iter=1000),
        )
    for name, model in candidates.items():
        model, seconds = quietly(lambda model=model: model.fit(X_train, y_train))
        proba = model.predict_proba(X_test)[:, 1]
        last = model[-1]
        gamma, C = (last.gamma_, last.C_) if hasattr(last, "C_") else (0.0, last.C)
        rows.append({
            "model": name,
            "fit s": seconds,
            "gamma, C": f"{gamma:g}, {C:.3g}",
            "AP": average_precision_score(y_test, proba),
            "log loss": log_loss(y_test, proba),
        })  # fmt: skip
    return rows


def run(n=200_000, flights_n=100_000, verbose=True):
    """Every comparison; return [(title, rows)]."""
    rng = np.random.default_rng(0)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    FocalLossClassifierCV([0.0], [1.0], cv=3).fit(*dense_data(300, rng))  # compile
    tables = []
    for kind, make in (("dense", dense_data), ("sparse", sparse_data)):
        X, y = make(n, rng)
        shape = f"{X.shape[0]} x {X.shape[1]}"
        tables.append((
            f"{kind} {shape}: {len(GAMMAS)} gammas x {len(CS)} Cs, 5 folds, "
            "neg_log_loss, one job (ratio: time / FocalLossClassifierCV's)",
            grid_rows(X, y, folds),
        ))  # fmt: skip
        tables.append((
            f"{kind} {shape}: gamma = 0 against LogisticRegressionCV, {len(CS)} Cs",
            logistic_rows(X, y, folds),
        ))  # fmt: skip
        if verbose:
            for table in tables[-2:]:
                print_table(*table)
    if flights_n:
        tables.append((
            f"flights ({flights_n} rows, 25 % held out): gamma and C chosen by "
            "5-fold CV",
            flights_rows(flights_n),
        ))  # fmt: skip
        if verbose:
            print_table(*tables[-1])
    return tables


def print_table(title, rows):
    print(f"\n{title}")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    print("  ".join(f"{c:>18}" for c in columns))
    for row in rows:
        print("  ".join(_cell(row.get(c, "")) for c in columns))


def _cell(value):
    if isinstance(value, float):
        return f"{value:>18.4g}"
    return f"{value!s:>18}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--flights-n", type=int, default=100_000)
    args = parser.parse_args(argv)
    run(args.n, args.flights_n)


if __name__ == "__main__":
    main()
