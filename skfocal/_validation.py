"""Checks of focal-loss parameters and of label / score / weight arrays.

Shared by :class:`skfocal.FocalLoss`, :func:`skfocal.metrics.focal_loss` and the
estimators, so that every entry point rejects bad input with the same message.
"""

import functools
import math
from numbers import Integral, Real

import numpy as np

from ._kernels import count_invalid_labels


def read_only(array):
    """A read-only view of ``array`` (no copy), as checked arrays go to the kernels.

    The kernels only read their inputs; with read-only views their Numba types
    are the same whatever the caller's flags, so each dtype combination compiles
    once, not once per set of writeable flags (the test suite compiled twice as
    many specialisations before).
    """
    if not array.flags.writeable:
        return array
    view = array.view()
    view.flags.writeable = False
    return view


def _invalid_parameter(message):
    """scikit-learn's InvalidParameterError, imported only when there is an error:
    importing scikit-learn takes 0.6 s, and FocalLoss alone does not need it."""
    from ._compat import InvalidParameterError

    return InvalidParameterError(message)


def check_gamma(gamma, name="gamma"):
    """Return ``gamma`` as a float after checking it is a finite real >= 0."""
    if (
        isinstance(gamma, bool)
        or not isinstance(gamma, Real)
        or not math.isfinite(gamma)
        or gamma < 0
    ):
        raise _invalid_parameter(
            f"The {name!r} parameter must be a finite float >= 0 (0 is the "
            f"cross-entropy). Got {gamma!r} instead."
        )
    return float(gamma)


def check_alpha(alpha, name="alpha"):
    """Validate ``alpha`` without knowing the number of classes.

    Returns None, a float in (0, 1), or a read-only float64 array of positive
    per-class weights.
    """
    if alpha is None:
        return None
    if isinstance(alpha, Real) and not isinstance(alpha, bool):
        if not (0.0 < alpha < 1.0):
            raise _invalid_parameter(
                f"The {name!r} parameter as a float is the weight of the positive "
                f"class and must be in the open interval (0, 1). Got {alpha!r} "
                "instead."
            )
        return float(alpha)
    try:
        weights = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError):
        weights = None
    if weights is None or weights.ndim != 1 or weights.shape[0] < 2:
        raise _invalid_parameter(
            f"The {name!r} parameter must be None, a float in (0, 1) or a 1-d "
            f"array-like of at least 2 positive per-class weights. Got {alpha!r} "
            "instead."
        )
    if not (np.all(np.isfinite(weights)) and np.all(weights > 0)):
        raise _invalid_parameter(
            f"The per-class weights in {name!r} must be finite and > 0. Got "
            f"{weights.tolist()} instead."
        )
    weights.flags.writeable = False
    return weights


def class_weight_vector(alpha, n_classes, name="alpha"):
    """Per-class weights of shape (n_classes,) from a ``check_alpha`` result."""
    if alpha is None:
        return np.ones(n_classes, dtype=np.float64)
    if isinstance(alpha, float):
        if n_classes != 2:
            raise ValueError(
                f"A float {name}={alpha!r} is the positive-class weight of a binary "
                f"problem, but there are {n_classes} classes. Pass one weight per "
                f"class instead, e.g. {name}=[w_0, ..., w_{n_classes - 1}]."
            )
        return np.array([1.0 - alpha, alpha])
    if alpha.shape[0] != n_classes:
        raise ValueError(
            f"{name} has {alpha.shape[0]} per-class weights but there are "
            f"{n_classes} classes."
        )
    return np.asarray(alpha, dtype=np.float64)


def check_raw_prediction(raw_prediction, finite=True):
    """Return finite C-contiguous float32/float64 raw scores of shape (n,) or (n, K).

    ``finite=False`` skips the pass over the values, for callers whose kernel
    counts the non-finite scores itself.
    """
    raw = np.asarray(raw_prediction)
    if raw.dtype not in (np.float32, np.float64):
        if raw.dtype.kind not in "biuf":
            raise ValueError(
                f"raw_prediction must be numeric, got an array of dtype {raw.dtype}."
            )
        raw = raw.astype(np.float64)
    if raw.ndim == 2 and raw.shape[1] == 1:
        raise ValueError(
            "raw_prediction of shape (n_samples, 1) is ambiguous: pass shape "
            "(n_samples,) for a binary (sigmoid) problem or (n_samples, n_classes) "
            "with n_classes >= 2 for softmax."
        )
    if raw.ndim not in (1, 2):
        raise ValueError(
            "raw_prediction must have shape (n_samples,) (binary) or "
            f"(n_samples, n_classes) (softmax), got shape {raw.shape}."
        )
    if finite:
        assert_all_finite(raw, "raw_prediction")
    return np.ascontiguousarray(raw)


