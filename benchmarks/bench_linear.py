"""FocalLossClassifier against LogisticRegression: fit time and memory, both solvers.

Same data, same run, same ``tol`` and ``max_iter``. For each estimator: the best
fit time over ``--repeat`` runs, the number of L-BFGS iterations, the time per
iteration, and the peak of memory allocated during ``fit`` (tracemalloc, which
sees numpy and scipy allocations; ``X`` itself is allocated before), also as a
fraction of the size of ``X``: well below 1, so ``X`` is not copied. Ratios are
against LogisticRegression in the same run: these machines are noisy, ratios hold.

Data: dense ``n x 50`` standard normal features, fitted from a read-only memory map
of a ``.npy`` file (as joblib hands large arrays to its workers), and sparse
``m x m`` CSR with density 1e-3; labels drawn from a logistic model with a 10 %
positive rate.

The solvers (``--onehot-n``): L-BFGS-B and Newton-Cholesky of both libraries, at
gamma = 2 for skfocal, against ``LogisticRegression(solver="newton-cholesky")``,
on two data sets where Newton is scikit-learn's recommendation (many more rows
than columns, one-hot categories): 30 standard normal columns and 4 categories
of 25 equally frequent levels one-hot encoded, dense (130 columns); and 10
normal columns with 4 categories of 400 levels of Zipf-like frequencies (most
levels rare), one-hot encoded and kept sparse (1,610 columns), with ``tol``
100 times tighter. These fits may take up to 2,000 iterations, so that
L-BFGS-B's time is its time to converge.

Usage: ``python benchmarks/bench_linear.py [--dense-n 1000000] [--sparse-n 100000]
[--onehot-n 300000]``; ``run()`` returns the tables as data
(``benchmarks/run_all.py`` collects them).
"""

import argparse
import tempfile
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from _common import interleaved_best, timed
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from skfocal import FocalLossClassifier


def labels(X, rng):
    beta = rng.standard_normal(X.shape[1]) / np.sqrt(max(1.0, X.shape[1] * 1e-3))
    score = np.asarray(X @ beta).ravel()
    score = (score - score.mean()) / score.std()
    return (rng.uniform(size=X.shape[0]) < expit(2.0 * score - 3.0)).astype(int)


def dense_data(n, rng, folder):
    X = rng.standard_normal((n, 50))
    y = labels(X, rng)
    np.save(Path(folder) / "X.npy", X)
    del X
    return np.load(Path(folder) / "X.npy", mmap_mode="r"), y


def sparse_data(n, rng, folder=None):
    X = sp.random(n, n, density=1e-3, format="csr", random_state=rng)
    X.data = rng.standard_normal(X.data.shape)
    return X, labels(X, rng)


def onehot_data(n, rng, n_numeric, n_levels, zipf, sparse):
    """Numeric columns and 4 one-hot encoded categories, labels from a logistic
    model of both; Zipf exponent ``zipf`` (0: equally frequent levels)."""
    numeric = rng.standard_normal((n, n_numeric))
    frequency = 1.0 / np.arange(1, n_levels + 1) ** zipf
    codes = [
        rng.choice(n_levels, size=n, p=frequency / frequency.sum()) for _ in range(4)
    ]
    rows = np.repeat(np.arange(n), 4)
    columns = (np.column_stack(codes) + n_levels * np.arange(4)).ravel()
    onehot = sp.csr_matrix((np.ones(4 * n), (rows, columns)), shape=(n, 4 * n_levels))
    X = sp.hstack([sp.csr_matrix(numeric), onehot], format="csr")
    if not sparse:
        X = X.toarray()
    return X, labels(X, rng)


def compare_solvers(name, X, y, repeat, tol, max_iter):
    """Both solvers of both libraries against scikit-learn's Newton-Cholesky."""
    base = "LogisticRegression(newton-cholesky)"
    estimators = {
        "LogisticRegression(lbfgs)": LogisticRegression(tol=tol, max_iter=max_iter),
        base: LogisticRegression(solver="newton-cholesky", tol=tol, max_iter=max_iter),
        "FocalLossClassifier(gamma=2, lbfgs)": FocalLossClassifier(
            gamma=2.0, tol=tol, max_iter=max_iter
        ),
        "FocalLossClassifier(gamma=2, newton-cholesky)": FocalLossClassifier(
            gamma=2.0, solver="newton-cholesky", tol=tol, max_iter=max_iter
        ),
        "FocalLossClassifier(gamma=0, newton-cholesky)": FocalLossClassifier(
            gamma=0.0, solver="newton-cholesky", tol=tol, max_iter=max_iter
        ),
    }
    return _table(name, X, y, repeat, tol, estimators, base, with_newton=True)


def measure(estimator, X, y):
    """Fit time, iterations and peak of memory allocated during one fit."""
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        _, seconds = timed(lambda: estimator.fit(X, y))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, int(np.max(estimator.n_iter_)), peak


