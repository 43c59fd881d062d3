"""Independent references: the focal loss from its definition in 50-digit arithmetic.

Nothing here uses skfocal's formulas: losses come from the definition
``-alpha_y (1 - p_y)**gamma log p_y`` with the probabilities of the link, and
derivatives from mpmath's own high-precision numerical differentiation.
"""

import mpmath as mp
import numpy as np

DPS = 50


def _binary_loss(y, z, gamma, weight):
    p = 1 / (1 + mp.exp(-z))
    p_true, p_other = (p, 1 / (1 + mp.exp(z))) if y == 1 else (1 / (1 + mp.exp(z)), p)
    return -weight * p_other**gamma * mp.log(p_true)


def _softmax_loss(y, z, gamma, weight):
    total = mp.fsum(mp.exp(v) for v in z)
    p_true = mp.exp(z[y]) / total
    p_other = mp.fsum(mp.exp(v) for k, v in enumerate(z) if k != y) / total
    return -weight * p_other**gamma * mp.log(p_true)


def binary(y, z, gamma, weight=1.0):
    """Loss, first and second derivative with respect to ``z`` (mpf values)."""
    with mp.workdps(DPS):
        z, gamma, weight = mp.mpf(float(z)), mp.mpf(float(gamma)), mp.mpf(float(weight))
        f = lambda t: _binary_loss(int(y), t, gamma, weight)  # noqa: E731
        return f(z), mp.diff(f, z), mp.diff(f, z, 2)


def softmax(y, z, gamma, weight=1.0):
    """Loss, gradient and Hessian diagonal with respect to the K scores (mpf)."""
    with mp.workdps(DPS):
        z = [mp.mpf(float(v)) for v in z]
        gamma, weight = mp.mpf(float(gamma)), mp.mpf(float(weight))
        loss = _softmax_loss(int(y), z, gamma, weight)
        grad, hess = [], []
        for k in range(len(z)):

            def f(t, k=k):
                shifted = list(z)
                shifted[k] = t
                return _softmax_loss(int(y), shifted, gamma, weight)

            grad.append(mp.diff(f, z[k]))
            hess.append(mp.diff(f, z[k], 2))
        return loss, grad, hess


def binary_p_true(y, z):
    """Probability of the true class, sigmoid(s z), in 50 digits."""
    with mp.workdps(DPS):
        s = 1 if int(y) == 1 else -1
        return 1 / (1 + mp.exp(-s * mp.mpf(float(z))))


def to_float(values):
    return np.array([float(v) for v in values], dtype=np.float64)
