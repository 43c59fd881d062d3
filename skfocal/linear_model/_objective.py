"""The penalised focal-loss objective of a linear model, for gradient-based solvers.

Modelled on scikit-learn's ``LinearModelLoss``: raw scores ``X @ W.T + b`` go
through the focal kernels, and the gradient comes back as ``G.T @ X``. The
objective is the weighted mean focal loss plus an L2 penalty,

    ``f(W, b) = sum_i s_i FL_i / sum_i s_i + l2_reg_strength / 2 * ||W||^2``,

which with ``l2_reg_strength = 1 / (C * sum_i s_i)`` has the minimiser of
``C * sum_i s_i FL_i + ||W||^2 / 2`` (the intercept ``b`` is not penalised).
"""

import numpy as np
import scipy.sparse as sp
from numba import njit


class FocalLinearObjective:
    """Loss and gradient of a linear model under a :class:`~skfocal.FocalLoss`.

    Parameters
    ----------
    loss : FocalLoss
        The loss; its ``alpha`` weights the classes.
    n_classes : int
        Number of classes; 2 means a binary (sigmoid) model with one score.
    fit_intercept : bool
        Whether the last column of the coefficients is an intercept.
    feature_scale : ndarray of shape (n_features,) or None, default=None
        Powers of two ``d``: the solver's coefficients ``v`` stand for the
        weights ``W = v * d`` (see :func:`feature_scale`). None: ``W = v``.

    Notes
    -----
    Coefficients are flat float64 arrays for scipy: a binary model has
    ``n_dof = n_features + fit_intercept`` of them, a softmax model the C-order
    ravel of shape ``(n_classes, n_dof)``. Buffers for the raw scores and the
    per-sample loss and gradient are allocated on the first call and reused.
    """

    def __init__(self, loss, n_classes, fit_intercept, feature_scale=None):
        self.loss = loss
        self.feature_scale = feature_scale
        self.n_classes = n_classes
        self.fit_intercept = fit_intercept
        self._n_scores = 1 if n_classes == 2 else n_classes
        self._class_weight = loss.class_weights(n_classes)
        self._buffers = None

    def coef_shape(self, n_features):
        """Shape of the unravelled coefficients: ``(n_scores, n_dof)``."""
        return self._n_scores, n_features + int(self.fit_intercept)

    def split(self, coef, n_features):
        """Weights ``W`` of shape (n_scores, n_features) and intercepts (n_scores,)."""
        coef = coef.reshape(self.coef_shape(n_features))
        weights = coef[:, :n_features]
        if self.feature_scale is not None:
            weights = weights * self.feature_scale
        intercept = coef[:, -1] if self.fit_intercept else np.zeros(self._n_scores)
        return weights, intercept

    def join(self, weights, intercept):
        """Flat coefficients of ``weights`` and ``intercept``: ``split``'s inverse."""
        n_features = weights.shape[1]
        coef = np.zeros(self.coef_shape(n_features))
        coef[:, :n_features] = weights
        if self.feature_scale is not None:
            coef[:, :n_features] /= self.feature_scale
        if self.fit_intercept:
            coef[:, -1] = intercept
        return coef.ravel()

    def raw_prediction(self, X, weights, intercept, out=None):
        """Raw scores of shape (n_samples,) for binary, (n_samples, K) otherwise."""
        weights = weights.astype(X.dtype, copy=False)
        if sp.issparse(X):
            raw = np.asarray(X @ weights.T)
        else:
            raw = np.dot(X, weights.T, out=out)
        raw += intercept.astype(X.dtype, copy=False)
        return raw[:, 0] if self._n_scores == 1 else raw

    def _get_buffers(self, X):
        n_samples = X.shape[0]
        buffers = self._buffers
        if (
            buffers is None
            or buffers[0].shape[0] != n_samples
            or buffers[0].dtype != X.dtype
        ):
            raw = np.empty((n_samples, self._n_scores), dtype=X.dtype)
            grad = np.empty_like(raw)
            # float64 even for float32 X: the line search compares objective values.
            loss = np.empty(n_samples, dtype=np.float64)
            self._buffers = buffers = (raw, grad, loss)
        return buffers

    def loss_gradient(
        self, coef, X, y, sample_weight, sample_weight_sum, l2_reg_strength
    ):
        """Objective value and its gradient with respect to the flat coefficients.

        Parameters
        ----------
        coef : ndarray of shape (n_scores * n_dof,)
            Flat coefficients.
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            float32 or float64 features; never copied.
        y : ndarray of shape (n_samples,)
            float64 class indices in {0, ..., n_classes - 1}.
        sample_weight : ndarray of shape (n_samples,) or None
            Sample weights (class weights included).
        sample_weight_sum : float
            ``sum(sample_weight)``, or ``n_samples`` when None.
        l2_reg_strength : float
            Strength of the L2 penalty on the weights.

        Returns
        -------
        loss : float
            The objective.
        gradient : ndarray of shape (n_scores * n_dof,)
            Its gradient, float64.
        """
        n_features = X.shape[1]
        weights, intercept = self.split(coef, n_features)
        raw_buf, grad_buf, loss_buf = self._get_buffers(X)
        raw = self.raw_prediction(X, weights, intercept, out=raw_buf)
        grad_raw = grad_buf[:, 0] if self._n_scores == 1 else grad_buf
        self.loss._run_kernel(
            "loss_gradient",
            y,
            raw,
            sample_weight,
            self._class_weight,
            loss=loss_buf,
            gradient=grad_raw,
        )
        loss = float(loss_buf.sum(dtype=np.float64)) / sample_weight_sum
        loss += 0.5 * l2_reg_strength * float(np.vdot(weights, weights))

        grad_buf /= grad_buf.dtype.type(sample_weight_sum)
        gradient = np.empty(self.coef_shape(n_features), dtype=np.float64)
        if sp.issparse(X):
            gradient[:, :n_features] = (X.T @ grad_buf).T
        else:
            gradient[:, :n_features] = grad_buf.T @ X
        gradient[:, :n_features] += l2_reg_strength * weights
        if self.feature_scale is not None:
            gradient[:, :n_features] *= self.feature_scale  # chain rule: W = v * d
        if self.fit_intercept:
            gradient[:, -1] = grad_buf.sum(axis=0, dtype=np.float64)
        return loss, gradient.ravel()

    def hessian(self, coef, X, y, sample_weight, sample_weight_sum, l2_reg_strength):
        """The Newton matrix of the objective at ``coef``, for the Newton solver.

        skfocal's positive curvature stands in for the focal loss's second
        derivative (the exact Hessian at ``gamma=0``), so the matrix is
        positive semi-definite, and definite with the penalty: its Newton step
        is a descent direction. For softmax, each sample's K x K block is
        ``c g g^T + |l'| (diag(r) - r r^T)`` in the notation of
        :func:`softmax_blocks`. The arguments are those of :meth:`loss_gradient`.

        Returns
        -------
        hessian : ndarray of shape (n_scores * n_dof, n_scores * n_dof)
            float64, in the order of the flat coefficients.
        """
        n_features = X.shape[1]
        weights, intercept = self.split(coef, n_features)
        raw_buf, grad_buf, _ = self._get_buffers(X)
        raw = self.raw_prediction(X, weights, intercept, out=raw_buf)
        curvature = np.empty_like(raw)
        gradient = grad_buf[:, 0] if self._n_scores == 1 else grad_buf
        self.loss._run_kernel(
            "gradient_hessian", y, raw, sample_weight, self._class_weight,
            gradient=gradient, hessian=curvature,
        )  # fmt: skip
        n_scores, n_dof = self.coef_shape(n_features)
        curvature /= curvature.dtype.type(sample_weight_sum)
        if n_scores == 1:
            hessian = weighted_gram(X, curvature, self.fit_intercept, nonnegative=True)
        else:
            gradient /= gradient.dtype.type(sample_weight_sum)
            blocks = softmax_blocks(y.astype(np.intp), gradient, curvature)
            hessian = np.empty((n_scores, n_dof, n_scores, n_dof))
            for k in range(n_scores):
                for m in range(k, n_scores):
                    gram = weighted_gram(
                        X, blocks[:, k, m], self.fit_intercept, nonnegative=k == m
                    )
                    hessian[k, :, m, :] = gram
                    hessian[m, :, k, :] = gram.T
            hessian = hessian.reshape(n_scores * n_dof, n_scores * n_dof)
        # The penalty on the weights, not the intercepts.
        penalised = (
            np.arange(n_scores)[:, None] * n_dof + np.arange(n_features)
        ).ravel()
        hessian[penalised, penalised] += l2_reg_strength
        if self.feature_scale is not None:  # chain rule: W = v * d
            scale = np.ones(n_dof)
            scale[:n_features] = self.feature_scale
            scale = np.tile(scale, n_scores)
            hessian *= scale[:, None]
            hessian *= scale[None, :]
        return hessian


