"""Independent references: the focal loss from its definition in 50-digit arithmetic.

Nothing here uses skfocal's formulas: losses come from the definition
``-alpha_y (1 - p_y)**gamma log p_y`` with the probabilities of the link, and
derivatives from mpmath's own high-precision numerical differentiation. ``log p``
is taken as ``-log1p(sum_{k != y} exp(z_k - z_y))`` so that it keeps 50 significant
digits when ``p`` is next to 1 (``log(p)`` of a 50-digit ``p`` would round to 0).
"""

import mpmath as mp
import numpy as np

DPS = 50


def _binary_loss(y, z, gamma, weight):
    u = z if y == 1 else -z
    # log p = -log(1 + exp(-u)): log1p keeps 50 digits of 1 - p when p is next to 1.
    log_p_true = -mp.log1p(mp.exp(-u))
    p_other = 1 / (1 + mp.exp(u))
    return -weight * p_other**gamma * log_p_true


def _softmax_loss(y, z, gamma, weight):
    others = mp.fsum(mp.exp(v - z[y]) for k, v in enumerate(z) if k != y)
    log_p_true = -mp.log1p(others)
    p_other = others / (1 + others)
    return -weight * p_other**gamma * log_p_true


def binary(y, z, gamma, weight=1.0):
    """Loss, first and second derivative with respect to ``z`` (mpf values)."""
    with mp.workdps(DPS):
        z, gamma, weight = mp.mpf(float(z)), mp.mpf(float(gamma)), mp.mpf(float(weight))
        f = lambda t: _binary_loss(int(y), t, gamma, weight)  # noqa: E731
        return f(z), mp.diff(f, z), mp.diff(f, z, 2)


def softmax(y, z, gamma, weight=1.0):
    """Loss, gradient and Hessian diagonal with respect to the K scores (mpf)."""
    # A gradient entry p_k can be exp(-spread) times the loss: mp.diff needs that
    # many more digits to resolve it (capped where float64 underflows anyway).
    spread = min(float(np.max(z) - np.min(z)), 760.0)
    with mp.workdps(DPS + int(spread / 2.302585) + 10):
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


TINY = np.finfo(np.float64).tiny


def relative_error(value, reference):
    """Elementwise |value - reference| / |reference|; 0 where both underflow float64."""
    value = np.asarray(value, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    both_tiny = (np.abs(reference) < TINY) & (np.abs(value) < TINY)
    err = np.abs(value - reference) / np.maximum(np.abs(reference), TINY)
    return np.where(both_tiny, 0.0, err)


def hessian_error(value, reference, reference_gradient):
    """Relative error of a second derivative.

    Where it passes through zero only absolute accuracy is meaningful, so the
    error is measured against ``max(|reference|, 1e-3 |reference_gradient|)``.
    """
    value = np.asarray(value, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    scale = np.maximum(np.abs(reference), 1e-3 * np.abs(reference_gradient))
    both_tiny = (scale < TINY) & (np.abs(value) < TINY)
    err = np.abs(value - reference) / np.maximum(scale, TINY)
    return np.where(both_tiny, 0.0, err)
