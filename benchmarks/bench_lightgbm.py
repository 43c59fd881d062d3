"""LightGBM with FocalObjective against the built-in objectives and CatBoost's Focal.

Same data, same run, same number of trees and depth. Binary: ``--n`` x 28
(make_classification, 10 % positives); multiclass: K = 5 on ``--n-multi`` rows.
For each model: training time (best of ``--repeat``), the ratio to LightGBM's
built-in objective, and on held-out data the average precision (binary) and the
log loss of the probabilities. FocalObjective runs through FocalLGBMClassifier
(initial score, posterior probabilities) and bare in ``lgb.train`` (initial
score, sigmoid of the raw score: the distorted model probabilities). CatBoost is
optional (``pip install catboost``); its ``Focal`` loss is binary only.

Usage: ``python benchmarks/bench_lightgbm.py [--n 1000000] [--trees 100]``
"""

import argparse
import time

import lightgbm as lgb
import numpy as np
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, log_loss

from skfocal.lightgbm import FocalLGBMClassifier, FocalObjective


def best_time(fit, repeat):
    times, model = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    return min(times), model


def split(X, y, test=0.2):
    n_test = int(len(y) * test)
    return X[n_test:], y[n_test:], X[:n_test], y[:n_test]


def binary_models(trees, leaves):
    common = {
        "n_estimators": trees,
        "num_leaves": leaves,
        "max_depth": 6,
        "verbose": -1,
    }
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
    booster.init_score_ = objective._loss.init_score(y)
    return booster


def probabilities(model, X):
    if isinstance(model, lgb.Booster):  # bare lgb.train: raw score + init, sigmoid
        raw = model.predict(X, raw_score=True) + model.init_score_
        return np.column_stack([1 / (1 + np.exp(raw)), 1 / (1 + np.exp(-raw))])
    return model.predict_proba(X)


def report(title, models, X, y, repeat, reference):
    X_train, y_train, X_test, y_test = split(X, y)
    rows = {}
    for fit in models.values():  # warm up: imports, kernel compilation or cache load
        fit(X_train[:2000], y_train[:2000])
    for name, fit in models.items():
        seconds, model = best_time(lambda fit=fit: fit(X_train, y_train), repeat)
        proba = probabilities(model, X_test)
        ap = (
            average_precision_score(y_test, proba[:, 1])
            if proba.shape[1] == 2
            else None
        )
        rows[name] = (seconds, ap, log_loss(y_test, proba))
    base = rows[reference][0]
    print(f"\n{title}")
    print(f"{'':32} {'train s':>8} {'ratio':>7} {'AP':>7} {'log loss':>9}")
    for name, (seconds, ap, ll) in rows.items():
        ap_text = f"{ap:7.4f}" if ap is not None else f"{'-':>7}"
        print(f"{name:32} {seconds:8.2f} {seconds / base:6.2f}x {ap_text} {ll:9.4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--n-multi", type=int, default=200_000)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--leaves", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    X, y = make_classification(
        n_samples=args.n,
        n_features=28,
        n_informative=14,
        weights=[0.9],
        flip_y=0.02,
        random_state=0,
    )
    report(
        f"binary: {args.n} x 28, {args.trees} trees, depth 6",
        binary_models(args.trees, args.leaves),
        X,
        y,
        args.repeat,
        "lightgbm objective='binary'",
    )

    X, y = make_classification(
        n_samples=args.n_multi,
        n_features=28,
        n_informative=14,
        n_classes=5,
        weights=[0.5, 0.3, 0.1, 0.07],
        random_state=0,
    )
    common = {
        "n_estimators": args.trees,
        "num_leaves": args.leaves,
        "max_depth": 6,
        "verbose": -1,
    }
    multiclass = {
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
    report(
        f"multiclass K=5: {args.n_multi} x 28, {args.trees} trees, depth 6",
        multiclass,
        X,
        y,
        args.repeat,
        "lightgbm objective='multiclass'",
    )


if __name__ == "__main__":
    main()
