"""The one contract of every boosting front end: an adapter, and the fit it drives.

A focal booster's fit is one sequence whatever the library: check the focal
parameters, refuse a user's initial score, check the targets and the eval sets,
take the classes and their (class-weighted) totals, read the library's own class
weighting switches, set ``loss_``, ``proba_`` and ``init_score_``, build the
objective and the metric, start every training and eval row from the initial
score, train, and fold the start into the saved model. :func:`fit_booster` runs
it once for all; each library supplies an :class:`Adapter` for what truly
differs, and :class:`FocalBoosterMixin` turns raw scores into probabilities and
labels. A new callable-based front end writes its adapter and its estimator's
signature, nothing more (``docs/developer.rst``, "Adding a front end").
Nothing here imports a boosting library.
"""

import inspect

import numpy as np

from ._base import (
    FocalClassifierMixin,
    check_focal_parameters,
    encode_labels,
    fitted_loss,
    predicted_labels,
    weigh_classes,
)
from ._boosting import (
    check_eval_labels,
    check_eval_sets,
    check_targets,
    refuse_init_scores,
    repeat_rows,
)
from ._validation import check_fit_sample_weight, class_weight_per_class


class Adapter:
    """What one boosting library does its own way; the hooks :func:`fit_booster` calls.

    One instance per front end, held by composition: the estimator class's
    ``_adapter`` and the callables' ``adapter`` attribute (LightGBM's and
    XGBoost's ``get_params`` walk ``__bases__``, so no mixin can carry it).
    The class attributes name the library in messages and fix conventions;
    the methods that raise ``NotImplementedError`` are the ones every library
    must write.
    """

    library = "the boosting library"  # in the callables' errors
    train_call = "the library's train call"  # how its users train by hand
    start_argument = "the initial score"  # ... and pass a start there
    init_score_name = "init_score"  # the fit argument skfocal refuses
    num_class_name = "num_class"  # the parameter that makes a K-class model
    balance_on = "rows"  # what class_weight="balanced" balances (weigh_classes)
    gradient_order = "C"  # memory order of the float32 gradients it takes
    distributed = False  # True: the estimator fits Dask collections
    objective_class = metric_class = None  # the library's FocalObjective/-Metric

    # --- the callables
    def callable_arguments(self, first, second, weight):
        """``(labels, raw, weight)`` from the library's call of a callable."""
        raise NotImplementedError

    def softmax_hessian_scale(self, n_classes):
        """The factor of the softmax curvature that the library's own objective has."""
        return 1.0

    def metric_result(self, value, second):
        """The metric's value as the library wants it returned."""
        return value

    # --- the fit
    def label_weights(self, estimator, n_classes, counts):
        """Class weights from the library's switches, and those of the start.

        Returns ``(label_weights, start_weights)``: ``label_weights`` multiply
        the objective's ``alpha``; ``start_weights`` the class totals of the
        initial score (None: start from 0). Check the library's parameters
        here, before anything is fitted.
        """
        ones = np.ones(n_classes)
        return ones, ones

    def thread_count(self, estimator):
        """The threads of the callables: as many as the library trains with."""
        raise NotImplementedError

    def train(self, estimator, X, y, sample_weight, fit, **kwargs):
        """Call the library's fit; ``fit`` (:class:`FocalFit`) says with what."""
        raise NotImplementedError

    def fold(self, estimator, score):
        """Put the constant start ``score`` (K,) into the trained model."""
        raise NotImplementedError

    # --- the predictions
    def raw_scores(self, estimator, X, **kwargs):
        """The model's raw scores, the start included: (n,) or (n, K)."""
        raise NotImplementedError

    def other_output(self, estimator, X, kwargs):
        """The library's other prediction outputs (leaves, contributions), asked
        for by options popped from ``kwargs``; None when none is asked for."""
        return None


class SearchSpec:
    """What :class:`skfocal.model_selection.GammaSearchCV` needs of a front end.

    Each focal booster class holds one as ``_search_spec``.

    Parameters
    ----------
    iterations : str
        The parameter of the iteration budget (``n_estimators``, ``max_iter``).
    threads : str or None
        The parameter of the booster's threads; None: OpenMP's, limited
        process-wide (threadpoolctl).
    early_stopping : dict
        The booster's own early stopping parameters, each with the value that
        leaves it off: a search chooses the number of iterations itself.
    held_out : {"metric", "staged"}
        How a fold's held-out rows are scored after every iteration: by the
        model's metric on its one eval set, as the library evaluates it while
        training (early stopping then ends the fits), or from the fitted
        model's ``staged_decision_function`` (whose cost grows by one
        iteration per step).
    fit_kwargs : dict
        Fit arguments of every search fit (XGBoost's ``verbose=False``).
    """

    def __init__(
        self, iterations, threads=None, early_stopping=None, held_out="metric",
        fit_kwargs=None,
    ):  # fmt: skip
        self.iterations, self.threads = iterations, threads
        self.early_stopping = dict(early_stopping or {})
        self.held_out, self.fit_kwargs = held_out, dict(fit_kwargs or {})


