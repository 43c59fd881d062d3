"""Speed of the focal gradient + curvature kernels against their peers, in one run.

Nanoseconds per sample (best of ``--repeat``), one thread unless a row says 2, and
the ratio to scikit-learn's ``HalfBinomialLoss`` / ``HalfMultinomialLoss``
``.gradient_hessian`` on the same arrays with one thread (the logistic loss: the
bar issue #5 sets). Rows:

- the bare skfocal kernel for gamma in {0, 0.5, 2}, alpha None or set, float64
  and float32 raw scores (outputs of the same dtype). Integer gamma up to 7 takes
  q**gamma by multiplication, other gamma by an exp: 0.5 shows the general path;
- ``FocalLoss.gradient_hessian`` with output buffers (the public API, input checks
  included: the kernel counts invalid labels and scores in its own pass) at gamma 2
  and 0.5, also with int64 labels (taken without a float64 copy) and 2 threads,
  and scikit-learn's loss with 2 threads. These rows also give their time relative
  to the bare kernel of the same gamma (``vs bare``);
- a vectorised numpy focal gradient and curvature (the straightforward peer);
- a Numba loop that copies two inputs to two outputs (the memory floor).

The repeats of all rows are interleaved (``_common.interleaved_best``) so that a
slow phase of the machine hits every row alike. Each table's title gives the width
of the vectors the kernels were compiled for (``kernel_vector_bits``), each row
also the CPU (``cpu``) and that width (``vector bits``).
Machines are noisy: compare the ratios within one run, not absolute times.

Usage: ``python benchmarks/bench_kernels.py [--n 10000000] [--repeat 7]``;
``run()`` returns the tables as data (``benchmarks/run_all.py`` collects them):
``[(title, rows)]``, each row a dict with ``case``, ``ns/sample``, ``vs sklearn``,
``cpu``, ``vector bits`` and, for the public-API rows, ``vs bare``.
"""

import argparse

import llvmlite.binding as llvm
import numpy as np
from _common import cpu_model, interleaved_best, timed
from numba import get_num_threads, njit, set_num_threads, typeof
from numba.core import config as numba_config
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


def public_cases(y, raw, grad, hess, gammas):
    """``FocalLoss.gradient_hessian`` rows, output buffers given, float64 labels
    and (first gamma) int64 labels; and the bare-kernel case of each row."""
    cases, bare = {}, {}
    for gamma in gammas:
        loss = FocalLoss(gamma=gamma)
        labels = {"": y}
        if gamma == gammas[0]:
            labels[", int64 labels"] = y.astype(np.int64)
        for suffix, t in labels.items():
            name = f"FocalLoss.gradient_hessian gamma={gamma:g}{suffix}"
            cases[name] = lambda f=loss.gradient_hessian, t=t: f(
                t, raw, gradient_out=grad, hessian_out=hess
            )
            bare[name] = f"kernel float64 gamma={gamma:g} alpha=None"
    loss = FocalLoss(gamma=gammas[0])
    cases[f"FocalLoss.gradient_hessian gamma={gammas[0]:g}, 2 threads"] = lambda: (
        loss.gradient_hessian(y, raw, gradient_out=grad, hessian_out=hess, n_threads=2)
    )
    return cases, bare


def kernel_vector_bits():
    """Width in bits of the vectors in the binary kernel's machine code.

    The cached kernels cannot show their code: a fresh copy is compiled the same
    way (for the CPU Numba targets, with the kernels' prefer-vector-width
    attribute) and its assembly read: zmm registers are 512 bits, ymm 256, else
    128 (SSE).
    """
    options = {k: v for k, v in _kernels._OPTIONS.items() if k != "cache"}
    fresh = njit(**options)(_kernels.binary_gradient_curvature.py_func)
    v = np.zeros(8)
    fresh.compile(tuple(typeof(a) for a in (v, v, 2.0, v, None, v, v)))
    asm = fresh.inspect_asm(fresh.signatures[0])
    return 512 if "zmm" in asm else 256 if "ymm" in asm else 128


