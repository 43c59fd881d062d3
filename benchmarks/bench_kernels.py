"""Speed of the focal gradient + curvature kernels against their peers, in one run.

Per sample, single thread, float64, the best of ``--repeat`` runs:

- skfocal ``FocalLoss.gradient_hessian`` (public API, validation included) and the
  bare kernel it dispatches to;
- scikit-learn's ``HalfBinomialLoss`` / ``HalfMultinomialLoss`` ``.gradient_hessian``
  (the logistic loss: one exp per sample, the bar issue #5 sets);
- a vectorised numpy focal gradient and curvature (the straightforward alternative);
- a Numba loop that copies two inputs to two outputs (the memory floor).

Machines are noisy: compare the ratios within one run, not absolute times.

Usage: ``python benchmarks/bench_kernels.py [--n 1000000] [--repeat 7]``
"""

import argparse
import time

import numpy as np
from numba import njit, set_num_threads
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


def best_time(func, repeat):
    func()  # compile / warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run(n, repeat, gamma=2.0, n_classes=5, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(np.float64)
    raw = 3.0 * rng.standard_normal(n)
    grad, hess = np.empty(n), np.empty(n)
    loss = FocalLoss(gamma=gamma)
    ones = np.ones(2)
    sk_binary = HalfBinomialLoss()

    binary = {
        "skfocal FocalLoss.gradient_hessian": lambda: loss.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess
        ),
        "skfocal kernel": lambda: _kernels.binary_gradient_curvature(
            y, raw, gamma, ones, None, grad, hess
        ),
        "sklearn HalfBinomialLoss": lambda: sk_binary.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess, n_threads=1
        ),
        "numpy focal": lambda: numpy_binary_focal(y, raw, gamma, grad, hess),
        "copy floor": lambda: _copy_floor(y, raw, grad, hess),
    }

    yk = rng.integers(0, n_classes, n).astype(np.float64)
    rawk = 3.0 * rng.standard_normal((n, n_classes))
    gradk, hessk = np.empty_like(rawk), np.empty_like(rawk)
    onesk = np.ones(n_classes)
    sk_multi = HalfMultinomialLoss(n_classes=n_classes)
    softmax = {
        "skfocal FocalLoss.gradient_hessian": lambda: loss.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk
        ),
        "skfocal kernel": lambda: _kernels.softmax_gradient_curvature(
            yk, rawk, gamma, onesk, None, gradk, hessk
        ),
        "sklearn HalfMultinomialLoss": lambda: sk_multi.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk, n_threads=1
        ),
    }

    for title, cases, reference in (
        (f"binary, gamma={gamma:g}, n={n}", binary, "sklearn HalfBinomialLoss"),
        (
            f"softmax K={n_classes}, gamma={gamma:g}, n={n}",
            softmax,
            "sklearn HalfMultinomialLoss",
        ),
    ):
        timings = {name: best_time(func, repeat) for name, func in cases.items()}
        print(f"\n{title}")
        print(f"{'':38} {'ns/sample':>10} {'vs sklearn':>11}")
        for name, seconds in timings.items():
            ratio = seconds / timings[reference]
            print(f"{name:38} {1e9 * seconds / n:>10.2f} {ratio:>10.2f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    set_num_threads(1)
    run(args.n, args.repeat)


if __name__ == "__main__":
    main()
