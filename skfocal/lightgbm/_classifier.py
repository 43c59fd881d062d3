"""FocalLGBMClassifier: LightGBM's scikit-learn classifier with the focal loss."""

import warnings

import lightgbm as lgb
import numpy as np

from .._base import (
    FocalClassifierMixin,
    check_focal_parameters,
    encode_labels,
    fitted_loss,
)
from .._boosting import (
    check_eval_sets,
    check_feature_names,
    check_targets,
    class_totals,
    refuse_init_scores,
    repeat_rows,
)
from ._booster import fold
from ._callables import FocalMetric, FocalObjective, with_model_metric
from ._checks import (
    BinaryObjectiveParams,
    check_boosting_type,
    check_builtin_metrics,
    param_value,
    refuse_objective,
    thread_count,
    training_feature_names,
    training_params,
    without_objective,
)


class FocalLGBMClassifier(FocalClassifierMixin, lgb.LGBMClassifier):
    """LightGBM classifier trained with the focal loss, with real probabilities.

    A :class:`lightgbm.LGBMClassifier` whose objective is :class:`FocalObjective`
    and which does what LightGBM leaves undone for custom objectives: it starts
    boosting from the optimal constant score (:meth:`skfocal.FocalLoss.init_score`,
    from the weighted class totals) and folds it into the first iteration's
    trees, so that ``booster_`` alone is the model;
    :meth:`predict_proba` returns probabilities (the focal distortion undone by
    default) and :meth:`predict` class labels; LightGBM's built-in metrics that
    would be wrong on raw scores are switched off, and :class:`FocalMetric` is
    evaluated on eval sets (so early stopping works on it).

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0 (0 is LightGBM's ``binary`` /
        ``multiclass`` objective, except with ``colsample_bytree < 1``: see the
        LightGBM page of the documentation).
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss: a float in (0, 1) weights
        ``classes_[1]`` of a binary problem (``classes_[0]`` gets ``1 - alpha``);
        an array gives one positive weight per class in the order of
        ``classes_``; a dict maps every class label to its weight.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns: the recovered class probabilities
        (:meth:`skfocal.FocalLoss.posterior`) or the sigmoid/softmax of the raw
        score. Same arg-max; equal at ``gamma=0``.
    boosting_type, num_leaves, max_depth, learning_rate, n_estimators, \
subsample_for_bin, class_weight, min_split_gain, min_child_weight, \
min_child_samples, subsample, subsample_freq, colsample_bytree, reg_alpha, \
reg_lambda, random_state, n_jobs, importance_type, **kwargs
        As in :class:`lightgbm.LGBMClassifier`; there is no ``objective`` (always
        the focal loss). ``feature_pre_filter`` defaults to False: with a custom
        objective LightGBM's pre-filter can drop every feature of a small data
        set. LightGBM's ``is_unbalance``, ``scale_pos_weight`` and
        ``boost_from_average`` act as in its ``binary`` objective (see the
        LightGBM page of the documentation). ``boosting_type`` "dart" and "rf"
        are refused (DART is not reproducible with a callable objective).

    Attributes
    ----------
    init_score_ : float or ndarray of shape (n_classes,)
        The constant raw score boosting started from, folded into the first
        iteration's trees: ``booster_`` alone is the whole model (saved,
        reloaded, explained or exported). Continuing from an ``init_model``, it
        is that model's ``init_score_`` (0 for a booster, whose trees carry
        their own start).
    loss_ : FocalLoss
        The loss the trees were fitted with (``gamma``, and ``alpha`` in the
        order of ``classes_``); predictions use it, so that a ``gamma`` set with
        ``set_params`` takes effect only when the model is refitted.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit, which :meth:`predict_proba` follows.
    classes_, booster_, n_features_in_, feature_importances_, best_iteration_, \
evals_result_
        As in :class:`lightgbm.LGBMClassifier`.

    See Also
    --------
    FocalObjective, FocalMetric : The pieces, for ``lgb.train``.
    skfocal.FocalLossClassifier : A linear model with the same loss.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalLGBMClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = FocalLGBMClassifier(gamma=2.0, n_estimators=50, verbose=-1).fit(X, y)
    >>> clf.predict(X[:5])
    array([0, 1, 0, 0, 0])
    >>> clf.predict_proba(X[:2]).round(3)
    array([[0.999, 0.001],
           [0.006, 0.994]])
    """

    def __init__(
        self,
        gamma=2.0,
        alpha=None,
        *,
        proba="posterior",
        boosting_type="gbdt",
        num_leaves=31,
        max_depth=-1,
        learning_rate=0.1,
        n_estimators=100,
        subsample_for_bin=200000,
        class_weight=None,
        min_split_gain=0.0,
        min_child_weight=1e-3,
        min_child_samples=20,
        subsample=1.0,
        subsample_freq=0,
        colsample_bytree=1.0,
        reg_alpha=0.0,
        reg_lambda=0.0,
        random_state=None,
        n_jobs=None,
        importance_type="split",
        **kwargs,
    ):
        refuse_objective(kwargs, self, TypeError)
        super().__init__(
            boosting_type=boosting_type,
            num_leaves=num_leaves,
            max_depth=max_depth,
            learning_rate=learning_rate,
            n_estimators=n_estimators,
            subsample_for_bin=subsample_for_bin,
            objective=None,
            class_weight=class_weight,
            min_split_gain=min_split_gain,
            min_child_weight=min_child_weight,
            min_child_samples=min_child_samples,
            subsample=subsample,
            subsample_freq=subsample_freq,
            colsample_bytree=colsample_bytree,
            reg_alpha=reg_alpha,
            reg_lambda=reg_lambda,
            random_state=random_state,
            n_jobs=n_jobs,
            importance_type=importance_type,
            **kwargs,
        )
        self.gamma = gamma
        self.alpha = alpha
        self.proba = proba

    def get_params(self, deep=True):
        """Get the parameters of this estimator (LightGBM's, without ``objective``).

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return without_objective(super().get_params(deep=deep))

    def set_params(self, **params):
        """Set the parameters of this estimator; ``objective`` is refused.

        Parameters
        ----------
        **params
            Parameter names with their new values.

        Returns
        -------
        self : FocalLGBMClassifier
            The estimator.
        """
        refuse_objective(params, self, ValueError)
        return super().set_params(**params)

    def _process_params(self, stage):
        # LGBMClassifier.fit resets the objective it does not know; put ours back.
        if stage == "fit":
            self._objective = self._focal_objective
        return training_params(super()._process_params(stage), self._builtin_metrics)

    def fit(
        self,
        X,
        y,
        sample_weight=None,
        init_score=None,
        eval_set=None,
        eval_names=None,
        eval_sample_weight=None,
        eval_class_weight=None,
        eval_init_score=None,
        eval_metric=None,
        feature_name="auto",
        categorical_feature="auto",
        callbacks=None,
        init_model=None,
        *,
        eval_X=None,
        eval_y=None,
    ):
        """Fit the boosted trees, starting from the optimal constant score.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (honoured by the objective and the initial score).
        init_score : None
            Not accepted: the initial score is computed from the data.
        eval_set : list of (X, y) tuples, default=None
            Validation sets; the focal loss of the model (:class:`FocalMetric`
            with its ``gamma`` and ``alpha``, named ``"focal_loss"``) is
            evaluated on them, so early stopping works on it. ``eval_X`` and
            ``eval_y`` (LightGBM >= 4.7 spelling) work too. DataFrames must have
            the training frame's column names, in its order.
        eval_names, eval_sample_weight, eval_class_weight : list, default=None
            As in :meth:`lightgbm.LGBMClassifier.fit`.
        eval_init_score : None
            Not accepted: eval sets start from the same initial score.
        eval_metric : str, callable or list, default=None
            Extra metrics; built-in ones must be rank-based (``auc``,
            ``average_precision``, ``auc_mu``), the others would be computed on raw
            scores. A :class:`FocalMetric` of the model's own loss is not
            evaluated twice; one of another ``gamma`` or ``alpha`` is reported as
            ``"focal_loss(gamma=...)"``. The metrics come in LightGBM's order
            (``evals_result_`` keeps it): built-in metrics first, then
            ``"focal_loss"``, then the other callables. So
            ``lgb.early_stopping(..., first_metric_only=True)`` stops on the
            focal loss when ``eval_metric`` names no built-in metric, and on the
            first built-in one otherwise (as ``LGBMClassifier`` stops on a
            built-in ``eval_metric`` before its default ``binary_logloss``).
        feature_name, categorical_feature, callbacks, init_model
            As in :meth:`lightgbm.LGBMClassifier.fit`.
        eval_X, eval_y : array-like or tuple of array-likes, default=None
            Validation sets in LightGBM 4.7's spelling; same as ``eval_set``.

        Returns
        -------
        self : FocalLGBMClassifier
            The fitted estimator.
        """
        name = type(self).__name__
        gamma = check_focal_parameters(self)
        refuse_init_scores(init_score, eval_init_score, name)
        y_array = check_targets(y)
        n_classes, n_threads = self._set_loss(gamma, y_array, sample_weight)
        callables = self._metrics(eval_metric)
        # Continued training starts from init_model's raw scores, its initial
        # score included (LightGBM overrides any init_score with them).
        start = None if init_model is not None else self.init_score_
        eval_set = _eval_sets(eval_set, eval_X, eval_y)
        if eval_set is not None:
            check_eval_sets(eval_set, eval_sample_weight, X)
            model_metric = FocalMetric(gamma, self.loss_.alpha, n_threads)
            callables = with_model_metric(model_metric, callables, n_classes)
            if start is not None:
                eval_init_score = [repeat_rows(start, len(v)) for _, v in eval_set]
        with warnings.catch_warnings():
            # LightGBM 4.7 deprecates eval_set for eval_X/eval_y, but only eval_set
            # has its labels encoded by LGBMClassifier.
            warnings.filterwarnings("ignore", message=".*'eval_set' is deprecated")
            super().fit(
                X,
                y,
                sample_weight=sample_weight,
                init_score=None if start is None else repeat_rows(start, len(y_array)),
                eval_set=eval_set,
                eval_names=eval_names,
                eval_sample_weight=eval_sample_weight,
                eval_class_weight=eval_class_weight,
                eval_init_score=eval_init_score,
                eval_metric=callables or None,
                feature_name=feature_name,
                categorical_feature=categorical_feature,
                callbacks=callbacks,
                init_model=init_model,
            )
        if start is None:
            self.init_score_ = _initial_score_of(init_model, self.init_score_)
        else:  # the booster becomes the whole model (see _booster.py)
            fold(self._Booster, np.atleast_1d(start))
        return self

    def __setstate__(self, state):
        # Boosters pickled before loss_ existed did not hold the initial score.
        unfolded = "loss_" not in state
        super().__setstate__(state)
        if unfolded and self.__sklearn_is_fitted__():
            fold(self._Booster, np.atleast_1d(self.init_score_))

    def _set_loss(self, gamma, y, sample_weight):
        """Set loss_, proba_, init_score_ and the objective; return K and threads."""
        classes = self._classes_of(y)
        counts, totals = self._class_totals(y, classes, sample_weight)
        check_boosting_type(self.get_params())
        binary = BinaryObjectiveParams(self.get_params(), len(classes), counts)
        # Predictions follow what fit used, not parameters set after it.
        self.loss_, self.proba_ = fitted_loss(gamma, self.alpha, classes), self.proba
        self.init_score_ = binary.initial_score(self.loss_, totals)
        # The objective computes with as many threads as LightGBM trains with.
        n_threads = thread_count(self)
        self._focal_objective = FocalObjective(
            gamma, binary.objective_alpha(self.loss_, len(classes)), n_threads
        )
        return len(classes), n_threads

    def _metrics(self, eval_metric):
        """Check the built-in metrics (kept for ``_process_params``); the callables."""
        metrics = (
            []
            if eval_metric is None
            else (list(eval_metric) if isinstance(eval_metric, list) else [eval_metric])
        )
        self._builtin_metrics = check_builtin_metrics(
            [m for m in metrics if isinstance(m, str)], "eval_metric"
        ) + check_builtin_metrics(
            param_value(self.get_params(), "metric", None), "The metric parameter"
        )
        return [m for m in metrics if callable(m)]

    def _classes_of(self, y):
        """``classes_`` of the labels (a Dask worker takes the global ones)."""
        return encode_labels(y, type(self).__name__)[0]

    def _class_totals(self, y, classes, sample_weight):
        """Rows and weight per class (a Dask worker takes the global totals)."""
        return class_totals(y, classes, sample_weight, self.class_weight)

    def decision_function(self, X, start_iteration=0, num_iteration=None, **kwargs):
        """Raw scores of the model: ``booster_.predict(X, raw_score=True)``.

        The initial score is in the first iteration's trees, as LightGBM puts
        its own objectives' ``boost_from_average`` score there.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        start_iteration, num_iteration : int
            Iterations to use, as in :meth:`lightgbm.LGBMClassifier.predict`
            (by default the best iteration of early stopping, else all); from
            ``start_iteration > 0`` on the initial score is left out with the
            first trees, as in LightGBM.
        **kwargs
            Other prediction parameters passed to LightGBM.

        Returns
        -------
        raw : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Logit of ``classes_[1]`` for binary problems, softmax scores otherwise.
        """
        return self._booster_predict(
            X,
            raw_score=True,
            start_iteration=start_iteration,
            num_iteration=num_iteration,
            **kwargs,
        )

    def predict_proba(
        self,
        X,
        raw_score=False,
        start_iteration=0,
        num_iteration=None,
        pred_leaf=False,
        pred_contrib=False,
        **kwargs,
    ):
        """Class probabilities (or, on request, LightGBM's other outputs).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        raw_score : bool, default=False
            Return :meth:`decision_function` instead.
        start_iteration, num_iteration : int
            Iterations to use, as in :meth:`lightgbm.LGBMClassifier.predict`.
        pred_leaf, pred_contrib : bool, default=False
            Return LightGBM's leaf indices or feature contributions (these
            add up to :meth:`decision_function`, the initial score being in the
            trees' expected value).
        **kwargs
            Other prediction parameters passed to LightGBM.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns in the order of ``classes_``.
        """
        if pred_leaf or pred_contrib:
            return self._booster_predict(
                X,
                start_iteration=start_iteration,
                num_iteration=num_iteration,
                pred_leaf=pred_leaf,
                pred_contrib=pred_contrib,
                **kwargs,
            )
        raw = self.decision_function(X, start_iteration, num_iteration, **kwargs)
        if raw_score:
            return raw
        return self._probabilities(raw)

    def _booster_predict(self, X, **kwargs):
        """LightGBM's predict, after the feature-name check it skips for frames.

        LightGBM matches DataFrame columns by position: the training columns in
        another order would give other numbers without a word.
        """
        if not self.__sklearn_is_fitted__():
            return lgb.LGBMModel.predict(self, X, **kwargs)
        names = training_feature_names(self)
        if hasattr(X, "columns"):
            check_feature_names(names, X, "X")
        with warnings.catch_warnings():
            if names is None:
                # LightGBM < 4.7 names array columns Column_0, ... and then has
                # scikit-learn warn that arrays lack the names they never had.
                warnings.filterwarnings(
                    "ignore", message="X does not have valid feature names"
                )
            return lgb.LGBMModel.predict(self, X, **kwargs)

    # predict repeats predict_proba's signature on purpose: both mirror
    # LGBMClassifier's prediction parameters.
    def predict(
        self,
        X,
        raw_score=False,
        start_iteration=0,
        num_iteration=None,
        pred_leaf=False,
        pred_contrib=False,
        **kwargs,
    ):
        """Class labels (or, on request, LightGBM's other outputs).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        raw_score, start_iteration, num_iteration, pred_leaf, pred_contrib, **kwargs
            As in :meth:`predict_proba`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The class with the largest raw score.
        """
        if raw_score or pred_leaf or pred_contrib:
            return self.predict_proba(
                X,
                raw_score,
                start_iteration,
                num_iteration,
                pred_leaf,
                pred_contrib,
                **kwargs,
            )
        raw = self.decision_function(X, start_iteration, num_iteration, **kwargs)
        index = (raw > 0).astype(int) if raw.ndim == 1 else raw.argmax(axis=1)
        return self.classes_[index]


def _eval_sets(eval_set, eval_X, eval_y):
    """Validation sets as a list of (X, y), from either LightGBM spelling."""
    if eval_X is not None or eval_y is not None:
        if eval_set is not None:
            raise ValueError("Specify either eval_set or eval_X and eval_y, not both.")
        if (eval_X is None) or (eval_y is None):
            raise ValueError("eval_X and eval_y must be given together.")
        if isinstance(eval_X, tuple) != isinstance(eval_y, tuple):
            raise ValueError("eval_X and eval_y must both be tuples or both not.")
        pairs = (
            zip(eval_X, eval_y, strict=True)
            if isinstance(eval_X, tuple)
            else [(eval_X, eval_y)]
        )
        return list(pairs)
    return [eval_set] if isinstance(eval_set, tuple) else eval_set


def _initial_score_of(init_model, like):
    """The score folded into a continued model's first trees, as far as known.

    A FocalLGBMClassifier says; a booster or a file does not (its trees carry
    whatever start they had): zeros then.
    """
    score = getattr(init_model, "init_score_", None)
    return np.zeros_like(like)[()] if score is None else score
