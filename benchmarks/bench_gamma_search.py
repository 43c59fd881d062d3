"""GammaSearchCV against the GridSearchCV over gamma and the budget it replaces.

For LightGBM and XGBoost, in one run on the same data and folds (3 stratified),
scoring ``neg_log_loss``, 5 gammas (0, 0.5, 1, 2, 5), refit included:

- ``GridSearchCV(booster, {"gamma": gammas, "n_estimators": [50, 100, 200,
  400]})``: every budget fitted anew (60 fits of 50 to 400 trees);
- ``GammaSearchCV(booster, gammas)`` with ``n_estimators=400``: one fit per
  fold and gamma, every iteration count scored (400 counts, not 4);
- the same with ``early_stopping_rounds=20``.

Reported: fit time, the ratio of the grid's time to each row's (above 1: the
grid is slower), the chosen (gamma, iterations), the best mean score, and for
the full search the largest difference between its scores at the grid's four
budgets and the grid's ``mean_test_score`` (the same numbers, to rounding).

Data: :func:`skfocal.datasets.make_imbalanced_classification`, ``--n`` x 20,
5 % positives. Both boosters get 2 threads, the searches ``n_jobs=1``.

Usage: ``python benchmarks/bench_gamma_search.py [--n 60000]``; ``run()``
returns the tables as data (``benchmarks/run_all.py`` collects them).
"""

import argparse

import numpy as np
from _common import timed
from bench_cv import print_table
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skfocal.datasets import make_imbalanced_classification
from skfocal.lightgbm import FocalLGBMClassifier
from skfocal.model_selection import GammaSearchCV

GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
BUDGETS = (50, 100, 200, 400)
ROUNDS = 20


def boosters(budget):
    """The boosters compared, each with ``budget`` iterations and 2 threads."""
    models = {
        "LightGBM": FocalLGBMClassifier(
            n_estimators=budget, learning_rate=0.05, verbose=-1, random_state=0,
            n_jobs=2,
        ),
    }  # fmt: skip
    try:
        from skfocal.xgboost import FocalXGBClassifier
    except ImportError:  # the xgboost extra
        return models
    models["XGBoost"] = FocalXGBClassifier(
        n_estimators=budget, learning_rate=0.05, max_depth=6, n_jobs=2
    )
    return models


def compare(booster, X, y, folds):
    """The grid, the search and the early-stopped search on one booster."""
    grid, t_grid = timed(
        lambda: GridSearchCV(
            booster, {"gamma": GAMMAS, "n_estimators": BUDGETS}, cv=folds,
            scoring="neg_log_loss",
        ).fit(X, y)
    )  # fmt: skip
    grid_mean = grid.cv_results_["mean_test_score"].reshape(len(GAMMAS), -1)
    search, t_search = timed(lambda: GammaSearchCV(booster, GAMMAS, cv=folds).fit(X, y))
    stopped, t_stopped = timed(
        lambda: GammaSearchCV(
            booster, GAMMAS, cv=folds, early_stopping_rounds=ROUNDS
        ).fit(X, y)
    )
    at_budgets = search.scores_[:, :, np.array(BUDGETS) - 1].mean(axis=0)
    best = grid.best_params_
    return [
        {
            "model": "GridSearchCV (5 gammas x 4 budgets)",
            "fit s": t_grid,
            "grid / this": 1.0,
            "gamma, iterations": f"{best['gamma']:g}, {best['n_estimators']}",
            "best score": grid.best_score_,
        },
        {
            "model": "GammaSearchCV",
            "fit s": t_search,
            "grid / this": t_grid / t_search,
            "gamma, iterations": f"{search.gamma_:g}, {search.n_iter_}",
            "best score": search.best_score_,
            "max score diff": float(np.abs(at_budgets - grid_mean).max()),
        },
        {
            "model": f"GammaSearchCV(early_stopping_rounds={ROUNDS})",
            "fit s": t_stopped,
            "grid / this": t_grid / t_stopped,
            "gamma, iterations": f"{stopped.gamma_:g}, {stopped.n_iter_}",
            "best score": stopped.best_score_,
            "iterations fitted": int(np.sum(~np.isnan(stopped.scores_[0]))),
        },
    ]


def run(n=60_000, verbose=True):
    """Every comparison; return [(title, rows)]."""
    X, y = make_imbalanced_classification(
        n, positive_fraction=0.05, n_features=20, random_state=0
    )
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    # Compile the kernels outside the timings.
    GammaSearchCV(boosters(5)["LightGBM"], (0.0, 2.0), cv=2).fit(X[:2000], y[:2000])
    tables = []
    for name, booster in boosters(max(BUDGETS)).items():
        title = (
            f"{name}: {n} x 20, 5 % positives, 3 folds, neg_log_loss "
            "(grid / this: the grid's time over the row's)"
        )
        tables.append((title, compare(booster, X, y, folds)))
        if verbose:
            print_table(*tables[-1])
    return tables


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60_000)
    args = parser.parse_args(argv)
    run(args.n)


if __name__ == "__main__":
    main()
