"""Evaluation metrics: the focal loss of predicted probabilities and the expected
calibration error."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.utils import (
    assert_all_finite,
    check_array,
    check_consistent_length,
    column_or_1d,
)
from sklearn.utils.multiclass import unique_labels

from ._validation import (
    check_alpha,
    check_gamma,
    check_sample_weight,
    class_weight_vector,
)

__all__ = ["expected_calibration_error", "focal_loss"]


def focal_loss(
    y_true, y_prob, *, gamma=2.0, alpha=None, sample_weight=None, labels=None
):
    r"""Mean focal loss of predicted probabilities, in the shape of ``log_loss``.

    For each sample with true class :math:`y` and predicted probability
    :math:`p_t` of that class, the focal loss is
    :math:`-\alpha_y (1 - p_t)^\gamma \log p_t`; this returns its (weighted)
    mean. At ``gamma=0`` and ``alpha=None`` it equals
    :func:`sklearn.metrics.log_loss`, including its clipping of probabilities
    to ``[eps, 1 - eps]``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, of any type (ints, strings, ...).
    y_prob : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted probabilities, as returned by ``predict_proba``. A 1-d array
        is the probability of the positive class (the larger of two labels).
        Columns are in the order of the sorted labels.
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (n_classes,), default=None
        Class weights. A float in (0, 1) weights the positive (second) class by
        ``alpha`` and the other by ``1 - alpha`` (binary only); an array gives
        one positive weight per class, in the order of the sorted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    labels : array-like, default=None
        The classes. Inferred from ``y_true`` when None.

    Returns
    -------
    loss : float
        The weighted mean focal loss; lower is better.

    See Also
    --------
    sklearn.metrics.log_loss : The special case ``gamma=0``.
    skfocal.FocalLoss : The focal loss of raw scores, with derivatives.

    Examples
    --------
    >>> from skfocal.metrics import focal_loss
    >>> y_true = ["spam", "ham", "ham", "spam"]
    >>> y_prob = [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
    >>> round(focal_loss(y_true, y_prob, gamma=0.0), 5)  # log_loss
    0.21616
    >>> round(focal_loss(y_true, y_prob, gamma=2.0), 5)
    0.01595

    As a scorer for model selection (lower is better):

    >>> from sklearn.metrics import make_scorer
    >>> scorer = make_scorer(focal_loss, greater_is_better=False,
    ...                      response_method="predict_proba", gamma=2.0)
    """
    gamma = check_gamma(gamma)
    alpha = check_alpha(alpha)
    y_prob, y_true = _check_targets(y_true, y_prob)
    check_consistent_length(y_prob, y_true, sample_weight)
    sample_weight = check_sample_weight(
        sample_weight, y_true.shape[0], positive_sum=True
    )
    if y_prob.ndim > 2:
        raise ValueError(f"y_prob must be 1-d or 2-d, got shape {y_prob.shape}.")
    if np.max(y_prob) > 1:
        raise ValueError(f"y_prob contains values greater than 1: {np.max(y_prob)}")
    if np.min(y_prob) < 0:
        raise ValueError(f"y_prob contains values lower than 0: {np.min(y_prob)}")

    classes = unique_labels(y_true if labels is None else labels)
    if classes.shape[0] < 2:
        raise ValueError(
            f"y_true contains only one label ({classes[:1].tolist()[0]!r}). Please "
            "provide the true labels explicitly through the labels argument."
        )
    target = np.minimum(np.searchsorted(classes, y_true), classes.shape[0] - 1)
    unknown = classes[target] != y_true
    if np.any(unknown):
        raise ValueError(
            "y_true contains labels that are not in labels: "
            f"{np.unique(y_true[unknown])[:5].tolist()}."
        )

    if y_prob.ndim == 1:
        y_prob = y_prob[:, None]
    if y_prob.shape[1] == 1:
        y_prob = np.column_stack([1 - y_prob[:, 0], y_prob[:, 0]])
    if y_prob.shape[1] != classes.shape[0]:
        raise ValueError(
            f"y_prob has {y_prob.shape[1]} columns but there are "
            f"{classes.shape[0]} classes ({classes.tolist()}). Pass the labels "
            "explicitly through the labels argument if y_true misses a class."
        )
    eps = np.finfo(y_prob.dtype).eps
    if not np.allclose(y_prob.sum(axis=1), 1, rtol=np.sqrt(eps)):
        warnings.warn(
            "The y_prob values do not sum to one. Make sure to pass probabilities.",
            UserWarning,
            stacklevel=2,
        )

    p_true = np.clip(y_prob[np.arange(y_prob.shape[0]), target], eps, 1 - eps)
    p_true = p_true.astype(np.float64)
    class_weight = class_weight_vector(alpha, classes.shape[0])[target]
    per_sample = -class_weight * np.exp(gamma * np.log1p(-p_true)) * np.log(p_true)
    return float(np.average(per_sample, weights=sample_weight))


def expected_calibration_error(
    y_true, y_prob, *, n_bins=10, sample_weight=None, pos_label=None
):
    r"""Expected calibration error of binary probabilities (equal-width bins).

    The predicted probabilities of the positive class are grouped into
    ``n_bins`` bins of equal width on [0, 1]; the error is the mean, weighted by
    each bin's share of the samples, of ``|fraction of positives - mean predicted
    probability|`` in the bin:
    :math:`\mathrm{ECE} = \sum_b \frac{n_b}{n} |\bar y_b - \bar p_b|`.
    0 is perfect calibration; the bins are those of
    :func:`sklearn.calibration.calibration_curve` with ``strategy="uniform"``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels of a binary problem, of any type.
    y_prob : array-like of shape (n_samples,) or (n_samples, 2)
        Predicted probabilities of the positive class, or ``predict_proba``'s two
        columns.
    n_bins : int, default=10
        Number of equal-width bins, >= 1.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    pos_label : int, float, bool or str, default=None
        The positive class. None: the larger of the two labels (1 if ``y_true``
        holds only one of -1, 0, 1).

    Returns
    -------
    ece : float
        In [0, 1]; lower is better.

    See Also
    --------
    sklearn.calibration.calibration_curve : The per-bin values.
    sklearn.metrics.brier_score_loss : Calibration and sharpness in one number.

    Examples
    --------
    >>> from skfocal.metrics import expected_calibration_error
    >>> y_true = [0, 0, 1, 1]
    >>> round(expected_calibration_error(y_true, [0.1, 0.2, 0.8, 0.9]), 3)
    0.15
    >>> expected_calibration_error(y_true, [0.0, 0.0, 1.0, 1.0])
    0.0
    """
    from ._compat import InvalidParameterError

    if isinstance(n_bins, bool) or not isinstance(n_bins, Integral) or n_bins < 1:
        raise InvalidParameterError(
            f"The 'n_bins' parameter must be an int >= 1. Got {n_bins!r} instead."
        )
    y_prob, y_true = _check_targets(y_true, y_prob)
    check_consistent_length(y_prob, y_true, sample_weight)
    sample_weight = check_sample_weight(
        sample_weight, y_true.shape[0], positive_sum=True
    )
    if y_prob.ndim == 2 and y_prob.shape[1] == 2:
        y_prob = y_prob[:, 1]
    if y_prob.ndim != 1:
        raise ValueError(
            "y_prob must hold binary probabilities, of shape (n_samples,) or "
            f"(n_samples, 2); got shape {y_prob.shape}."
        )
    if np.min(y_prob) < 0 or np.max(y_prob) > 1:
        raise ValueError("y_prob must hold probabilities in [0, 1].")
    classes = np.unique(y_true)
    if classes.shape[0] > 2:
        raise ValueError(
            f"expected_calibration_error is for binary problems; y_true has "
            f"{classes.shape[0]} classes."
        )
    if pos_label is not None and classes.shape[0] == 2 and pos_label not in classes:
        raise ValueError(
            f"pos_label={pos_label!r} is not a label of y_true, whose labels are "
            f"{classes.tolist()}."
        )
    if pos_label is None:
        if classes.shape[0] == 2:
            pos_label = classes[1]
        elif classes.dtype.kind in "biuf" and set(classes.tolist()) <= {-1, 0, 1}:
            pos_label = 1
        else:
            raise ValueError(
                f"y_true holds the single label {classes[:1].tolist()[0]!r}: pass "
                "pos_label to say which label is the positive class."
            )
    positive = (y_true == pos_label).astype(np.float64)
    weight = np.ones_like(positive) if sample_weight is None else sample_weight
    # Bin b holds p in [b / n_bins, (b + 1) / n_bins), the last one includes 1.
    bins = np.minimum((y_prob * n_bins).astype(np.intp), n_bins - 1)
    total = np.bincount(bins, weights=weight, minlength=n_bins)
    gap = np.bincount(bins, weights=weight * (positive - y_prob), minlength=n_bins)
    return float(np.sum(np.abs(gap)) / np.sum(total))


def _check_targets(y_true, y_prob):
    """``y_prob`` as a float array and ``y_true`` as a 1-d array, both finite."""
    y_prob = check_array(
        y_prob, ensure_2d=False, dtype=[np.float64, np.float32], input_name="y_prob"
    )
    y_true = column_or_1d(y_true)
    if y_true.dtype.kind in "fc":
        assert_all_finite(y_true, input_name="y_true")
    return y_prob, y_true
