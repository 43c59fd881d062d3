"""LightGBM with FocalObjective against the built-in objectives and CatBoost's Focal.

Same data, same run, same number of trees and depth. Binary: ``--n`` x 28
(make_classification, 10 % positives); multiclass: K = 5 on ``--n-multi`` rows.
For each model: training time (best of ``--repeat``), the ratio to LightGBM's
built-in objective, and on held-out data the average precision (binary) and the
log loss of the probabilities. FocalObjective runs through FocalLGBMClassifier
(initial score, posterior probabilities) and bare in ``lgb.train`` (initial
score, sigmoid of the raw score: the distorted model probabilities). CatBoost is
optional (``pip install catboost``); its ``Focal`` loss is binary only.

Usage: ``python benchmarks/bench_lightgbm.py [--n 1000000] [--trees 100]``;
``run()`` returns the tables as data (``benchmarks/run_all.py`` collects them).
"""

import argparse

import lightgbm as lgb
import numpy as np
from _common import CATBOOST_MISSING, interleaved_best, timed
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, log_loss

from skfocal.lightgbm import FocalLGBMClassifier, FocalObjective


def split(X, y, test=0.2):
    n_test = int(len(y) * test)
    return X[n_test:], y[n_test:], X[:n_test], y[:n_test]


def lgb_params(trees, leaves):
    return {"n_estimators": trees, "num_leaves": leaves, "max_depth": 6, "verbose": -1}


def binary_models(trees, leaves):
    """Model name -> fit(X, y) returning the fitted model; None if unavailable."""
    common = lgb_params(trees, leaves)
    models = {
        "lightgbm objective='binary'": lambda X, y: lgb.LGBMClassifier(**common).fit(
            X, y
        ),
        "FocalLGBMClassifier(gamma=0)": lambda X, y: FocalLGBMClassifier(
            gamma=0.0, **common
        ).fit(X, y),
        "FocalLGBMClassifier(gamma=2)": lambda X, y: FocalLGBMClassifier(
            gamma=2.0, **common
        ).fit(X, y),
        "lgb.train(FocalObjective(2))": lambda X, y: _train_bare(
            X, y, 2.0, trees, leaves
        ),
    }
    try:
        from catboost import CatBoostClassifier
    except ImportError:
        models["catboost Focal(gamma=2)"] = models["catboost Logloss"] = None
        return models
    catboost = {
        "iterations": trees,
        "depth": 6,
        "verbose": False,
        "thread_count": -1,
        "allow_writing_files": False,
    }
    models["catboost Focal(gamma=2)"] = lambda X, y: CatBoostClassifier(
        loss_function="Focal:focal_alpha=0.5;focal_gamma=2", **catboost
    ).fit(X, y)
    models["catboost Logloss"] = lambda X, y: CatBoostClassifier(**catboost).fit(X, y)
    return models


def _train_bare(X, y, gamma, trees, leaves):
    objective = FocalObjective(gamma=gamma)
    data = lgb.Dataset(X, y, init_score=objective.init_score(y))
    params = {
        "objective": objective,
        "metric": "None",
        "num_leaves": leaves,
        "max_depth": 6,
        "verbose": -1,
    }
    booster = lgb.train(params, data, num_boost_round=trees)
    booster.init_score_ = objective.loss.init_score(y)
    return booster


def probabilities(model, X):
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)
    if isinstance(model, lgb.Booster):  # bare lgb.train: raw score + init, sigmoid
        raw = model.predict(X, raw_score=True) + model.init_score_
        return np.column_stack([1 / (1 + np.exp(raw)), 1 / (1 + np.exp(-raw))])
    return model.predict_proba(X)


def multiclass_models(trees, leaves):
    common = lgb_params(trees, leaves)
    return {
        "lightgbm objective='multiclass'": lambda X, y: lgb.LGBMClassifier(
            **common
        ).fit(X, y),
        "FocalLGBMClassifier(gamma=0)": lambda X, y: FocalLGBMClassifier(
            gamma=0.0, **common
        ).fit(X, y),
        "FocalLGBMClassifier(gamma=2)": lambda X, y: FocalLGBMClassifier(
            gamma=2.0, **common
        ).fit(X, y),
    }


def compare(title, models, X, y, repeat, reference):
    """Train and score every model; return (title, rows).

    A model that is None (catboost is missing) or a string (why it cannot run)
    gets a row with that note instead.
    """
    X_train, y_train, X_test, y_test = split(X, y)
    available = {name: fit for name, fit in models.items() if callable(fit)}
    for fit in available.values():  # warm up: imports, kernel compilation or cache
        fit(X_train[:2000], y_train[:2000])
    best = interleaved_best(
        {
            name: lambda fit=fit: timed(lambda: fit(X_train, y_train))[::-1]
            for name, fit in available.items()
        },
        repeat,
    )
    times = {name: seconds for name, (seconds, _) in best.items()}
    fitted = {name: model for name, (_, model) in best.items()}
    results = {}
    for name, model in fitted.items():
        proba = probabilities(model, X_test)
        ap = (
            average_precision_score(y_test, proba[:, 1])
            if proba.shape[1] == 2
            else None
        )
        results[name] = (times[name], ap, log_loss(y_test, proba))
    base = results[reference][0]
    rows = []
    for name in models:
        if name not in results:
            note = models[name] if isinstance(models[name], str) else CATBOOST_MISSING
            rows.append({"model": name, "note": note})
            continue
        seconds, ap, ll = results[name]
        row = {"model": name, "train s": seconds, "ratio": seconds / base}
        rows.append({**row, "AP": ap, "log loss": ll})
    return title, rows


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'':32} {'train s':>8} {'ratio':>7} {'AP':>7} {'log loss':>9}")
    for row in rows:
        if "note" in row:
            print(f"{row['model']:32} {row['note']}")
            continue
        ap = f"{row['AP']:7.4f}" if row["AP"] is not None else f"{'-':>7}"
        print(
            f"{row['model']:32} {row['train s']:8.2f} {row['ratio']:6.2f}x {ap}"
            f" {row['log loss']:9.4f}"
        )


def run(n, n_multi, trees=100, leaves=63, repeat=1, verbose=True):
    """The binary and the multiclass comparison; return [(title, rows)]."""
    X, y = make_classification(
        n_samples=n,
        n_features=28,
        n_informative=14,
        weights=[0.9],
        flip_y=0.02,
        random_state=0,
    )
    tables = [
        compare(
            f"binary: {n} x 28, {trees} trees, depth 6",
            binary_models(trees, leaves),
            X,
            y,
            repeat,
            "lightgbm objective='binary'",
        )
    ]
    if verbose:
        print_table(*tables[-1])
    X, y = make_classification(
        n_samples=n_multi,
        n_features=28,
        n_informative=14,
        n_classes=5,
        weights=[0.5, 0.3, 0.1, 0.07],
        random_state=0,
    )
    tables.append(
        compare(
            f"multiclass K=5: {n_multi} x 28, {trees} trees, depth 6",
            multiclass_models(trees, leaves),
            X,
            y,
            repeat,
            "lightgbm objective='multiclass'",
        )
    )
    if verbose:
        print_table(*tables[-1])
    return tables


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--n-multi", type=int, default=200_000)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--leaves", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    run(args.n, args.n_multi, args.trees, args.leaves, args.repeat)


if __name__ == "__main__":
    main()