def compare(name, X, y, repeat, tol, max_iter):
    """Fit the three estimators on ``X, y``; return (title, rows)."""
    base = "LogisticRegression(lbfgs)"
    estimators = {
        "LogisticRegression(lbfgs)": LogisticRegression(tol=tol, max_iter=max_iter),
        "FocalLossClassifier(gamma=0)": FocalLossClassifier(
            gamma=0.0, tol=tol, max_iter=max_iter
        ),
        "FocalLossClassifier(gamma=2)": FocalLossClassifier(
            gamma=2.0, tol=tol, max_iter=max_iter
        ),
    }
    return _table(name, X, y, repeat, tol, estimators, base)


def _table(name, X, y, repeat, tol, estimators, base, with_newton=False):
    """Fit ``estimators`` on ``X, y``; (title, rows) with ratios to ``base``."""
    solvers = ("lbfgs", "newton-cholesky") if with_newton else ("lbfgs",)
    with warnings.catch_warnings():  # one iteration: it does not converge
        warnings.simplefilter("ignore", ConvergenceWarning)
        for solver in solvers:  # compile the kernels, load LAPACK
            FocalLossClassifier(solver=solver, max_iter=1).fit(X[:100], y[:100])
    results = interleaved_best(
        {key: lambda e=e: measure(e, X, y) for key, e in estimators.items()}, repeat
    )
    base_time, base_iter, base_peak = results[base]
    base_per_iter = base_time / max(base_iter, 1)
    x_bytes = X.data.nbytes if sp.issparse(X) else X.nbytes
    rows = []
    for key, (seconds, n_iter, peak) in results.items():
        per_iter = seconds / max(n_iter, 1)
        rows.append(
            {
                "estimator": key,
                "fit s": seconds,
                "fit ratio": seconds / base_time,
                "iter": n_iter,
                "ms/iter": 1e3 * per_iter,
                "ms/iter ratio": per_iter / base_per_iter,
                "peak MB": peak / 2**20,
                "peak ratio": peak / base_peak,
                "peak / X": peak / x_bytes,
            }
        )
    kind = "CSR" if sp.issparse(X) else "dense"
    kind = "read-only memmap" if isinstance(X, np.memmap) else kind
    title = (
        f"{name}: X {X.shape} ({kind}, {x_bytes / 2**20:.0f} MB of values), "
        f"{y.mean():.1%} positive, tol={tol}"
    )
    return title, rows


def print_table(title, rows):
    print(f"\n{title}")
    print(
        f"{'':46} {'fit s':>8} {'ratio':>7} {'iter':>5} {'ms/iter':>8} {'ratio':>7}"
        f" {'peak MB':>8} {'ratio':>7} {'peak/X':>7}"
    )
    for row in rows:
        print(
            f"{row['estimator']:46} {row['fit s']:8.2f} {row['fit ratio']:6.2f}x"
            f" {row['iter']:5d} {row['ms/iter']:8.1f} {row['ms/iter ratio']:6.2f}x"
            f" {row['peak MB']:8.1f} {row['peak ratio']:6.2f}x"
            f" {row['peak / X']:7.3f}"
        )


def run(
    dense_n, sparse_n, onehot_n=300_000, repeat=1, tol=1e-4, max_iter=100, seed=0,
    verbose=True,
):  # fmt: skip
    """The dense, sparse and solver comparisons; return [(title, rows)]."""
    rng = np.random.default_rng(seed)
    tables = []
    with tempfile.TemporaryDirectory() as folder:
        for name, make in (("dense", dense_data), ("sparse", sparse_data)):
            n = dense_n if name == "dense" else sparse_n
            X, y = make(n, rng, folder)
            tables.append(compare(name, X, y, repeat, tol, max_iter))
            del X  # the memory map closes before its folder goes
            if verbose:
                print_table(*tables[-1])
    # The rare levels at a tighter tol: Newton's case is a precise solution of a
    # badly conditioned problem (at 1e-4 L-BFGS-B is faster there too).
    solver_data = {
        "solvers, one-hot dense": ((30, 25, 0.0, False), tol),
        "solvers, rare one-hot sparse": ((10, 400, 1.1, True), tol / 100),
    }
    for name, (shape, solver_tol) in solver_data.items():
        X, y = onehot_data(onehot_n, rng, *shape)
        # Up to 2,000 iterations: L-BFGS-B's time to converge, not to give up.
        tables.append(
            compare_solvers(name, X, y, repeat, solver_tol, max(max_iter, 2000))
        )
        if verbose:
            print_table(*tables[-1])
    return tables


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense-n", type=int, default=1_000_000)
    parser.add_argument("--sparse-n", type=int, default=100_000)
    parser.add_argument("--onehot-n", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--max-iter", type=int, default=100)
    args = parser.parse_args(argv)
    run(
        args.dense_n, args.sparse_n, args.onehot_n, args.repeat, args.tol,
        args.max_iter,
    )  # fmt: skip


if __name__ == "__main__":
    main()