class FocalFit:
    """What :func:`fit_booster` decided, for the adapter to hand to its library.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        Sorted labels.
    labels : ndarray or Dask array of shape (n_samples,)
        Class index of each training row.
    counts, totals : ndarray of shape (n_classes,)
        Rows and class-weighted total weight per class.
    weight : array of shape (n_samples,) or None
        Sample times class weights.
    eval_labels : list of arrays or None
        Class indices of the eval sets' labels (checked to be training labels).
    objective, metric : callables
        The library's FocalObjective and the model's FocalMetric.
    start : ndarray or None
        The constant score boosting starts from; None when training continues
        from a model whose raw scores hold their own start.
    """

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def start_rows(self, labels):
        """The start for every row of ``labels`` (a Dask array: blockwise)."""
        if self.start is None:
            return None
        if isinstance(labels, np.ndarray):
            return repeat_rows(self.start, len(labels))
        from ._dask import start_rows

        return start_rows(labels, self.start)


def fit_booster(
    estimator,
    X,
    y,
    sample_weight=None,
    *,
    eval_set=None,
    eval_sample_weight=None,
    init_scores=(None, None),
    init_model=None,
    **library_kwargs,
):
    """Fit a focal booster through its adapter; the one fit sequence.

    Parameters
    ----------
    estimator : FocalBoosterMixin
        The estimator, its ``_adapter`` the library's.
    X, y, sample_weight
        As given to its ``fit``.
    eval_set : list of (X, y) tuples or None
        Validation sets.
    eval_sample_weight : list or dict of arrays, or None
        Their weights.
    init_scores : tuple
        The user's initial scores of the training and eval sets (refused).
    init_model : model or None
        The model training continues from, with its start in its raw scores.
    **library_kwargs
        The library's other fit arguments, for :meth:`Adapter.train`.

    Returns
    -------
    estimator
        Fitted.
    """
    adapter = estimator._adapter
    gamma = check_focal_parameters(estimator)
    refuse_init_scores(*init_scores, type(estimator).__name__, adapter.init_score_name)
    classes_of = _dask_classes if adapter.distributed else _local_classes
    fit = classes_of(estimator, X, y, sample_weight, eval_set, eval_sample_weight)
    n_classes = len(fit.classes)
    label_weights, start_weights = adapter.label_weights(
        estimator, n_classes, fit.counts
    )
    # Predictions follow what fit used, not parameters set after it.
    loss = fitted_loss(gamma, estimator.alpha, fit.classes)
    estimator.loss_, estimator.proba_ = loss, estimator.proba
    score = loss.init_score_from_totals(
        fit.totals * (1.0 if start_weights is None else start_weights)
    )
    if start_weights is None:
        score = np.zeros_like(score)
    # A continued model's raw scores hold its own start (zeros if unknown).
    fit.start = score if init_model is None else None
    estimator.init_score_ = (
        score
        if init_model is None
        else getattr(init_model, "init_score_", np.zeros_like(score)[()])
    )
    n_threads = adapter.thread_count(estimator)
    alpha = (
        loss.alpha
        if np.all(label_weights == 1.0)
        else loss.class_weights(n_classes) * label_weights
    )
    fit.objective = adapter.objective_class(gamma, alpha, n_threads)
    fit.metric = adapter.metric_class(gamma, loss.alpha, n_threads)
    # GammaSearchCV's fold fits: the metric scores the held-out rows as it goes.
    monitor = getattr(estimator, "_held_out_scorer", None)
    if monitor is not None:
        fit.metric.monitor = monitor.bind(fit.classes, loss, estimator.proba)
    adapter.train(
        estimator,
        X,
        y,
        sample_weight,
        fit,
        eval_set=eval_set,
        eval_sample_weight=eval_sample_weight,
        init_model=init_model,
        **library_kwargs,
    )
    # The booster becomes the whole model; a search's fold model, read only
    # through its running scores (which start from fit.start), is thrown away.
    if fit.start is not None and monitor is None:
        adapter.fold(estimator, np.atleast_1d(fit.start))
    return estimator


def _local_classes(estimator, X, y, sample_weight, eval_set, eval_sample_weight):
    """The classes and totals of in-memory data; the eval sets checked."""
    y = check_targets(y)
    classes = estimator._classes_of(y)
    labels = np.searchsorted(classes, y)
    counts, totals, weight = estimator._class_totals(labels, classes, sample_weight)
    eval_labels = None
    if eval_set is not None:
        check_eval_sets(eval_set, eval_sample_weight, X)
        eval_labels = []
        for i, (_, valid_y) in enumerate(eval_set):
            valid_y = check_targets(valid_y)
            check_eval_labels(np.unique(valid_y), classes, i)
            eval_labels.append(np.searchsorted(classes, valid_y))
    return FocalFit(
        classes=classes, labels=labels, counts=counts, totals=totals,
        weight=weight, eval_labels=eval_labels,
    )  # fmt: skip


