"""`FocalLoss`: the one loss object every front end (linear model, boosters) uses."""

import numpy as np
from scipy.special import expit, softmax

from . import _kernels
from ._posterior import (
    binary_optimal_score,
    posterior_from_logits,
    softmax_logits,
    softmax_optimal_probabilities,
)
from ._threads import sum_over_chunks
from ._validation import (
    assert_all_finite,
    check_alpha,
    check_arrays,
    check_gamma,
    check_label_array,
    check_labels,
    check_n_classes,
    check_n_threads,
    check_out,
    check_raw_prediction,
    check_sample_weight,
    class_weight_vector,
    read_only,
)

__all__ = ["FocalLoss"]

_BINARY = {
    "loss": _kernels.binary_loss,
    "loss_gradient": _kernels.binary_loss_gradient,
    "gradient": _kernels.binary_gradient,
    "gradient_hessian": _kernels.binary_gradient_curvature,
    "hessian_exact": _kernels.binary_hessian_exact,
}
# The buffers each kind of kernel writes, in the kernels' argument order.
_OUTPUTS = {
    "loss": ("loss",),
    "loss_gradient": ("loss", "gradient"),
    "gradient": ("gradient",),
    "gradient_hessian": ("gradient", "hessian"),
    "hessian_exact": ("hessian",),
}
_SOFTMAX = {
    "loss": _kernels.softmax_loss,
    "loss_gradient": _kernels.softmax_loss_gradient,
    "gradient": _kernels.softmax_gradient,
    "gradient_hessian": _kernels.softmax_gradient_curvature,
    "hessian_exact": _kernels.softmax_hessian_exact,
}


