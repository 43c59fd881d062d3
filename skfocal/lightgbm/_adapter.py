"""LightGBM's side of the front-end contract (``skfocal._frontend.Adapter``)."""

import warnings

import lightgbm as lgb
import numpy as np

from .._boosting import check_feature_names
from .._callables import with_model_metric
from .._frontend import Adapter, FocalBoosterMixin
from ._booster import fold
from ._checks import (
    BinaryObjectiveParams,
    check_boosting_type,
    thread_count,
    training_feature_names,
)


class LightGBMAdapter(Adapter):
    """LightGBM: ``(preds, Dataset)`` or ``(y_true, y_pred, weight)`` callables,
    float32 column-major gradients, the softmax curvature times K / (K - 1),
    ``init_score`` rows, the start folded into the first trees."""

    library = "LightGBM"
    train_call, start_argument = "lgb.train", "the Dataset's init_score"
    gradient_order = "F"  # LightGBM keeps gradients class by class

    def callable_arguments(self, first, second, weight):
        if isinstance(second, lgb.Dataset):  # lgb.train: (preds, train_data)
            return second.get_label(), first, second.get_weight()
        return first, second, weight  # LGBMClassifier: (y_true, y_pred, weight)

    def softmax_hessian_scale(self, n_classes):
        # Friedman's damping of K trees fitted at once on a redundant softmax.
        return n_classes / (n_classes - 1)

    def metric_result(self, value, second):
        return "focal_loss", value, False

    def label_weights(self, estimator, n_classes, counts):
        # is_unbalance and scale_pos_weight weigh the objective, not the start.
        check_boosting_type(estimator.get_params())
        binary = BinaryObjectiveParams(estimator.get_params(), n_classes, counts)
        start = np.ones(n_classes) if binary.boost_from_average else None
        return binary.label_weights, start

    def thread_count(self, estimator):
        return thread_count(estimator)

    def train(self, estimator, X, y, sample_weight, fit, *, eval_set, **kwargs):
        callables = estimator._metrics(kwargs.pop("eval_metric", None))
        if eval_set is not None:
            callables = with_model_metric(fit.metric, callables, len(fit.classes))
            if fit.start is not None:
                kwargs["eval_init_score"] = [fit.start_rows(i) for i in fit.eval_labels]
        estimator._focal_objective = fit.objective  # _process_params sets it
        with warnings.catch_warnings():
            # LightGBM 4.7 deprecates eval_set for eval_X/eval_y, but only eval_set
            # has its labels encoded by LGBMClassifier.
            warnings.filterwarnings("ignore", message=".*'eval_set' is deprecated")
            super(FocalBoosterMixin, estimator).fit(
                X, y, sample_weight=sample_weight,
                init_score=fit.start_rows(fit.labels), eval_set=eval_set,
                eval_metric=callables or None, **kwargs,
            )  # fmt: skip

    def fold(self, estimator, score):
        fold(estimator.booster_, score)

    def raw_scores(self, estimator, X, **kwargs):
        return self.booster_predict(estimator, X, raw_score=True, **kwargs)

    def other_output(self, estimator, X, kwargs):
        raw_score = kwargs.pop("raw_score", False)
        leaf, contrib = (
            kwargs.pop("pred_leaf", False),
            kwargs.pop("pred_contrib", False),
        )
        if leaf or contrib:
            return self.booster_predict(
                estimator, X, pred_leaf=leaf, pred_contrib=contrib, **kwargs
            )
        return estimator.decision_function(X, **kwargs) if raw_score else None

    @staticmethod
    def booster_predict(estimator, X, **kwargs):
        """LightGBM's predict, after the feature-name check it skips for frames.

        LightGBM matches DataFrame columns by position: the training columns in
        another order would give other numbers without a word.
        """
        if not estimator.__sklearn_is_fitted__():
            return lgb.LGBMModel.predict(estimator, X, **kwargs)
        names = training_feature_names(estimator)
        if hasattr(X, "columns"):
            check_feature_names(names, X, "X", stacklevel=5)
        with warnings.catch_warnings():
            if names is None:
                # LightGBM < 4.7 names array columns Column_0, ... and then has
                # scikit-learn warn that arrays lack the names they never had.
                warnings.filterwarnings(
                    "ignore", message="X does not have valid feature names"
                )
            return lgb.LGBMModel.predict(estimator, X, **kwargs)


class DaskLightGBMAdapter(LightGBMAdapter):
    """LightGBM's Dask API: each worker fits a FocalLGBMClassifier (the local
    sequence, from the global classes and totals), folding the start itself."""

    distributed = True

    def train(self, estimator, X, y, sample_weight, fit, *, init_model, **kwargs):
        from ._dask import _DaskWorkerClassifier

        # The workers take the initial score and LightGBM's class-count based
        # parameters from the global totals, not from their own rows.
        worker = type(
            "_FocalDaskWorker",
            (_DaskWorkerClassifier,),
            {
                "global_classes": fit.classes,
                "global_counts": fit.counts,
                "global_totals": fit.totals,
            },
        )
        if init_model is not None:
            kwargs["init_model"] = init_model
        class_weight, estimator.class_weight = estimator.class_weight, None
        try:  # the class weights are in fit.weight
            estimator._lgb_dask_fit(
                model_factory=worker, X=X, y=y, sample_weight=fit.weight, **kwargs
            )
        finally:
            estimator.class_weight = class_weight

    def fold(self, estimator, score):
        pass  # each worker folded it into the trees it trained


ADAPTER = LightGBMAdapter()