def assert_all_finite(array, name):
    """Raise a ValueError naming ``name`` if ``array`` holds NaN or infinity."""
    # The sum is a cheap first test; it overflows only for huge finite values.
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(array, dtype=np.float64)
    if not math.isfinite(total) and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity.")


def check_labels(y_true, n_samples, n_classes):
    """Return float64 labels of shape (n_samples,) checked to be in {0, ..., K - 1}."""
    y = check_label_array(y_true, n_samples)
    if count_invalid_labels(y, n_classes):
        valid = (y >= 0) & (y <= n_classes - 1) & (y == np.floor(y))
        bad = np.unique(y[~valid])[:5]
        raise ValueError(
            f"y_true must hold integer class indices in {{0, ..., {n_classes - 1}}} "
            f"for {n_classes} classes; found {bad.tolist()}."
        )
    return y


def check_label_array(y_true, n_samples, keep=()):
    """Return numeric labels of shape (n_samples,), C-contiguous, their values
    unchecked (the kernels count the invalid ones).

    Labels of a dtype in ``keep`` stay as they are (no copy), others become float64.
    """
    y = np.asarray(y_true)
    if y.dtype.kind not in "biuf":
        raise ValueError(
            "y_true must hold integer class indices in {0, ..., n_classes - 1}; got "
            f"an array of dtype {y.dtype}. Encode labels first, e.g. with "
            "sklearn.preprocessing.LabelEncoder."
        )
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(
            f"y_true must have shape ({n_samples},) to match raw_prediction, got "
            f"shape {y.shape}."
        )
    return np.ascontiguousarray(y, dtype=y.dtype if y.dtype in keep else np.float64)


def check_arrays(y_true, raw_prediction, sample_weight):
    """Every check of :class:`skfocal.FocalLoss`'s arrays, each with its pass over
    the data, in the order of their errors: scores, labels, weights.

    The public methods run it only when something is wrong, to raise the error a
    check of each array in turn gives.
    """
    raw = check_raw_prediction(raw_prediction)
    n_classes = 2 if raw.ndim == 1 else raw.shape[1]
    check_labels(y_true, raw.shape[0], n_classes)
    check_sample_weight(sample_weight, raw.shape[0])


def check_sample_weight(
    sample_weight, n_samples, name="sample_weight", positive_sum=False
):
    """Return None or finite, non-negative float64 weights of shape (n_samples,).

    With ``positive_sum`` (callers that divide by the total weight) all-zero
    weights are an error too.
    """
    if sample_weight is None:
        return None
    sw = np.asarray(sample_weight)
    if sw.ndim == 0:
        sw = np.full(n_samples, sw, dtype=np.float64)
    if sw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got dtype {sw.dtype}.")
    if sw.ndim != 1 or sw.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have shape ({n_samples},), got shape {sw.shape}."
        )
    sw = np.ascontiguousarray(sw, dtype=np.float64)
    assert_all_finite(sw, name)
    if np.any(sw < 0):
        raise ValueError(f"{name} must be non-negative.")
    if positive_sum:
        check_weight_sum(np.sum(sw), name)
    return sw


def check_fit_sample_weight(sample_weight, X):
    """An estimator's fit weights: scikit-learn's checks, as float64 of len(X).

    Non-negative and finite, of X's length; all zero is refused with
    scikit-learn >= 1.7's words on every scikit-learn (1.6 let it through).
    """
    from ._compat import _check_sample_weight

    weight = _check_sample_weight(
        sample_weight, X, dtype=np.float64, ensure_non_negative=True
    )
    if not np.any(weight):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return weight


def check_weight_sum(total, name="sample_weight"):
    """Return ``total`` as a float; a ValueError if the weights sum to zero."""
    total = float(total)
    if not total > 0:
        raise ValueError(
            f"{name} sums to zero: a weighted mean needs at least one sample with "
            "positive weight."
        )
    return total


def check_score_labels(y, classes):
    """The true labels of ``score``: a 1-d array without NaN or infinity, of the
    kind of ``classes`` (strings or numbers).

    Labels the classifier did not see at fit are fine: as for scikit-learn's
    classifiers, their rows count as wrong predictions (a test fold may hold a
    rare class its training folds lack). Strings against numeric classes (or
    the reverse) are a label mix-up, refused as scikit-learn >= 1.7 refuses it
    (older releases with numpy < 2 scored them 0 without a word).
    """
    from sklearn.utils import assert_all_finite as sk_assert_all_finite
    from sklearn.utils.validation import column_or_1d

    y = column_or_1d(y)
    if y.dtype.kind in "fc":
        sk_assert_all_finite(y, input_name="y")
    if _holds_strings(y) != _holds_strings(classes):
        kinds = ("strings", "numbers") if _holds_strings(y) else ("numbers", "strings")
        raise ValueError(
            f"Mix of label input types (string and number): y holds {kinds[0]}, "
            f"the classifier's classes_ are {kinds[1]}: {classes[:5].tolist()}."
        )
    return y