def machine_columns():
    """What every row carries: the CPU (its model and the LLVM target Numba
    compiles for) and the width of the kernels' vectors."""
    target = numba_config.CPU_NAME or llvm.get_host_cpu_name()
    return {
        "cpu": f"{cpu_model()} ({target})",
        "vector bits": kernel_vector_bits(),
    }


def measure(cases, reference, n, repeat, bare=None, machine=None):
    """One row per case: ns/sample, the time ratio to the ``reference`` case and,
    for the cases that ``bare`` maps to a bare-kernel case, the ratio to that;
    ``machine`` (:func:`machine_columns`) is added to every row.

    The repeats of all cases are interleaved; each case's best time counts.
    """
    bare = bare or {}
    for func in cases.values():
        func()  # warmup: compile or load from the cache
    best = interleaved_best(
        {name: lambda f=func: timed(f)[::-1] for name, func in cases.items()}, repeat
    )
    timings = {name: result[0] for name, result in best.items()}
    rows = []
    for name, seconds in timings.items():
        row = {
            "case": name,
            "ns/sample": 1e9 * seconds / n,
            "vs sklearn": seconds / timings[reference],
        }
        if name in bare:
            row["vs bare"] = seconds / timings[bare[name]]
        rows.append({**row, **(machine or {})})
    return rows


def print_table(title, rows):
    width = max(len(row["case"]) for row in rows)
    print(f"\n{title}; {rows[0]['cpu']}")
    print(f"{'':{width}} {'ns/sample':>10} {'vs sklearn':>11} {'vs bare':>8}")
    for row in rows:
        vs_bare = f"{row['vs bare']:>7.2f}x" if "vs bare" in row else ""
        print(
            f"{row['case']:{width}} {row['ns/sample']:>10.2f} "
            f"{row['vs sklearn']:>10.2f}x {vs_bare}"
        )


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
    machine = machine_columns()
    vectors = f"{machine['vector bits']}-bit"
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(np.float64)
    raw = 3.0 * rng.standard_normal(n)
    grad, hess = np.empty(n), np.empty(n)
    sk_binary = HalfBinomialLoss()
    public, bare = public_cases(y, raw, grad, hess, gammas=(2.0, 0.5))
    binary = {
        "sklearn HalfBinomialLoss": lambda: sk_binary.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess, n_threads=1
        ),
        **kernel_cases(_kernels.binary_gradient_curvature, y, raw, 2),
        **public,
        "sklearn HalfBinomialLoss, 2 threads": lambda: sk_binary.gradient_hessian(
            y, raw, gradient_out=grad, hessian_out=hess, n_threads=2
        ),
        "numpy focal gamma=2": lambda: numpy_binary_focal(y, raw, 2.0, grad, hess),
        "copy floor": lambda: _copy_floor(y, raw, grad, hess),
    }
    rows = measure(binary, "sklearn HalfBinomialLoss", n, repeat, bare, machine)
    tables.append((f"binary, n={n} ({vectors})", rows))
    if verbose:
        print_table(*tables[-1])

    yk = rng.integers(0, n_classes, n).astype(np.float64)
    rawk = 3.0 * rng.standard_normal((n, n_classes))
    gradk, hessk = np.empty_like(rawk), np.empty_like(rawk)
    sk_multi = HalfMultinomialLoss(n_classes=n_classes)
    public, bare = public_cases(yk, rawk, gradk, hessk, gammas=(2.0,))
    softmax = {
        "sklearn HalfMultinomialLoss": lambda: sk_multi.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk, n_threads=1
        ),
        **kernel_cases(_kernels.softmax_gradient_curvature, yk, rawk, n_classes),
        **public,
        "sklearn HalfMultinomialLoss, 2 threads": lambda: sk_multi.gradient_hessian(
            yk, rawk, gradient_out=gradk, hessian_out=hessk, n_threads=2
        ),
    }
    rows = measure(softmax, "sklearn HalfMultinomialLoss", n, repeat, bare, machine)
    tables.append((f"softmax K={n_classes}, n={n} ({vectors})", rows))
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
