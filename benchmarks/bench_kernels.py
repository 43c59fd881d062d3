"""Speed of the focal gradient + curvature kernels against their peers, in one run.

Nanoseconds per sample (best of ``--repeat``), one thread unless a row says 2, and
the ratio to scikit-learn's ``HalfBinomialLoss`` / ``HalfMultinomialLoss``
``.gradient_hessian`` on the same arrays with one thread (the logistic loss: the
bar issue #5 sets). Rows:

- the bare skfocal kernel for gamma in {0, 0.5, 2}, alpha None or set, float64
  and float32 raw scores (outputs of the same dtype). Integer gamma up to 7 takes
  q**gamma by multiplication, other gamma by an exp: 0.5 shows the general path;
- ``FocalLoss.gradient_hessian`` (the public API, input validation included), with 1
  and 2 threads, and scikit-learn's loss with 2 threads;
- a vectorised numpy focal gradient and curvature (the straightforward peer);
- a Numba loop that copies two inputs to two outputs (the memory floor).

Machines are noisy: compare the ratios within one run, not absolute times.

Usage: ``python benchmarks/bench_kernels.py [--n 10000000] [--repeat 7]``;
``run()`` returns the tables as data (``benchmarks/run_all.py`` collects them).
"""

import argparse

import numpy as np
from _common import best_time
from numba import get_num_threads, njit, set_num_threads
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss

from skfocal import FocalLoss, _kernels


@njit(cache=True)
def _copy_floor(y, raw, grad, hess):
    for i in range(raw.shape[0]):
        grad[i] = raw[i]
        hess[i] = y[i]


def numpy_binary_focal(y, raw, gamma, grad, hess):
    """Vectorised numpy gradient and curvature (same formulas, float64 temporaries)."""
    sign = 2.0 * y - 1.0
    u = sign * raw
    log_p = -np.logaddexp(0.0, -u)
    log_q = -np.logaddexp(0.0, u)
    p, q = np.exp(log_p), np.exp(log_q)
    slope = np.exp(gamma * log_q) * (gamma * p * log_p - q)
    np.multiply(sign, slope, out=grad)
    np.multiply(-(1.0 + gamma) * p, slope, out=hess)


def kernel_cases(kernel, y, raw, n_classes):
    """Bare-kernel rows: gamma x alpha x dtype, each with its own output arrays."""
    cases = {}
    for dtype in (np.float64, np.float32):
        scores = raw.astype(dtype)
        grad, hess = np.empty_like(scores), np.empty_like(scores)
        for gamma in (0.0, 0.5, 2.0):
            for alpha_name, weights in (
                ("None", np.ones(n_classes)),
                ("set", np.linspace(0.25, 1.0, n_classes)),
            ):
                name = (
                    f"kernel {np.dtype(dtype).name} gamma={gamma:g} alpha={alpha_name}"
                )
                cases[name] = lambda s=scores, g=gamma, w=weights, gr=grad, he=hess: (
                    kernel(y, s, g, w, None, gr, he)
                )
    return cases


def measure(cases, reference, n, repeat):
    """One row per case: ns/sample and the time ratio to the ``reference`` case."""
    # warmup: compile or load from the cache
    timings = {
        name: best_time(func, repeat, warmup=True)[0] for name, func in cases.items()
    }
    return [
        {
            "case": name,
            "ns/sample": 1e9 * seconds / n,
            "vs sklearn": seconds / timings[reference],
        }
        for name, seconds in timings.items()
    ]


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'':46} {'ns/sample':>10} {'vs sklearn':>11}")
    for row in rows:
        print(f"{row['case']:46} {row['ns/sample']:>10.2f} {row['vs sklearn']:>10.2f}x")


def run(n, repeat, n_classes=5, seed=0, verbose=True):
    """Time every case; return [(title, rows)] for the binary and softmax tables.

    Numba runs on one thread meanwhile (the thread count is restored after).
    """
    threads = get_num_threads()
    set_num_threads(1)
    try:
        return _run(n, repeat, n_classes, seed, verbose)
    finally:
        set_num_threads(threads)


def _run(n, repeat, n_classes, seed, verbose):
    tables = []
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(np.float64)
    raw = 3.0 * rng.standard_normal(n)
    grad, hess = np.empty(n), np.empty(n)
    sk_binary = HalfBinomialLoss()
    loss = FocalLoss(gamma=2.0)
    binary = {
        "sklearn HalfBinomialLoss": lambda: sk_binary.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess, n_threads=1
        ),
        **kernel_cases(_kernels.binary_gradient_curvature, y, raw, 2),
        "FocalLoss.gradient_hessian gamma=2": lambda: loss.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess
        ),
        "FocalLoss.gradient_hessian gamma=2, 2 threads": lambda: loss.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess, n_threads=2
        ),
        "sklearn HalfBinomialLoss, 2 threads": lambda: sk_binary.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess, n_threads=2
        ),
        "numpy focal gamma=2": lambda: numpy_binary_focal(y, raw, 2.0, grad, hess),
        "copy floor": lambda: _copy_floor(y, raw, grad, hess),
    }
    rows = measure(binary, "sklearn HalfBinomialLoss", n, repeat)
    tables.append((f"binary, n={n}", rows))
    if verbose:
        print_table(*tables[-1])

    yk = rng.integers(0, n_classes, n).astype(np.float64)
    rawk = 3.0 * rng.standard_normal((n, n_classes))
    gradk, hessk = np.empty_like(rawk), np.empty_like(rawk)
    sk_multi = HalfMultinomialLoss(n_classes=n_classes)
    softmax = {
        "sklearn HalfMultinomialLoss": lambda: sk_multi.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk, n_threads=1
        ),
        **kernel_cases(_kernels.softmax_gradient_curvature, yk, rawk, n_classes),
        "FocalLoss.gradient_hessian gamma=2": lambda: loss.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk
        ),
        "FocalLoss.gradient_hessian gamma=2, 2 threads": lambda: loss.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk, n_threads=2
        ),
        "sklearn HalfMultinomialLoss, 2 threads": lambda: sk_multi.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk, n_threads=2
        ),
    }
    rows = measure(softmax, "sklearn HalfMultinomialLoss", n, repeat)
    tables.append((f"softmax K={n_classes}, n={n}", rows))
    if verbose:
        print_table(*tables[-1])
    return tables


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    run(args.n, args.repeat)


if __name__ == "__main__":
    main()
