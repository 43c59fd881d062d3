"""XGBoost with FocalObjective against its built-in objectives and imbalance-xgboost.

Same data and settings as ``bench_lightgbm.py``: binary ``--n`` x 28 (10 %
positives) and K = 5 on ``--n-multi`` rows, ``hist``, ``--trees`` trees of depth
6. For each model: training time (best of ``--repeat``), the ratio to XGBoost's
built-in objective (``binary:logistic`` / ``multi:softprob``), and on held-out
data the average precision (binary) and the log loss. FocalObjective runs
through FocalXGBClassifier (initial score, posterior probabilities) and bare in
``xgb.train`` (initial score as base_margin, sigmoid of the margin: the
distorted model probabilities). imbalance-xgboost's focal objective, the peer
users have today, runs if it is installed and works with this XGBoost.

Usage: ``python benchmarks/bench_xgboost.py [--n 1000000] [--trees 100]``;
``run()`` returns the tables as data (``benchmarks/run_all.py`` collects them).
"""

import argparse

import numpy as np
import xgboost as xgb
from bench_lightgbm import compare, print_table
from scipy.special import expit
from sklearn.datasets import make_classification

from skfocal.xgboost import FocalObjective, FocalXGBClassifier


def xgb_params(trees):
    return {"n_estimators": trees, "max_depth": 6, "tree_method": "hist"}


class _Bare:
    """A booster of ``xgb.train`` with the sigmoid of its margins as probabilities."""

    def __init__(self, booster, init):
        self.booster, self.init = booster, init

    def predict_proba(self, X):
        margin = self.booster.predict(xgb.DMatrix(X), output_margin=True) + self.init
        return np.column_stack([expit(-margin), expit(margin)])


def _train_bare(X, y, gamma, trees):
    objective = FocalObjective(gamma=gamma)
    data = xgb.DMatrix(X, y, base_margin=objective.init_score(y))
    params = {"max_depth": 6, "tree_method": "hist", "base_score": 0.0}
    booster = xgb.train(params, data, num_boost_round=trees, obj=objective)
    return _Bare(booster, objective.loss.init_score(y))


def _imbalance_xgboost(trees):
    """imbalance-xgboost's focal objective, or why it cannot run here."""
    try:
        from imxgboost.imbalance_xgb import imbalance_xgboost
    except ImportError:
        return "skipped: imbalance-xgboost is not installed"

    class Model:
        def fit(self, X, y):
            self.model = imbalance_xgboost(
                special_objective="focal", focal_gamma=2.0, num_round=trees,
                max_depth=6,
            )  # fmt: skip
            self.model.fit(X, y)
            return self

        def predict_proba(self, X):
            p = np.asarray(self.model.predict_sigmoid(X), dtype=np.float64)
            return np.column_stack([1 - p, p])

    X, y = make_classification(n_samples=200, random_state=0)
    try:  # it calls xgb.train with arguments XGBoost >= 2 removed
        Model().fit(X, y)
    except Exception as exc:
        return f"fails with XGBoost {xgb.__version__}: {type(exc).__name__}: {exc}"
    return lambda X, y: Model().fit(X, y)


def binary_models(trees):
    common = xgb_params(trees)
    return {
        "xgboost binary:logistic": lambda X, y: xgb.XGBClassifier(**common).fit(X, y),
        "FocalXGBClassifier(gamma=0)": lambda X, y: FocalXGBClassifier(
            gamma=0.0, **common
        ).fit(X, y),
        "FocalXGBClassifier(gamma=2)": lambda X, y: FocalXGBClassifier(
            gamma=2.0, **common
        ).fit(X, y),
        "xgb.train(FocalObjective(2))": lambda X, y: _train_bare(X, y, 2.0, trees),
        "imbalance-xgboost focal(2)": _imbalance_xgboost(trees),
    }


def multiclass_models(trees):
    common = xgb_params(trees)
    return {
        "xgboost multi:softprob": lambda X, y: xgb.XGBClassifier(**common).fit(X, y),
        "FocalXGBClassifier(gamma=0)": lambda X, y: FocalXGBClassifier(
            gamma=0.0, **common
        ).fit(X, y),
        "FocalXGBClassifier(gamma=2)": lambda X, y: FocalXGBClassifier(
            gamma=2.0, **common
        ).fit(X, y),
    }


def run(n, n_multi, trees=100, repeat=1, verbose=True):
    """The binary and the multiclass comparison; return [(title, rows)]."""
    X, y = make_classification(
        n_samples=n, n_features=28, n_informative=14, weights=[0.9], flip_y=0.02,
        random_state=0,
    )  # fmt: skip
    tables = [
        compare(
            f"binary: {n} x 28, {trees} trees, depth 6, hist",
            binary_models(trees),
            X,
            y,
            repeat,
            "xgboost binary:logistic",
        )
    ]
    if verbose:
        print_table(*tables[-1])
    X, y = make_classification(
        n_samples=n_multi, n_features=28, n_informative=14, n_classes=5,
        weights=[0.5, 0.3, 0.1, 0.07], random_state=0,
    )  # fmt: skip
    tables.append(
        compare(
            f"multiclass K=5: {n_multi} x 28, {trees} trees, depth 6, hist",
            multiclass_models(trees),
            X,
            y,
            repeat,
            "xgboost multi:softprob",
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
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    run(args.n, args.n_multi, args.trees, args.repeat)


if __name__ == "__main__":
    main()
