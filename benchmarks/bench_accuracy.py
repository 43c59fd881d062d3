"""Accuracy of the focal-loss kernels against 50-digit arithmetic.

Runs the kernels (through ``skfocal.FocalLoss``) on raw scores spread over
``±[1e-8, 1e4]`` and reports, per gamma, the largest relative error of the loss,
gradient and curvature, and of the exact second derivative (relative to
``max(|l''|, 1e-3 |l'|)``: it passes through zero near u* = -3, where only
absolute accuracy means anything). The reference is ``tests/_reference.py``:
the definition of the loss in mpmath with mpmath's own numerical differentiation.

Usage: ``python benchmarks/bench_accuracy.py [--points 60]``
"""

import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from skfocal import FocalLoss
from tests import _reference as ref

GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0]


def binary_errors(gamma, points):
    magnitudes = np.logspace(-8, 4, points)
    z = np.concatenate([-magnitudes, [0.0], magnitudes])
    z = np.tile(z, 2)
    y = np.repeat([0.0, 1.0], z.size // 2)
    loss = FocalLoss(gamma=gamma)
    rows = [ref.binary(yi, zi, gamma) for yi, zi in zip(y, z, strict=True)]
    r_loss, r_grad, r_hess = (ref.to_float(c) for c in zip(*rows, strict=True))
    p_true = ref.to_float(
        [ref.binary_p_true(yi, zi) for yi, zi in zip(y, z, strict=True)]
    )
    grad, curvature = loss.gradient_hessian(y, z)
    exact = loss.hessian_exact(y, z)
    return {
        "loss": ref.relative_error(loss.loss(y, z), r_loss).max(),
        "gradient": ref.relative_error(grad, r_grad).max(),
        "curvature": ref.relative_error(
            curvature, (1 + gamma) * p_true * np.abs(r_grad)
        ).max(),
        "exact hessian": ref.hessian_error(exact, r_hess, r_grad).max(),
    }


def softmax_errors(gamma, points, n_classes=4, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.logspace(-2, 4, points)
    raw = scales[:, None] * rng.standard_normal((points, n_classes))
    y = rng.integers(0, n_classes, points).astype(float)
    loss = FocalLoss(gamma=gamma)
    rows = [ref.softmax(yi, zi, gamma) for yi, zi in zip(y, raw, strict=True)]
    r_loss = ref.to_float([r[0] for r in rows])
    r_grad = np.array([ref.to_float(r[1]) for r in rows])
    r_hess = np.array([ref.to_float(r[2]) for r in rows])
    exact = loss.hessian_exact(y, raw)
    return {
        "loss": ref.relative_error(loss.loss(y, raw), r_loss).max(),
        "gradient": ref.relative_error(loss.gradient(y, raw), r_grad).max(),
        "curvature": float("nan"),  # defined through l'': see the binary rows
        "exact hessian": ref.hessian_error(exact, r_hess, r_grad).max(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=60, help="scores per sign")
    args = parser.parse_args(argv)
    columns = ["loss", "gradient", "curvature", "exact hessian"]
    print(f"{'link':8} {'gamma':>5} " + " ".join(f"{c:>14}" for c in columns))
    worst = dict.fromkeys(columns, 0.0)
    for link, errors in (("binary", binary_errors), ("softmax", softmax_errors)):
        for gamma in GAMMAS:
            result = errors(gamma, args.points)
            for c in columns:
                if np.isfinite(result[c]):
                    worst[c] = max(worst[c], result[c])
            cells = " ".join(f"{result[c]:>14.2e}" for c in columns)
            print(f"{link:8} {gamma:>5g} {cells}")
    print(f"{'max':14} " + " ".join(f"{worst[c]:>14.2e}" for c in columns))


if __name__ == "__main__":
    main()
