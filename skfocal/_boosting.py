"""What a gradient-boosting front end needs from skfocal, whatever the library.

A boosting library trains on raw scores with a callable objective and knows
nothing of the focal loss's initial score, its probabilities or its labels. An
adapter (``skfocal.lightgbm``, and the next one) checks the labels here, starts
every row (of the training and the eval sets) from the optimal constant score
of the class totals, and checks what the library would take from eval sets
without a word. Nothing here imports a boosting library.
"""

import warnings

import numpy as np
from sklearn.utils import assert_all_finite as sk_assert_all_finite
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, column_or_1d

from ._base import weigh_classes
from ._loss import FocalLoss
from ._validation import (
    assert_all_finite,
    check_labels,
    check_n_threads,
    check_sample_weight,
    check_weight_sum,
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


def class_totals(y, classes, sample_weight, class_weight):
    """Rows and total weight per class, for the initial score.

    Class weights follow the boosting libraries' rule: "balanced" from row
    counts, multiplied into the sample weights.
    """
    weight = _check_sample_weight(
        sample_weight, y, dtype=np.float64, ensure_non_negative=True
    )
    counts, totals, _ = weigh_classes(
        np.searchsorted(classes, y), classes, weight, class_weight, balance_on="rows"
    )
    return counts, totals


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
    from sklearn.utils.validation import _get_feature_names

    train_shape = np.shape(X)
    train_names = _get_feature_names(X)
    for i, (valid_X, valid_y) in enumerate(eval_set):
        shape = np.shape(valid_X)
        if len(shape) == len(train_shape) == 2 and shape[1] != train_shape[1]:
            raise ValueError(
                f"X of eval_set[{i}] has {shape[1]} features, but the training X "
                f"has {train_shape[1]} features."
            )
        _check_eval_feature_names(train_names, _get_feature_names(valid_X), i)
        weight = _nth(eval_sample_weight, i)
        check_sample_weight(
            weight, len(valid_y), name=f"eval_sample_weight[{i}]", positive_sum=True
        )


def _nth(collection, i):
    """Item ``i`` of a list or dict of per-eval-set arrays, or None."""
    if collection is None:
        return None
    if isinstance(collection, dict):
        return collection.get(i)
    return collection[i] if i < len(collection) else None


def _check_eval_feature_names(train_names, names, i):
    """scikit-learn's feature-name rules at predict time, for ``eval_set[i]``."""
    if train_names is None and names is None:
        return
    if train_names is None or names is None:
        has, lacks = (
            ("eval_set", "the training X")
            if train_names is None
            else ("the training X", "eval_set")
        )
        warnings.warn(
            f"X of eval_set[{i}] and the training X differ in having feature names: "
            f"{has} has them, {lacks} does not. The model matches columns by "
            "position; make sure they are in the same order.",
            UserWarning,
            stacklevel=4,
        )
        return
    if len(names) == len(train_names) and np.array_equal(names, train_names):
        return
    unseen = [name for name in names if name not in set(train_names)]
    missing = [name for name in train_names if name not in set(names)]
    detail = (
        f"unseen at fit: {unseen[:5]}; missing: {missing[:5]}"
        if unseen or missing
        else "the same names in another order"
    )
    raise ValueError(
        f"The feature names of X in eval_set[{i}] differ from those of the training "
        f"X ({detail}). The model matches columns by position, so it would evaluate "
        "the wrong features: select the training columns, in their order, e.g. "
        "X_valid[X_train.columns]."
    )


class Validated:
    """A validated float64 copy of the last array seen, recomputed only for a new one.

    Boosting libraries hand the objective and the metric the same label and
    weight arrays at every round; they are checked once, not once per round.
    """

    def __init__(self, check):
        self._check = check
        self._source = self._key = self._value = None

    def __call__(self, source, key):
        if key == self._key and (source is self._source or _same(source, self._source)):
            return self._value
        self._value = self._check(source, *key)
        self._source, self._key = source, key
        return self._value

    def __getstate__(self):
        return {"_check": self._check}

    def __setstate__(self, state):
        self.__init__(state["_check"])


def _same(a, b):
    """Equal arrays of one dtype: XGBoost hands a fresh copy of the labels each
    round, whose comparison costs a fraction of checking and converting them."""
    return (
        isinstance(a, np.ndarray)
        and isinstance(b, np.ndarray)
        and a.dtype == b.dtype
        and a.shape == b.shape
        and np.array_equal(a, b)
    )


def checked_weight(weight, n_samples):
    """Sample weights checked as the callables take them (None stays None)."""
    return None if weight is None else check_sample_weight(weight, n_samples)


def total_weight(sw):
    """The weights' sum, checked to be positive (a weighted mean divides by it)."""
    return check_weight_sum(sw.sum())


class FocalCallable:
    """What a boosting library's focal objective and metric share.

    The loss, the checks of labels, raw scores and weights (each array once),
    pickling and the repr. An adapter subclass unpacks its library's calling
    conventions into ``(labels, raw, weight)`` and calls :meth:`_checked`;
    ``library`` names the library in the errors.
    """

    library = "the boosting library"

    def __init__(self, gamma=2.0, alpha=None, n_threads=1):
        self.gamma = gamma
        self.alpha = alpha
        self.n_threads = check_n_threads(n_threads)
        self.loss = FocalLoss(gamma=gamma, alpha=alpha)
        self._labels = Validated(check_labels)
        self._weights = Validated(checked_weight)

    def __setstate__(self, state):
        # Pickles made before ``loss`` was public name it ``_loss``.
        if "_loss" in state:
            state["loss"] = state.pop("_loss")
        self.__dict__.update(state)

    def __repr__(self):
        alpha = (
            self.alpha.tolist() if isinstance(self.alpha, np.ndarray) else self.alpha
        )
        threads = "" if self.n_threads == 1 else f", n_threads={self.n_threads}"
        return f"{type(self).__name__}(gamma={self.gamma!r}, alpha={alpha!r}{threads})"

    def _checked(self, labels, raw, weight):
        """``(y, raw, sample_weight, n_classes)`` checked for the kernels.

        The raw scores' values are not read here: the kernel counts the
        non-finite ones in its own pass (:meth:`_run`).
        """
        raw = np.asarray(raw)
        n_samples = np.shape(labels)[0]  # labels stay as given: checked once each
        if (
            raw.ndim not in (1, 2)
            or raw.shape[0] != n_samples
            or (raw.ndim == 2 and raw.shape[1] < 2)
        ):
            raise ValueError(
                f"{self.library} passed raw scores of shape {raw.shape} for "
                f"{n_samples} labels; expected (n_samples,) for a binary objective "
                "or (n_samples, num_class) for multiclass (a flat array of "
                "n_samples * num_class is not accepted)."
            )
        # The kernels take float32 (XGBoost's margins) and float64 as they are.
        if raw.dtype not in (np.float32, np.float64) or not raw.flags.c_contiguous:
            raw = np.ascontiguousarray(raw, dtype=np.float64)
        n_classes = 2 if raw.ndim == 1 else raw.shape[1]
        y = self._labels(labels, (n_samples, n_classes))
        sw = self._weights(weight, (n_samples,))
        return y, raw, sw, n_classes

    def _run(self, kind, y, raw, sw, n_classes, **outputs):
        """Run kernel ``kind`` on :meth:`_checked`'s arrays into ``outputs``.

        Labels and weights are checked once per array; what the kernel counts
        invalid is then a non-finite raw score, which raises here.
        """
        cw = self.loss.class_weights(n_classes)
        if self.loss.run_kernel(
            kind, y, raw, sw, cw, n_threads=self.n_threads, **outputs
        ):
            assert_all_finite(raw, "raw scores")
            raise AssertionError("the kernel counted invalid values no check finds.")

    def init_score(self, y, sample_weight=None, n_classes=None):
        """Per-row initial scores: LightGBM's ``init_score``, XGBoost's ``base_margin``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Class indices in {0, ..., K - 1} (the libraries' labels).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        n_classes : int, default=None
            The library's ``num_class`` (2 for binary); ``max(y) + 1`` when None.

        Returns
        -------
        init_score : ndarray of shape (n_samples,) or (n_samples, K)
            The optimal constant raw score (:meth:`skfocal.FocalLoss.init_score`)
            repeated for every row; 2-d for more than two classes.

        Examples
        --------
        >>> import numpy as np
        >>> from skfocal.lightgbm import FocalObjective
        >>> y = np.r_[np.ones(1), np.zeros(99)]
        >>> FocalObjective(gamma=2.0).init_score(y)[:3].round(6)
        array([-1.706453, -1.706453, -1.706453])
        """
        y = np.asarray(y)
        return repeat_rows(self.loss.init_score(y, sample_weight, n_classes), len(y))
