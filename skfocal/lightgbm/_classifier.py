"""FocalLGBMClassifier: LightGBM's scikit-learn classifier with the focal loss."""

import lightgbm as lgb

from .._frontend import (
    FocalBoosterMixin,
    SearchSpec,
    fit_booster,
    with_library_signature,
)
from ._adapter import ADAPTER
from ._checks import (
    check_builtin_metrics,
    param_value,
    refuse_objective,
    training_params,
    without_objective,
)


class FocalLGBMClassifier(FocalBoosterMixin, lgb.LGBMClassifier):
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

    _adapter = ADAPTER
    _search_spec = SearchSpec(
        "n_estimators", "n_jobs",
        early_stopping=dict.fromkeys(
            ("early_stopping_round", "early_stopping_rounds", "early_stopping",
             "n_iter_no_change"),
        ),
    )  # fmt: skip

    def __init__(self, gamma=2.0, alpha=None, *, proba="posterior", **kwargs):
        # LightGBM's parameters come through **kwargs, as in XGBoost's classifiers:
        # its get_params reads them from LGBMClassifier's signature.
        refuse_objective(kwargs, self, TypeError)
        super().__init__(objective=None, **kwargs)
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
        return fit_booster(
            self, X, y, sample_weight, eval_set=_eval_sets(eval_set, eval_X, eval_y),
            eval_sample_weight=eval_sample_weight,
            init_scores=(init_score, eval_init_score), init_model=init_model,
            eval_names=eval_names, eval_class_weight=eval_class_weight,
            eval_metric=eval_metric, feature_name=feature_name,
            categorical_feature=categorical_feature, callbacks=callbacks,
        )  # fmt: skip

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


with_library_signature(FocalLGBMClassifier, lgb.LGBMClassifier)