class FocalLoss:
    r"""Focal loss of raw scores: values, gradients, curvature and link.

    For a sample of class :math:`y` whose model probability of that class is
    :math:`p_t`, the focal loss (Lin et al., 2017) is

    .. math:: \mathrm{FL}(p_t) = -\alpha_y (1 - p_t)^\gamma \log p_t .

    Binary problems use raw scores of shape ``(n_samples,)`` with
    :math:`p = \mathrm{sigmoid}(z)` the probability of class 1; problems with
    ``K >= 2`` classes use raw scores of shape ``(n_samples, K)`` with the
    softmax link. All derivatives are with respect to the raw scores and are
    exact and finite for every finite raw score.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, any finite real >= 0. ``gamma=0`` is the
        cross-entropy (logistic / multinomial loss).
    alpha : None, float or array-like of shape (n_classes,), default=None
        Class weights :math:`\alpha_y`. None weights every class by 1. A float
        in (0, 1) is binary only: weight ``alpha`` for class 1 and
        ``1 - alpha`` for class 0. An array gives one positive weight per class.

    Attributes
    ----------
    gamma : float
        The validated focusing parameter.
    alpha : None, float or ndarray of shape (n_classes,)
        The validated class weights (an array is stored read-only).

    See Also
    --------
    skfocal.metrics.focal_loss : The focal loss of predicted probabilities.

    Notes
    -----
    The focal loss is not convex in the raw score for ``gamma > 0``: its second
    derivative is negative for badly misclassified samples. :meth:`gradient_hessian`
    therefore returns a positive curvature
    :math:`c = \alpha_y (1 + \gamma) p_t |l'|` that bounds the exact second
    derivative from above (equal at ``gamma=0``), which keeps Newton steps
    (LightGBM leaves, second-order solvers) descent directions. The exact second
    derivative is :meth:`hessian_exact`.

    References
    ----------
    T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for Dense
    Object Detection", ICCV 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from skfocal import FocalLoss
    >>> loss = FocalLoss(gamma=2.0)
    >>> y = np.array([0, 1, 1])
    >>> raw = np.array([-2.0, 0.0, 3.0])
    >>> loss.loss(y, raw).round(4)
    array([1.800e-03, 1.733e-01, 1.000e-04])
    >>> grad, hess = loss.gradient_hessian(y, raw)
    >>> grad.round(4)
    array([ 0.0049, -0.2983, -0.0003])
    >>> bool((hess > 0).all())
    True
    """

    def __init__(self, gamma=2.0, alpha=None):
        self.gamma = check_gamma(gamma)
        self.alpha = check_alpha(alpha)

    def __repr__(self):
        alpha = (
            self.alpha.tolist() if isinstance(self.alpha, np.ndarray) else self.alpha
        )
        return f"FocalLoss(gamma={self.gamma!r}, alpha={alpha!r})"

    # ---------------------------------------------------------------- helpers
    def class_weights(self, n_classes):
        """Per-class weights :math:`\\alpha_k`.

        Parameters
        ----------
        n_classes : int
            Number of classes (2 for a binary problem).

        Returns
        -------
        class_weight : ndarray of shape (n_classes,)
            Ones when ``alpha`` is None, ``(1 - alpha, alpha)`` for a float.

        Examples
        --------
        >>> from skfocal import FocalLoss
        >>> FocalLoss(alpha=0.25).class_weights(2)
        array([0.75, 0.25])
        """
        return class_weight_vector(self.alpha, check_n_classes(n_classes))

    def _compute(self, kind, y_true, raw_prediction, sample_weight, n_threads, outs):
        """The public methods' body: checks without a pass over the labels and
        scores, whose invalid values the kernel counts in its own pass.

        Any error, or a count that is not zero, runs every check in turn
        (:func:`check_arrays`), so that bad input raises what it always did.
        """
        try:
            raw = check_raw_prediction(raw_prediction, finite=False)
            n_samples = raw.shape[0]
            n_classes = 2 if raw.ndim == 1 else raw.shape[1]
            y = check_label_array(y_true, n_samples, keep=_kernels.LABEL_DTYPES)
            sw = check_sample_weight(sample_weight, n_samples)
            cw = class_weight_vector(self.alpha, n_classes)
            outs = {name: self._output(out, name, raw) for name, out in outs.items()}
            n_threads = check_n_threads(n_threads)
            invalid = self._run_kernel(
                kind, y, raw, sw, cw, n_threads=n_threads, **outs
            )
        except (TypeError, ValueError):
            check_arrays(y_true, raw_prediction, sample_weight)  # errors in this order
            raise
        if invalid:
            check_arrays(y_true, raw_prediction, sample_weight)
            raise AssertionError(f"{invalid} invalid values that no check finds.")
        results = tuple(outs.values())
        return results if len(results) > 1 else results[0]

    def _run_kernel(
        self,
        kind,
        y,
        raw,
        sample_weight,
        class_weight,
        *,
        loss=None,
        gradient=None,
        hessian=None,
        n_threads=1,
        hessian_scale=None,
    ):
        """Run kernel ``kind`` on checked arrays, without reading their values.

        Private: the public methods check their input and call this; the linear
        model's objective and the boosting callables, which check their labels
        and weights once per array (not once per iteration), call it directly.

        Parameters
        ----------
        kind : {"loss", "loss_gradient", "gradient", "gradient_hessian", \
"hessian_exact"}
            What to compute; ``"gradient_hessian"`` is the positive curvature.
        y : float64 or int64 ndarray of shape (n_samples,)
            Class indices in {0, ..., K - 1}; others are counted (see Returns).
        raw : C-contiguous float32 or float64 ndarray of shape (n_samples,) or \
(n_samples, K)
            Raw scores; non-finite ones are counted (see Returns).
        sample_weight : float64 ndarray of shape (n_samples,) or None
            Sample weights.
        class_weight : ndarray of shape (n_classes,)
            From :meth:`class_weights`.
        loss, gradient, hessian : ndarray, default=None
            The output buffers ``kind`` writes, by name (shape ``(n_samples,)``
            for the loss, the scores' shape for the others; float32 or float64,
            any order for 2-d buffers).
        n_threads : int, default=1
            Threads to split the rows over (from 50,000 rows per thread).
        hessian_scale : float, default=None
            Softmax ``"gradient_hessian"`` only: factor of the curvature
            (LightGBM's K / (K - 1)).

        Returns
        -------
        invalid : int
            The number of labels not in {0, ..., K - 1} (NaN included) plus the
            number of raw scores that are NaN or infinite, counted in the
            kernel's own pass (summed over the chunks). Zero for valid input;
            otherwise the outputs of those rows are meaningless, and a caller
            that has not checked the values raises.

        Notes
        -----
        With ``n_threads > 1`` the rows are split into contiguous chunks computed
        at once: this thread takes one, a shared thread pool the others. The
        kernels release the GIL, and plain threads (not Numba's threading layer)
        cannot clash with joblib's workers (``skfocal/_threads.py``).
        """
        given = {"loss": loss, "gradient": gradient, "hessian": hessian}
        wanted = _OUTPUTS[kind]
        if {name for name, out in given.items() if out is not None} != set(wanted):
            raise TypeError(f"kernel {kind!r} writes exactly {wanted}.")
        outs = [given[name] for name in wanted]
        options = {}  # the softmax curvature always gets a scale: one specialisation
        if hessian_scale is not None or (raw.ndim == 2 and kind == "gradient_hessian"):
            options["hessian_scale"] = 1.0 if hessian_scale is None else hessian_scale
        y, raw, class_weight = read_only(y), read_only(raw), read_only(class_weight)
        sw = None if sample_weight is None else read_only(sample_weight)
        kernel = (_BINARY if raw.ndim == 1 else _SOFTMAX)[kind]

        def chunk(start, stop):
            return kernel(
                y[start:stop],
                raw[start:stop],
                self.gamma,
                class_weight,
                None if sw is None else sw[start:stop],
                *(out[start:stop] for out in outs),
                **options,
            )

        return sum_over_chunks(chunk, raw.shape[0], n_threads)

    @staticmethod
    def _output(out, name, raw):
        """The checked buffer ``{name}_out``, or a new one of the scores' dtype."""
        shape = raw.shape[:1] if name == "loss" else raw.shape
        if out is None:
            return np.empty(shape, dtype=raw.dtype)
        return check_out(out, shape, f"{name}_out")

    # ------------------------------------------------------------ per sample
    def loss(
        self, y_true, raw_prediction, sample_weight=None, loss_out=None, n_threads=1
    ):
        """Per-sample focal loss.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Class indices: {0, 1} for binary, {0, ..., K - 1} for softmax.
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores (logits). float32 input is computed in float64.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights multiplying each sample's loss.
        loss_out : ndarray of shape (n_samples,), default=None
            Buffer to write the result into (float32 or float64).
        n_threads : int, default=1
            Threads to split the rows over (used from 100,000 rows on);
            -1 uses every CPU, as ``n_jobs=-1``.

        Returns
        -------
        loss : ndarray of shape (n_samples,)
            ``alpha_y * w_i * FL_i``, of raw_prediction's float dtype unless
            ``loss_out`` is given.

        Raises
        ------
        ValueError
            If an array is invalid; labels and scores are checked by the kernel
            as it computes, so ``loss_out`` may already be written.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> FocalLoss(gamma=0.0).loss([1, 0], np.zeros(2)).round(6)
        array([0.693147, 0.693147])
        """
        outs = {"loss": loss_out}
        return self._compute(
            "loss", y_true, raw_prediction, sample_weight, n_threads, outs
        )

    def loss_gradient(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        loss_out=None,
        gradient_out=None,
        n_threads=1,
    ):
        """Per-sample loss and its gradient with respect to the raw scores, in one pass.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Class indices.
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.
        loss_out : ndarray of shape (n_samples,), default=None
            Buffer for the loss.
        gradient_out : ndarray of raw_prediction's shape, default=None
            Buffer for the gradient.
        n_threads : int, default=1
            Threads to split the rows over (used from 100,000 rows on);
            -1 uses every CPU, as ``n_jobs=-1``.

        Returns
        -------
        loss : ndarray of shape (n_samples,)
            Per-sample weighted loss.
        gradient : ndarray of raw_prediction's shape
            Derivative of each sample's loss with respect to its raw score(s).

        Raises
        ------
        ValueError
            If an array is invalid; labels and scores are checked by the kernel
            as it computes, so the buffers given may already be written.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> loss, grad = FocalLoss(gamma=0.0).loss_gradient([1], np.array([0.0]))
        >>> grad
        array([-0.5])
        """
        outs = {"loss": loss_out, "gradient": gradient_out}
        return self._compute(
            "loss_gradient", y_true, raw_prediction, sample_weight, n_threads, outs
        )

    def gradient(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        gradient_out=None,
        n_threads=1,
    ):
        """Gradient of each sample's loss with respect to its raw score(s).

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Class indices.
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.
        gradient_out : ndarray of raw_prediction's shape, default=None
            Buffer for the result.
        n_threads : int, default=1
            Threads to split the rows over (used from 100,000 rows on);
            -1 uses every CPU, as ``n_jobs=-1``.

        Returns
        -------
        gradient : ndarray of raw_prediction's shape
            At ``gamma=0`` this is ``p - y`` (binary) or ``p - onehot(y)``.

        Raises
        ------
        ValueError
            If an array is invalid; labels and scores are checked by the kernel
            as it computes, so ``gradient_out`` may already be written.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> FocalLoss(gamma=0.0).gradient([0, 1], np.array([0.0, 0.0]))
        array([ 0.5, -0.5])
        """
        outs = {"gradient": gradient_out}
        return self._compute(
            "gradient", y_true, raw_prediction, sample_weight, n_threads, outs
        )

    def gradient_hessian(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        gradient_out=None,
        hessian_out=None,
        n_threads=1,
    ):
        """Gradient and positive Newton curvature with respect to the raw scores.

        The curvature replaces the signed second derivative ``l''`` of the focal
        atom by ``c = (1 + gamma) p_t |l'|``: positive everywhere, never below
        ``l''`` and equal to it at ``gamma=0``. For softmax the result is the
        diagonal of the Hessian with that replacement. Use :meth:`hessian_exact`
        for the exact second derivative.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Class indices.
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.
        gradient_out : ndarray of raw_prediction's shape, default=None
            Buffer for the gradient.
        hessian_out : ndarray of raw_prediction's shape, default=None
            Buffer for the curvature.
        n_threads : int, default=1
            Threads to split the rows over (used from 100,000 rows on);
            -1 uses every CPU, as ``n_jobs=-1``.

        Returns
        -------
        gradient : ndarray of raw_prediction's shape
            First derivative.
        hessian : ndarray of raw_prediction's shape
            Positive curvature (diagonal for softmax).

        Raises
        ------
        ValueError
            If an array is invalid; labels and scores are checked by the kernel
            as it computes, so the buffers given may already be written.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> grad, hess = FocalLoss(gamma=0.0).gradient_hessian([1], np.array([0.0]))
        >>> grad, hess
        (array([-0.5]), array([0.25]))
        """
        outs = {"gradient": gradient_out, "hessian": hessian_out}
        return self._compute(
            "gradient_hessian", y_true, raw_prediction, sample_weight, n_threads, outs
        )

    # The public methods' docstrings repeat their shared parameters on purpose
    # (numpydoc: each documents its own).
    def hessian_exact(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        hessian_out=None,
        n_threads=1,
    ):
        """Exact second derivative (binary) or exact Hessian diagonal (softmax).

        Negative for badly misclassified samples when ``gamma > 0``; do not hand
        it to a Newton solver as is (see :meth:`gradient_hessian`).

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Class indices.
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.
        hessian_out : ndarray of raw_prediction's shape, default=None
            Buffer for the result.
        n_threads : int, default=1
            Threads to split the rows over (used from 100,000 rows on);
            -1 uses every CPU, as ``n_jobs=-1``.

        Returns
        -------
        hessian : ndarray of raw_prediction's shape
            Signed second derivatives.

        Raises
        ------
        ValueError
            If an array is invalid; labels and scores are checked by the kernel
            as it computes, so ``hessian_out`` may already be written.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> bool(FocalLoss(gamma=2.0).hessian_exact([1], np.array([-5.0]))[0] < 0)
        True
        """
        outs = {"hessian": hessian_out}
        return self._compute(
            "hessian_exact", y_true, raw_prediction, sample_weight, n_threads, outs
        )

    # ------------------------------------------------------------- constants
    def init_score(self, y_true, sample_weight=None, n_classes=None):
        """Optimal constant raw score: the best prediction before any feature is used.

        This is what LightGBM's ``boost_from_average`` and an intercept-only
        model would start from. It is not the log-odds when ``gamma > 0``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Class indices in {0, ..., n_classes - 1}.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.
        n_classes : int, default=None
            Number of classes; ``max(y_true) + 1`` when None. 2 means binary.

        Returns
        -------
        init_score : float or ndarray of shape (n_classes,)
            Binary: the score ``z`` minimising the total weighted focal loss of
            the constant prediction ``sigmoid(z)``. Softmax: centred log
            probabilities (sum zero) of the optimal constant prediction; a class
            absent from ``y_true`` gets the finite score of probability
            ``finfo(float64).eps``. At ``gamma=0`` these are the weighted
            log-odds (binary, plus ``log(alpha / (1 - alpha))`` with ``alpha``)
            and the centred log priors.

        Raises
        ------
        ValueError
            If fewer than two classes carry positive weight.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> y = np.r_[np.ones(1), np.zeros(99)]
        >>> round(FocalLoss(gamma=2.0).init_score(y), 6)
        -1.706453
        >>> round(FocalLoss(gamma=0.0).init_score(y), 6)  # the log-odds log(1/99)
        -4.59512
        """
        y = np.asarray(y_true)
        if y.ndim != 1 or y.shape[0] == 0:
            raise ValueError(
                f"y_true must be a non-empty 1-d array, got shape {y.shape}."
            )
        if n_classes is None:
            if y.dtype.kind not in "biuf":
                raise ValueError(
                    f"y_true must hold integer class indices, got dtype {y.dtype}."
                )
            assert_all_finite(y, "y_true")  # before int(max(y)) below
            n_classes = max(int(np.max(y)) + 1, 2)
        n_classes = check_n_classes(n_classes)
        y = check_labels(y, y.shape[0], n_classes)
        sw = check_sample_weight(sample_weight, y.shape[0])
        totals = np.bincount(y.astype(np.intp), weights=sw, minlength=n_classes)
        return self.init_score_from_totals(totals)

    def init_score_from_totals(self, totals):
        """:meth:`init_score` from the total sample weight of each class.

        The optimal constant score depends on the labels only through these
        totals: callers that sum the weights themselves (one reduction over a
        Dask collection, class weights applied) start here.

        Parameters
        ----------
        totals : array-like of shape (n_classes,)
            Total (weighted) count of each class; 2 entries for a binary problem.

        Returns
        -------
        init_score : float or ndarray of shape (n_classes,)
            As :meth:`init_score`.

        Examples
        --------
        >>> from skfocal import FocalLoss
        >>> round(FocalLoss(gamma=2.0).init_score_from_totals([99.0, 1.0]), 6)
        -1.706453
        """
        totals = np.asarray(totals, dtype=np.float64)
        n_classes = totals.shape[0]
        masses = totals * class_weight_vector(self.alpha, n_classes)
        if np.count_nonzero(masses > 0) < 2:
            raise ValueError(
                "y_true must contain at least two classes with positive total "
                f"weight to fit a classifier; found class totals {totals.tolist()}."
            )
        if n_classes == 2:
            return binary_optimal_score(masses[0], masses[1], self.gamma)
        prob = softmax_optimal_probabilities(masses, self.gamma)
        log_prob = np.log(np.clip(prob, np.finfo(np.float64).eps, None))
        return log_prob - log_prob.mean()

    # ------------------------------------------------------------------ link
    def predict_proba(self, raw_prediction):
        """Model probabilities: sigmoid (binary) or softmax of the raw scores.

        These are the probabilities the focal loss was fitted on; with
        ``gamma > 0`` they are pulled towards 1/2 (see :meth:`posterior`).

        Parameters
        ----------
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2) or (n_samples, K)
            Rows sum to 1.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> FocalLoss().predict_proba(np.array([0.0, np.log(3)])).round(3)
        array([[0.5 , 0.5 ],
               [0.25, 0.75]])
        """
        raw = check_raw_prediction(raw_prediction)
        if raw.ndim == 1:
            z = raw.astype(np.float64)
            proba = np.column_stack([expit(-z), expit(z)])
        else:
            proba = softmax(raw.astype(np.float64), axis=1)
        return proba.astype(raw.dtype, copy=False)

    def posterior(self, raw_prediction):
        """Recovered class probabilities: the focal distortion of ``gamma`` undone.

        The population minimiser of the focal loss pulls probabilities towards
        1/2 (at ``gamma=2`` a true probability of 0.001 is learned as 0.073).
        Writing ``phi(P) = -(1 - P)**gamma log P``, the true probabilities
        satisfy ``eta_k`` proportional to ``1 / |phi'(p_k)|``, which this method
        evaluates in log space from the raw scores. It depends on ``gamma``
        only: ``alpha`` stays a reweighting of the classes, as ``class_weight``
        does in scikit-learn's ``LogisticRegression.predict_proba``. It is the
        identity at ``gamma=0`` and keeps the arg-max of every row.

        Parameters
        ----------
        raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
            Raw scores.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2) or (n_samples, K)
            Rows sum to 1.

        References
        ----------
        N. Charoenphakdee, J. Vongkulbhisal, N. Chairatanakul and M. Sugiyama,
        "On Focal Loss for Class-Posterior Probability Estimation: A Theoretical
        Perspective", CVPR 2021.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal import FocalLoss
        >>> loss = FocalLoss(gamma=2.0)
        >>> raw = np.log(np.array([0.073, 0.846]) / (1 - np.array([0.073, 0.846])))
        >>> loss.posterior(raw)[:, 1].round(3)
        array([0.001, 0.99 ])
        """
        raw = check_raw_prediction(raw_prediction)
        z = raw.astype(np.float64)
        logits = np.column_stack([-z, z]) if raw.ndim == 1 else softmax_logits(z)
        return posterior_from_logits(logits, self.gamma).astype(raw.dtype, copy=False)