def softmax_blocks(y, gradient, curvature):
    """Each sample's K x K Newton block of the softmax focal loss.

    With ``u = z_y - logsumexp_{k != y} z_k`` and ``r`` the softmax of the other
    scores (``r_y = 0``), the loss ``alpha_y l(u)`` has the Hessian
    ``alpha_y [l''(u) g g^T + |l'(u)| (diag(r) - r r^T)]``, ``g = e_y - r``
    (the second term is ``l'`` times the Hessian of ``u``). The softmax kernel
    gives ``gradient = alpha_y |l'| (r - e_y)`` and the curvature diagonal,
    whose ``y`` entry is ``alpha_y c``: both terms follow from them, with ``c``
    for ``l''``. At ``gamma=0`` this is ``diag(p) - p p^T``.
    """
    rows = np.arange(len(y))
    slope = -gradient[rows, y]  # alpha_y |l'(u)|, sample weight included
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(slope[:, None] > 0, gradient / slope[:, None], 0.0)
    r[rows, y] = 0.0
    g = -r
    g[rows, y] = 1.0
    blocks = curvature[rows, y][:, None, None] * g[:, :, None] * g[:, None, :]
    blocks -= slope[:, None, None] * r[:, :, None] * r[:, None, :]
    blocks[:, range(r.shape[1]), range(r.shape[1])] += slope[:, None] * r
    return blocks.astype(gradient.dtype, copy=False)


