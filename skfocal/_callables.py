"""The focal objective and metric, written once for every boosting library.

A boosting library calls a custom objective for gradients and Hessians and a
custom metric for a number, each in its own calling convention. Everything but
that convention is here: the checks of labels, raw scores and weights (each
array once), the kernels, pickling and the repr. A library's ``FocalObjective``
and ``FocalMetric`` are thin bindings: a class attribute ``adapter`` (its
:class:`skfocal._frontend.Adapter`) and a ``__call__`` with the library's
parameter names and docstring.
"""

import inspect

import numpy as np

from ._boosting import repeat_rows
from ._loss import FocalLoss
from ._validation import (
    assert_all_finite,
    check_labels,
    check_n_threads,
    check_sample_weight,
    check_weight_sum,
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
    pickling and the repr. The ``adapter`` of a library's subclass unpacks its
    calling conventions into ``(labels, raw, weight)``, names the library in
    the errors and gives the Hessian's scale and the gradients' memory layout.
    """

    adapter = None  # the library's Adapter: its calling convention (not pickled)
    monitor = None  # GammaSearchCV's HeldOutScorer, in its fold fits only

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
        # LightGBM's scikit-learn wrappers read the callable's signature at every
        # call (~0.2 ms, 6 % of a small tree's time); inspect takes it from here.
        if callable(self):
            self.__signature__ = inspect.signature(self.__call__)

    def __getstate__(self):
        # The configuration only: the caches are rebuilt on load, so that a
        # saved estimator holds public types alone (skops asks a user to trust
        # each type it loads).
        return {
            name: value
            for name, value in self.__dict__.items()
            if not isinstance(value, Validated) and name != "__signature__"
        }

    def __setstate__(self, state):
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
                f"{self.adapter.library} passed raw scores of shape {raw.shape} for "
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
            adapter = self.adapter
            raise ValueError(
                f"{error} {adapter.library} passed one raw score per row (a binary "
                f"model), but the labels go up to {int(top)}: for a multiclass model "
                f"add '{adapter.num_class_name}': {n_classes} to the parameters of "
                f"{adapter.train_call} (and pass {type(self).__name__}.init_score(y, "
                f"n_classes={n_classes}) as {adapter.start_argument})."
            ) from error

    def _run(self, kind, y, raw, sw, n_classes, **outputs):
        """Run kernel ``kind`` on :meth:`_checked`'s arrays into ``outputs``.

        Labels and weights are checked once per array; what the kernel counts
        invalid is then a non-finite raw score, which raises here.
        """
        cw = self.loss.class_weights(n_classes)
        if self.loss._run_kernel(
            kind, y, raw, sw, cw, n_threads=check_n_threads(self.n_threads), **outputs
        ):
            assert_all_finite(raw, "raw scores")
            raise AssertionError("the kernel counted invalid values no check finds.")

    def _gradient_hessian(self, first, second, weight):
        """The objective: gradient and curvature, float32 as the libraries keep them."""
        y, raw, sw, n_classes = self._checked(
            *self.adapter.callable_arguments(first, second, weight)
        )
        # In the library's own type and order, it takes them without a copy.
        order = self.adapter.gradient_order
        grad = np.empty(raw.shape, dtype=np.float32, order=order)
        hess = np.empty(raw.shape, dtype=np.float32, order=order)
        scale = None if raw.ndim == 1 else self.adapter.softmax_hessian_scale(n_classes)
        self._run(
            "gradient_hessian", y, raw, sw, n_classes, gradient=grad, hessian=hess,
            hessian_scale=scale,
        )  # fmt: skip
        return grad, hess

    def _evaluate(self, first, second, weight):
        """The metric: the weighted mean focal loss, as the library wants it."""
        y, raw, sw, n_classes = self._checked(
            *self.adapter.callable_arguments(first, second, weight)
        )
        if self.monitor is not None:
            self.monitor.observe(y, raw)
        loss = np.empty(raw.shape[0])
        self._run("loss", y, raw, sw, n_classes, loss=loss)
        total = raw.shape[0] if sw is None else self._total_weight(sw, ())
        return self.adapter.metric_result(float(loss.sum() / total), second)

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


class _RenamedMetric:
    """A user's :class:`FocalMetric` of another loss, reported under its own name.

    LightGBM keys its results by metric name: two metrics both named
    ``"focal_loss"`` would mix their values under one key (and break early
    stopping), so a focal metric of another ``gamma``/``alpha`` than the
    model's gets a name that gives its parameters.
    """

    def __init__(self, metric, name):
        self.metric = metric
        self.name = name

    # Three parameters: LightGBM passes (y_true, y_pred, weight) by their count.
    def __call__(self, y_true, y_pred, weight=None):
        _, value, is_higher_better = self.metric(y_true, y_pred, weight)
        return self.name, value, is_higher_better


def metric_name(metric, model_metric, n_classes):
    """``"focal_loss"`` for the model's own loss, else one that gives the params."""
    loss, own = metric.loss, model_metric.loss
    same_alpha = np.array_equal(
        loss.class_weights(n_classes), own.class_weights(n_classes)
    )
    if loss.gamma == own.gamma and same_alpha:
        return "focal_loss"
    params = f"gamma={loss.gamma:g}"
    if not same_alpha:
        alpha = (
            loss.alpha.tolist() if isinstance(loss.alpha, np.ndarray) else loss.alpha
        )
        params += f", alpha={alpha}"
    return f"focal_loss({params})"


def with_model_metric(model_metric, callables, n_classes):
    """The model's focal metric, then the user's callables, each focal loss once.

    For libraries that key their results by metric name (LightGBM): a user's
    focal metric of the model's own loss is dropped, one of another loss renamed.
    """
    metrics, names = [model_metric], {"focal_loss"}
    for metric in callables:
        if isinstance(metric, type(model_metric)):
            name = metric_name(metric, model_metric, n_classes)
            if name in names:
                continue  # the same loss is evaluated already
            names.add(name)
            metric = _RenamedMetric(metric, name)
        metrics.append(metric)
    return metrics
