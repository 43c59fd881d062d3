"""What every Dask front end checks and reduces before its library trains.

A local fit checks its labels and eval sets in full; a Dask fit sees lazy
collections, and the boosting libraries' Dask APIs check nothing of what
skfocal's local fits refuse. So each Dask fit gets here, in one pass over the
labels and weights: the classes (the local fit's target checks on them), the
row counts and weighted totals per class, and the eval sets' features, labels
and weights, checked as :func:`skfocal._boosting.check_eval_sets` and
:func:`check_eval_labels` check a local fit's. Nothing here imports a boosting
library.
"""

import numpy as np

from ._base import encode_labels, predicted_labels
from ._boosting import check_eval_features, check_eval_labels, check_targets, nth
from ._validation import check_sample_weight


def as_dask_array(collection):
    """A 1-d Dask array view of a Dask array, Series or single-column DataFrame."""
    if hasattr(collection, "to_dask_array"):
        return collection.to_dask_array(lengths=True).ravel()
    return collection


def class_index(labels, classes):
    """The class index of each label of a Dask array, blockwise."""
    return labels.map_blocks(lambda b: np.searchsorted(classes, b), dtype=np.intp)


def global_class_totals(X, y, sample_weight, name, eval_set=None, eval_weights=None):
    """Classes, rows and weight per class of Dask labels; eval sets checked.

    The eval sets' feature counts and names first (shapes and column names
    only); then one ``dask.compute`` reads the unique labels of the training
    and eval sets and the eval weights' summaries, and a second the per-class
    sums.

    Parameters
    ----------
    X : Dask Array or DataFrame of shape (n_samples, n_features)
        Training data (only its shape and column names are read).
    y : Dask Array or Series of shape (n_samples,)
        Training labels.
    sample_weight : Dask Array or Series of shape (n_samples,) or None
        Training weights.
    name : str
        The estimator's name, for the errors.
    eval_set : list of (X, y) tuples of Dask collections, default=None
        Validation sets; their labels must be training labels.
    eval_weights : list or dict of Dask arrays, default=None
        Their sample weights, by position.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        Sorted unique training labels.
    index : Dask Array of shape (n_samples,)
        Class index of each training label.
    counts, totals : ndarray of shape (n_classes,)
        Rows and total sample weight per class.
    """
    import dask
    import dask.array as da

    eval_set = eval_set or []
    check_eval_features(eval_set, X)
    labels = as_dask_array(y)
    eval_labels = [da.unique(as_dask_array(valid_y)) for _, valid_y in eval_set]
    weights = [as_dask_array(nth(eval_weights, i)) for i in range(len(eval_set))]
    summaries = [None if w is None else _summary(w) for w in weights]
    unique, eval_unique, summaries = dask.compute(
        da.unique(labels), eval_labels, summaries
    )
    classes, _ = encode_labels(check_targets(np.asarray(unique)), name)
    for i, valid in enumerate(eval_unique):
        check_eval_labels(check_targets(np.asarray(valid)), classes, i)
        if summaries[i] is not None:
            check_sample_weight(
                summaries[i], len(summaries[i]), name=f"eval_sample_weight[{i}]",
                positive_sum=True,
            )  # fmt: skip
    index = class_index(labels, classes)
    weight = None if sample_weight is None else as_dask_array(sample_weight)
    counts, totals = dask.compute(
        da.bincount(index, minlength=len(classes)),
        da.bincount(index, weights=weight, minlength=len(classes)),
    )
    return classes, index, counts, totals


def _summary(weight):
    """Three numbers that fail the weight checks as the whole array would.

    The smallest value (a negative weight), the sum (zero, or NaN/infinity
    when any weight is) and the largest: checked as an array of three.
    """
    import dask.array as da

    return da.stack([weight.min(), weight.sum(), weight.max()])


def class_weighted(labels, sample_weight, classes, per_class):
    """Sample weights times the class weights, partitioned like ``labels``.

    ``labels`` is a Dask Series (the result is one) or a Dask array.
    """

    def weigh(block):
        return per_class[np.searchsorted(classes, np.asarray(block))]

    if hasattr(labels, "map_partitions"):
        weights = labels.map_partitions(
            lambda part: part.__class__(weigh(part), index=part.index),
            meta=(labels.name, "f8"),
        )
    else:
        weights = labels.map_blocks(weigh, dtype=np.float64)
    return weights if sample_weight is None else weights * sample_weight


def start_rows(labels, start):
    """The initial score for every row of ``labels``, partitioned like it."""
    start = np.asarray(start, dtype=np.float64)
    if start.ndim == 0:
        return labels.map_blocks(lambda b: np.full(len(b), float(start)), dtype=float)
    return labels.map_blocks(
        lambda b: np.tile(start, (len(b), 1)),
        dtype=float,
        new_axis=1,
        chunks=(labels.chunks[0], (len(start),)),
    )


def blockwise_probabilities(raw, probabilities, n_classes):
    """``probabilities`` of a Dask array of raw scores, block by block."""
    return raw.map_blocks(
        probabilities,
        dtype=np.float64,
        chunks=(raw.chunks[0], (n_classes,)),
        new_axis=1 if raw.ndim == 1 else None,
    )


def blockwise_labels(raw, classes):
    """The predicted labels of a Dask array of raw scores, block by block."""
    return raw.map_blocks(
        lambda block: predicted_labels(block, classes),
        dtype=classes.dtype,
        drop_axis=None if raw.ndim == 1 else 1,
    )
