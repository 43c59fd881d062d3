"""The checks and small steps of a boosting fit, whatever the library.

A boosting library trains on raw scores with a callable objective and knows
nothing of the focal loss's initial score, its probabilities or its labels.
The fit sequence (``skfocal._frontend.fit_booster``) checks the labels here,
starts every row (of the training and the eval sets) from the optimal constant
score, and checks what the library would take from eval sets without a word.
Nothing here imports a boosting library.
"""

import warnings

import numpy as np
from sklearn.utils import assert_all_finite as sk_assert_all_finite
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._compat import _get_feature_names
from ._validation import (
    check_sample_weight,
)


def check_targets(y):
    """Labels as a 1-d array: non-empty, finite, classification targets."""
    y = column_or_1d(y, warn=True)
    if y.shape[0] == 0:
        raise ValueError(
            "Found array with 0 sample(s) while a minimum of 1 is required."
        )
    if y.dtype.kind in "fc":
        sk_assert_all_finite(y, input_name="y")
    check_classification_targets(y)
    return y


def repeat_rows(init_score, n_rows):
    """A constant initial score for ``n_rows`` rows: shape (n,) or (n, K)."""
    if np.ndim(init_score):
        return np.tile(init_score, (n_rows, 1))
    return np.full(n_rows, init_score)


def refuse_init_scores(init_score, eval_init_score, name, spelling="init_score"):
    """A focal booster computes its initial score; a user's one is an error.

    ``spelling`` is the library's name of it (XGBoost's ``base_margin``).
    """
    if init_score is not None or eval_init_score is not None:
        raise ValueError(
            f"{name} computes the optimal initial score itself and keeps it in the "
            f"model; {spelling} and its eval-set form are not accepted. Use the "
            "library's own classifier with skfocal's FocalObjective for custom "
            "initial scores."
        )


def constant_score(init_score, n_models):
    """A user's initial score as a float64 array of shape (n_models,).

    A float, one value per class, or the per-row scores that the focal
    objectives' ``init_score`` return (constant rows), for folding into a model.
    """
    score = np.asarray(init_score, dtype=np.float64)
    if score.ndim == 2 or (score.ndim == 1 and n_models == 1 and score.size > 1):
        # Per-row scores, as FocalObjective.init_score returns: one constant row.
        if not np.all(score == score[0]):
            raise ValueError(
                "init_score differs between rows: only a constant initial score "
                "(FocalObjective.init_score's) can be folded into the model; for a "
                "binary model that is one float."
            )
        score = score[0]
    score = np.atleast_1d(score)
    if score.shape != (n_models,):
        raise ValueError(
            f"init_score has {score.size} value(s) per row but the booster has "
            f"{n_models} score(s) per row (num_class)."
        )
    if not np.all(np.isfinite(score)):
        raise ValueError("init_score contains NaN or infinity.")
    return score


def check_eval_sets(eval_set, eval_sample_weight, X):
    """Check what boosting libraries take from eval sets without a word.

    They evaluate an eval set with another number of features than the training
    data, or DataFrame columns of other names (they go by position), and turn
    NaN eval weights into 0; refuse these up front, and warn where one frame
    has column names and the other has none, as scikit-learn does at predict
    time.

    Parameters
    ----------
    eval_set : list of (X, y) tuples
        The validation sets.
    eval_sample_weight : list or dict of array-like, or None
        Their sample weights, by position.
    X : array-like of shape (n_samples, n_features)
        The training data.
    """
    check_eval_features(eval_set, X)
    for i, (_, valid_y) in enumerate(eval_set):
        check_sample_weight(
            nth(eval_sample_weight, i),
            len(valid_y),
            name=f"eval_sample_weight[{i}]",
            positive_sum=True,
        )


def check_eval_features(eval_set, X):
    """The eval sets' feature counts and names against the training X's.

    Reads only shapes and column names: Dask collections stay lazy.
    """

    n_features = np.shape(X)[1] if len(np.shape(X)) == 2 else None
    train_names = _get_feature_names(X)
    for i, (valid_X, _) in enumerate(eval_set):
        shape = np.shape(valid_X)
        if n_features is not None and len(shape) == 2 and shape[1] != n_features:
            raise ValueError(
                f"X of eval_set[{i}] has {shape[1]} features, but the training X "
                f"has {n_features} features."
            )
        check_feature_names(train_names, valid_X, f"X of eval_set[{i}]", stacklevel=5)


def check_eval_labels(labels, classes, i):
    """Eval-set labels must be training labels (else they score as another class)."""
    unseen = np.setdiff1d(labels, classes)
    if unseen.size:
        raise ValueError(
            f"eval_set[{i}] holds labels not seen in training: {unseen[:5].tolist()}; "
            f"the training classes are {classes.tolist()[:10]}. Its metrics would "
            f"score the unseen labels: {unseen[:5].tolist()} as another class."
        )


def nth(collection, i):
    """Item ``i`` of a list or dict of per-eval-set arrays, or None."""
    if collection is None:
        return None
    if isinstance(collection, dict):
        return collection.get(i)
    return collection[i] if i < len(collection) else None


def check_feature_names(train_names, X, where, stacklevel=3):
    """scikit-learn's feature-name rules for ``X``, which ``where`` names.

    The boosting libraries match DataFrame columns by position, at predict
    time as for eval sets: names that differ from the training ones (or the
    same names in another order) would silently score the wrong features, and
    raise here. Names on one side only warn, as scikit-learn does.

    Parameters
    ----------
    train_names : ndarray of str or None
        The training data's feature names (``feature_names_in_``).
    X : array-like or DataFrame
        The data to check.
    where : str
        What ``X`` is, for the messages: "X", "X of eval_set[0]".
    stacklevel : int, default=3
        Of the warning.
    """
    names = _get_feature_names(X)
    if train_names is None and names is None:
        return
    if train_names is None or names is None:
        has, lacks = (
            (where, "the training X")
            if train_names is None
            else ("the training X", where)
        )
        warnings.warn(
            f"{where} and the training X differ in having feature names: {has} has "
            f"them, {lacks} does not. The model matches columns by position; make "
            "sure they are in the same order.",
            UserWarning,
            stacklevel=stacklevel,
        )
        return
    if len(names) == len(train_names) and np.array_equal(names, train_names):
        return
    unseen = [str(name) for name in names if name not in set(train_names)]
    missing = [str(name) for name in train_names if name not in set(names)]
    detail = (
        f"unseen at fit: {unseen[:5]}; missing: {missing[:5]}"
        if unseen or missing
        else "the same names in another order"
    )
    raise ValueError(
        f"The feature names of {where} differ from those of the training X "
        f"({detail}). The model matches columns by position, so it would use the "
        "wrong features: select the training columns, in their order, e.g. "
        "X[model.feature_names_in_]."
    )
