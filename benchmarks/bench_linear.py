"""FocalLossClassifier against LogisticRegression(solver="lbfgs"): fit time and memory.

Same data, same run, same ``tol`` and ``max_iter``. For each estimator: the best
fit time over ``--repeat`` runs, the number of L-BFGS iterations, the time per
iteration, and the peak of memory allocated during ``fit`` (tracemalloc, which
sees numpy and scipy allocations; ``X`` itself is allocated before). Ratios are
against LogisticRegression in the same run: these machines are noisy, ratios hold.

Data: dense ``n x 50`` standard normal features and sparse ``m x m`` CSR with
density 1e-3, labels drawn from a logistic model with a 10 % positive rate.

Usage: ``python benchmarks/bench_linear.py [--dense-n 1000000] [--sparse-n 100000]``
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from skfocal import FocalLossClassifier


def labels(X, rng):
    beta = rng.standard_normal(X.shape[1]) / np.sqrt(max(1.0, X.shape[1] * 1e-3))
    score = np.asarray(X @ beta).ravel()
    score = (score - score.mean()) / score.std()
    return (rng.uniform(size=X.shape[0]) < expit(2.0 * score - 3.0)).astype(int)


def dense_data(n, rng):
    X = rng.standard_normal((n, 50))
    return X, labels(X, rng)


def sparse_data(n, rng):
    X = sp.random(n, n, density=1e-3, format="csr", random_state=rng)
    X.data = rng.standard_normal(X.data.shape)
    return X, labels(X, rng)


def measure(estimator, X, y, repeat):
    times = []
    for _ in range(repeat):
        tracemalloc.start()
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            estimator.fit(X, y)
        times.append(time.perf_counter() - start)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return min(times), int(np.max(estimator.n_iter_)), peak


def run(name, X, y, repeat, tol, max_iter):
    estimators = {
        "LogisticRegression(lbfgs)": LogisticRegression(tol=tol, max_iter=max_iter),
        "FocalLossClassifier(gamma=0)": FocalLossClassifier(
            gamma=0.0, tol=tol, max_iter=max_iter
        ),
        "FocalLossClassifier(gamma=2)": FocalLossClassifier(
            gamma=2.0, tol=tol, max_iter=max_iter
        ),
    }
    FocalLossClassifier(max_iter=1).fit(X[:100], y[:100])  # compile the kernels
    results = {key: measure(est, X, y, repeat) for key, est in estimators.items()}
    base_time, base_iter, base_peak = results["LogisticRegression(lbfgs)"]
    print(f"\n{name}: X {X.shape}, {y.mean():.1%} positive, tol={tol}")
    print(
        f"{'':30} {'fit s':>8} {'ratio':>7} {'iter':>5} {'ms/iter':>8} {'ratio':>7}"
        f" {'peak MB':>8} {'ratio':>7}"
    )
    for key, (seconds, n_iter, peak) in results.items():
        per_iter = seconds / max(n_iter, 1)
        print(
            f"{key:30} {seconds:8.2f} {seconds / base_time:6.2f}x {n_iter:5d}"
            f" {1e3 * per_iter:8.1f} {per_iter / (base_time / max(base_iter, 1)):6.2f}x"
            f" {peak / 2**20:8.1f} {peak / base_peak:6.2f}x"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense-n", type=int, default=1_000_000)
    parser.add_argument("--sparse-n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--max-iter", type=int, default=100)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    run("dense", *dense_data(args.dense_n, rng), args.repeat, args.tol, args.max_iter)
    run(
        "sparse", *sparse_data(args.sparse_n, rng), args.repeat, args.tol, args.max_iter
    )


if __name__ == "__main__":
    main()