def weighted_gram(X, h, fit_intercept, nonnegative=False):
    """``[X, 1]^T diag(h) [X, 1]`` (without the ones when no intercept), float64.

    With ``nonnegative`` h, dense X is scaled by ``sqrt(h)`` so that the product
    of the scaled matrix with its own transpose goes to BLAS's symmetric
    ``syrk`` (numpy detects it): a fraction of a general product's time. Dense
    X is taken in blocks of rows, whose scaled copies stay in the cache.
    """
    n_features = X.shape[1]
    h = h.astype(X.dtype, copy=False)
    if sp.issparse(X):
        weighted = X.copy()
        if X.format == "csr":
            weighted.data *= np.repeat(h, np.diff(X.indptr))
        else:
            weighted.data *= h[X.indices]
        gram = (X.T @ weighted).toarray()
    else:
        gram = np.zeros((n_features, n_features))
        root = np.sqrt(h) if nonnegative else None
        # Row blocks: the scaled copy stays small (not another X in memory).
        for start in range(0, X.shape[0], _GRAM_ROWS):
            rows = slice(start, start + _GRAM_ROWS)
            if nonnegative:
                scaled = X[rows] * root[rows, None]
                gram += scaled.T @ scaled
            else:
                gram += X[rows].T @ (X[rows] * h[rows, None])
    out = np.empty((n_features + int(fit_intercept),) * 2)
    out[:n_features, :n_features] = gram
    if fit_intercept:
        out[:n_features, -1] = out[-1, :n_features] = np.asarray(X.T @ h).ravel()
        out[-1, -1] = h.sum(dtype=np.float64)
    return out


# Rows per block of the dense Newton matrix's product (about as fast from
# 4,096 to 16,384 rows, a third faster than the whole X at once).
_GRAM_ROWS = 8192

# Features up to this magnitude are used as they are.
_SCALE_LIMIT = 2.0**32


_jit = njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _max_abs_by_row(X, out):
    """Column maxima of |X| for C-ordered X: the inner loop runs along memory."""
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            out[j] = max(out[j], abs(X[i, j]))


@_jit
def _max_abs_by_column(X, out):
    """Column maxima of |X| for any other layout (Fortran order: along memory)."""
    for j in range(X.shape[1]):
        for i in range(X.shape[0]):
            out[j] = max(out[j], abs(X[i, j]))


@_jit
def _max_abs_csr(data, indices, out):
    for k in range(data.shape[0]):
        out[indices[k]] = max(out[indices[k]], abs(data[k]))


@_jit
def _max_abs_csc(data, indptr, out):
    for j in range(indptr.shape[0] - 1):
        for k in range(indptr[j], indptr[j + 1]):
            out[j] = max(out[j], abs(data[k]))


def feature_scale(X):
    """Powers of two that bring huge feature columns near magnitude 1, or None.

    L-BFGS-B stops in its first line search ("ABNORMAL") on features of magnitude
    1e50 or more, here as in scikit-learn's LogisticRegression. Solving for
    ``v = W / d`` instead of ``W``, with ``d`` the power of two nearest
    ``1 / max |X_j|`` for such columns, is the same problem (same minimiser,
    exact scaling) on well-scaled numbers. Columns up to 2**32 keep ``d = 1``;
    None if all do. One pass over X, no copy.
    """
    return scale_of_magnitudes(column_magnitudes(X))


def column_magnitudes(X):
    """The largest absolute value of each column of X, in one pass."""
    magnitude = np.zeros(X.shape[1], dtype=X.dtype)
    if sp.issparse(X) and X.format == "csc":
        _max_abs_csc(X.data, X.indptr, magnitude)
    elif sp.issparse(X):
        _max_abs_csr(X.data, X.indices, magnitude)
    elif X.flags.c_contiguous:
        _max_abs_by_row(X, magnitude)
    else:
        _max_abs_by_column(X, magnitude)
    return magnitude


def scale_of_magnitudes(magnitude):
    """:func:`feature_scale` from the columns' largest absolute values."""
    extreme = magnitude > _SCALE_LIMIT
    if not np.any(extreme):
        return None
    exponent = np.frexp(magnitude.astype(np.float64))[1]
    return np.where(extreme, np.ldexp(1.0, -exponent), 1.0)
