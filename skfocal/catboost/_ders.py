"""The focal derivatives in CatBoost's layout, compiled.

CatBoost maximises its objective: it takes the first and second derivatives of
minus the loss, per row. A binary objective's ``calc_ders_range`` gets blocks
of a few hundred rows and returns them as one ``(n, 2)`` array; a multiclass
objective's ``calc_ders_multi`` gets one row and returns a K-vector and a K x K
matrix. These functions run skfocal's kernels (gradient and positive
curvature) and write their negatives in that layout in one compiled call: at
a few hundred rows per call, a Python step per array would cost as much as
the kernel.
"""

import numpy as np

from .. import _kernels


@_kernels._jit
def binary_ders(y, raw, gamma, class_weight, sample_weight, out):
    """Minus the gradient and minus the curvature of each row into ``out`` (n, 2).

    Returns the number of invalid labels and raw scores (the kernel's count).
    """
    n = raw.shape[0]
    gradient = np.empty(n)
    curvature = np.empty(n)
    invalid = _kernels.binary_gradient_curvature(
        y, raw, gamma, class_weight, sample_weight, gradient, curvature
    )
    for i in range(n):
        out[i, 0] = -gradient[i]
        out[i, 1] = -curvature[i]
    return invalid


@_kernels._jit
def softmax_ders(label, raw, gamma, class_weight, weight, first, second):
    """One row: minus the gradient into ``first`` (K,), minus the curvature on
    the diagonal of ``second`` (K, K), zeros elsewhere.

    Returns the number of invalid values (label and scores) in the row.
    """
    n_classes = raw.shape[0]
    gradient = np.empty((1, n_classes))
    curvature = np.empty((1, n_classes))
    invalid = _kernels.softmax_gradient_curvature(
        np.full(1, label), raw.reshape(1, n_classes), gamma, class_weight,
        np.full(1, weight), gradient, curvature, 1.0,
    )  # fmt: skip
    second[:] = 0.0
    for k in range(n_classes):
        first[k] = -gradient[0, k]
        second[k, k] = -curvature[0, k]
    return invalid
