"""ONNX inference of skfocal's models against their own Python predict_proba.

For each model (FocalLossClassifier, FocalLGBMClassifier; binary and 5 classes;
the posterior probabilities, as predict_proba returns them): the exported file's
size, and the time per 10^5 rows of onnxruntime's session.run against the
model's predict_proba in the same run, both on one thread (onnxruntime's intra-
and inter-op pools set to 1, LightGBM's n_jobs=1, scikit-learn's BLAS as it is).
The largest difference of the probabilities is reported alongside.

Usage: ``python benchmarks/bench_onnx.py [--n 100000] [--repeat 5]``;
``run()`` returns the table as data (``benchmarks/run_all.py`` collects it).
"""

import argparse

import numpy as np
import onnxruntime as ort
from _common import best_time
from sklearn.datasets import make_classification

from skfocal import FocalLossClassifier
from skfocal.lightgbm import FocalLGBMClassifier
from skfocal.onnx import to_onnx


def models(trees):
    return {
        "FocalLossClassifier(gamma=2)": lambda: FocalLossClassifier(gamma=2.0),
        f"FocalLGBMClassifier(gamma=2), {trees} trees": lambda: FocalLGBMClassifier(
            gamma=2.0, n_estimators=trees, n_jobs=1, verbose=-1
        ),
    }


def session(onx):
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(onx.SerializeToString(), options)


def run(n=100_000, trees=100, repeat=5, verbose=True):
    rows = []
    for n_classes in (2, 5):
        X, y = make_classification(
            n_samples=n, n_features=28, n_informative=14, n_classes=n_classes,
            random_state=0,
        )  # fmt: skip
        X = X.astype(np.float32)
        for name, make in models(trees).items():
            model = make().fit(X, y)
            onx = to_onnx(model, X[:1], options={"zipmap": False})
            runner = session(onx)
            python_s, proba = best_time(lambda m=model, X=X: m.predict_proba(X), repeat)
            onnx_s, (_, onnx_proba) = best_time(
                lambda r=runner, X=X: r.run(None, {"X": X}), repeat, warmup=True
            )
            rows.append(
                {
                    "model": f"{name}, K={n_classes}",
                    "python ms": 1e3 * python_s * 1e5 / n,
                    "onnx ms": 1e3 * onnx_s * 1e5 / n,
                    "ratio": onnx_s / python_s,
                    "file kB": len(onx.SerializeToString()) / 1e3,
                    "max |diff|": float(np.abs(onnx_proba - proba).max()),
                }
            )
            if verbose:
                print(rows[-1], flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    run(args.n, args.trees, args.repeat)


if __name__ == "__main__":
    main()