def _dask_classes(estimator, X, y, sample_weight, eval_set, eval_sample_weight):
    """The same from Dask collections: global reductions, checked as locally."""
    from ._dask import as_dask_array, class_index, class_weighted, global_class_totals

    classes, labels, counts, totals = global_class_totals(
        X, y, sample_weight, type(estimator).__name__, eval_set, eval_sample_weight
    )
    balance = counts if estimator._adapter.balance_on == "rows" else totals
    per_class = class_weight_per_class(estimator.class_weight, classes, balance)
    weight = sample_weight
    if estimator.class_weight is not None:
        weight = class_weighted(y, sample_weight, classes, per_class)
    eval_labels = None
    if eval_set is not None:
        eval_labels = [class_index(as_dask_array(v), classes) for _, v in eval_set]
    return FocalFit(
        classes=classes, labels=labels, counts=counts, totals=totals * per_class,
        weight=weight, eval_labels=eval_labels,
    )  # fmt: skip


def with_library_signature(estimator_class, *library_classes):
    """Show the library's parameters in the signature of ``estimator_class``.

    A focal booster takes its library's parameters through ``**kwargs`` (the
    library's ``get_params`` reports them); with the keywords of the library
    classes' ``__init__`` in its signature, scikit-learn's repr shows only the
    changed ones and the API pages list them all.
    """
    init = estimator_class.__init__
    own = list(inspect.signature(init).parameters.values())
    taken = {p.name for p in own} | {"self", "objective"}
    library = []
    for library_class in library_classes:
        for p in inspect.signature(library_class.__init__).parameters.values():
            if p.name not in taken and p.kind != p.VAR_KEYWORD:
                library.append(p.replace(kind=p.KEYWORD_ONLY))
                taken.add(p.name)
    init.__signature__ = inspect.Signature([*own[:-1], *library, own[-1]])
    return estimator_class


class FocalBoosterMixin(FocalClassifierMixin):
    """Predictions of every focal booster, from its adapter's raw scores.

    First among the estimator's bases; it defines no ``get_params`` (the
    libraries' ``get_params`` then skip it). ``_classes_of`` and
    ``_class_totals`` are the local fit's sources of the classes and their
    totals (a LightGBM Dask worker takes the global ones instead).
    """

    def _classes_of(self, y):
        return encode_labels(y, type(self).__name__)[0]

    def _class_totals(self, labels, classes, sample_weight):
        if sample_weight is not None:
            sample_weight = check_fit_sample_weight(sample_weight, labels)
        return weigh_classes(
            labels, classes, sample_weight, self.class_weight,
            balance_on=self._adapter.balance_on,
        )  # fmt: skip

    def decision_function(self, X, **kwargs):
        """Raw scores of the model, the initial score included.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples (Dask collections for the Dask estimators).
        **kwargs
            The library's prediction options: LightGBM's ``start_iteration``
            and ``num_iteration`` (from ``start_iteration > 0`` on, the initial
            score is left out with the first trees, as in LightGBM), XGBoost's
            ``iteration_range``, CatBoost's ``ntree_end``; by default the best
            iteration of early stopping, else all.

        Returns
        -------
        raw : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Logit of ``classes_[1]`` for binary problems, softmax scores
            otherwise; float64.
        """
        return self._adapter.raw_scores(self, X, **kwargs)

    def predict_proba(self, X, **kwargs):
        """Class probabilities (or, on request, the library's other outputs).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        **kwargs
            As in :meth:`decision_function`; LightGBM's ``raw_score``,
            ``pred_leaf`` and ``pred_contrib`` (contributions add up to
            :meth:`decision_function`) and XGBoost's ``output_margin`` return
            those outputs instead.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns in the order of ``classes_``: the posterior
            (``proba="posterior"``) or the sigmoid/softmax of the raw scores.
        """
        other = self._adapter.other_output(self, X, kwargs)
        if other is not None:
            return other
        raw = self.decision_function(X, **kwargs)
        if isinstance(raw, np.ndarray):
            return self._probabilities(raw)
        from ._dask import blockwise_probabilities

        return blockwise_probabilities(raw, self._probabilities, len(self.classes_))

    def predict(self, X, **kwargs):
        """Class labels (or, on request, the library's other outputs).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        **kwargs
            As in :meth:`predict_proba`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The class with the largest raw score.
        """
        other = self._adapter.other_output(self, X, kwargs)
        if other is not None:
            return other
        raw = self.decision_function(X, **kwargs)
        if isinstance(raw, np.ndarray):
            return predicted_labels(raw, self.classes_)
        from ._dask import blockwise_labels

        return blockwise_labels(raw, self.classes_)