def _holds_strings(labels):
    return labels.dtype.kind in "US" or (
        labels.dtype == object and len(labels) > 0 and isinstance(labels[0], str)
    )


def check_n_threads(n_threads):
    """The thread count ``n_threads`` asks for: an int >= 1, or < 0 as ``n_jobs``.

    Negative counts follow joblib's ``n_jobs`` (what every estimator accepts):
    -1 is every CPU, -2 all but one. 0 and non-integers are refused, in
    scikit-learn's parameter-error style.
    """
    if (
        isinstance(n_threads, bool)
        or not isinstance(n_threads, Integral)
        or n_threads == 0
    ):
        raise _invalid_parameter(
            "The 'n_threads' parameter must be an int >= 1, or a negative int as "
            f"joblib's n_jobs (-1: every CPU). Got {n_threads!r} instead."
        )
    if n_threads > 0:
        return int(n_threads)
    return max(1, _cpu_count() + 1 + int(n_threads))


@functools.cache
def _cpu_count():
    """The CPUs this process may use (cgroup limits too), read once: joblib takes
    70 us to read them, and the boosting callables ask every round."""
    from joblib import cpu_count

    return cpu_count()


def check_out(out, shape, name):
    """Return ``out`` if it is a writeable contiguous float array of ``shape``.

    Row- or column-major: LightGBM, XGBoost and scikit-learn's gradient
    boosting hand over float32 buffers, scikit-learn's column-major.
    """
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(out).__name__}.")
    if out.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {out.shape}.")
    if out.dtype not in (np.float32, np.float64):
        raise ValueError(f"{name} must be float32 or float64, got {out.dtype}.")
    if not (out.flags.c_contiguous or out.flags.f_contiguous):
        raise ValueError(
            f"{name} must be C-contiguous or F-contiguous (not a strided view)."
        )
    if not out.flags.writeable:
        raise ValueError(f"{name} must be writeable.")
    return out


def check_n_classes(n_classes):
    """Check an explicit number of classes."""
    if isinstance(n_classes, bool) or not isinstance(n_classes, Integral):
        raise _invalid_parameter(
            f"n_classes must be an int >= 2 or None, got {n_classes!r}."
        )
    if n_classes < 2:
        raise _invalid_parameter(f"n_classes must be >= 2, got {n_classes}.")
    return int(n_classes)


def alpha_per_class(alpha, classes):
    """Resolve the estimator's ``alpha`` against ``classes_`` for :class:`FocalLoss`.

    None stays None, a float stays the binary positive-class weight (class
    ``classes[1]``), a dict maps every class label to its weight, an array gives
    the weights in the order of ``classes``.
    """
    if isinstance(alpha, dict):
        unknown = [label for label in alpha if label not in set(classes.tolist())]
        missing = [label for label in classes.tolist() if label not in alpha]
        if unknown or missing:
            raise ValueError(
                "alpha as a dict must give a weight for every class and only for "
                f"classes: missing {missing}, unknown {unknown}; classes are "
                f"{classes.tolist()}."
            )
        alpha = [alpha[label] for label in classes.tolist()]
    alpha = check_alpha(alpha)
    if isinstance(alpha, float) and len(classes) > 2:
        raise ValueError(
            f"A float alpha={alpha!r} weights the positive class of a binary problem, "
            f"but y has {len(classes)} classes. Pass one weight per class instead, "
            "as an array in the order of classes_ or as a dict {label: weight}."
        )
    if isinstance(alpha, np.ndarray) and alpha.shape[0] != len(classes):
        raise ValueError(
            f"alpha has {alpha.shape[0]} per-class weights but y has "
            f"{len(classes)} classes ({classes.tolist()})."
        )
    return alpha


def class_weight_per_class(class_weight, classes, counts):
    """``class_weight`` (None, "balanced" or a dict) as an array over ``classes``.

    "balanced" gives ``sum(counts) / (n_classes * counts_k)``; the caller decides
    what counts: weighted class totals (scikit-learn's linear models) or row
    counts (what LightGBM does with its ``class_weight``).
    """
    n_classes = len(classes)
    if class_weight is None:
        return np.ones(n_classes)
    if isinstance(class_weight, str) and class_weight == "balanced":
        counts = np.asarray(counts, dtype=np.float64)
        with np.errstate(divide="ignore"):
            return np.where(counts > 0, counts.sum() / (n_classes * counts), 0.0)
    from sklearn.utils import compute_class_weight  # validates the dict's labels

    return compute_class_weight(class_weight, classes=classes, y=classes)
