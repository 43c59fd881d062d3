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
from sklearn.utils.validation import column_or_1d

from ._base import weigh_classes
from ._loss import FocalLoss
from ._validation import (
    assert_all_finite,
    check_fit_sample_weight,
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
    weight = check_fit_sample_weight(sample_weight, y)
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
    from sklearn.utils.validation import _get_feature_names

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
            f"eval_set[{i}] holds labels not seen in training: "
            f"{unseen[:5].tolist()}; the training classes are {classes.tolist()[:10]}."
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
    from sklearn.utils.validation import _get_feature_names

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
    # How a user of the library's own training call starts from the init score.
    train_call, start_argument = "the library's train call", "the initial score"

    def __init__(self, gamma=2.0, alpha=None, n_threads=1):
        self.gamma = gamma
        self.alpha = alpha
        check_n_threads(n_threads)
        self.n_threads = (
            n_threads  # as given: -1 is every CPU of the machine it runs on
        )
        self.loss = FocalLoss(gamma=gamma, alpha=alpha)
        self._make_caches()

    def _make_caches(self):
        """The per-array caches of checked labels and weights, and of the total
        weight that divides every evaluation of a metric."""
        self._labels = Validated(check_labels)
        self._weights = Validated(checked_weight)
        self._total_weight = Validated(total_weight)

    def __getstate__(self):
        # The configuration only: the caches are rebuilt on load, so that a
        # saved estimator holds public types alone (skops asks a user to trust
        # each type it loads).
        return {
            name: value
            for name, value in self.__dict__.items()
            if not isinstance(value, Validated)
        }

    def __setstate__(self, state):
        # Pickles made before ``loss`` was public name it ``_loss``.
        if "_loss" in state:
            state["loss"] = state.pop("_loss")
        self.__dict__.update(state)
        self._make_caches()

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
        try:
            y = self._labels(labels, (n_samples, n_classes))
        except ValueError as exc:
            self._explain_missing_num_class(np.asarray(labels), raw, exc)
            raise
        sw = self._weights(weight, (n_samples,))
        return y, raw, sw, n_classes

    def _explain_missing_num_class(self, labels, raw, error):
        """Say what to add when the library trains one score per row on K > 2
        classes (its ``num_class`` left out)."""
        if raw.ndim != 1 or labels.dtype.kind not in "biuf":
            return
        top = np.nanmax(labels, initial=0)
        if top >= 2 and top == np.floor(top) and np.nanmin(labels, initial=0) >= 0:
            n_classes = int(top) + 1
            raise ValueError(
                f"{error} {self.library} passed one raw score per row (a binary "
                f"model), but the labels go up to {int(top)}: for a multiclass model "
                f"add 'num_class': {n_classes} to the parameters of {self.train_call} "
                f"(and pass {type(self).__name__}.init_score(y, n_classes="
                f"{n_classes}) as {self.start_argument})."
            ) from error

    def _run(self, kind, y, raw, sw, n_classes, **outputs):
        """Run kernel ``kind`` on :meth:`_checked`'s arrays into ``outputs``.

        Labels and weights are checked once per array; what the kernel counts
        invalid is then a non-finite raw score, which raises here.
        """
        cw = self.loss.class_weights(n_classes)
        if self.loss.run_kernel(
            kind, y, raw, sw, cw, n_threads=check_n_threads(self.n_threads), **outputs
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
