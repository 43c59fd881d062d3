"""XGBoost's side of the front-end contract (``skfocal._frontend.Adapter``)."""

import numpy as np
import xgboost as xgb

from .._frontend import Adapter, FocalBoosterMixin
from ._checks import check_params, focal_fit_params, fold_base_score, thread_count


class XGBoostAdapter(Adapter):
    """XGBoost: ``(predt, DMatrix)`` or ``(y_true, y_pred, sample_weight)``
    callables, the softmax curvature times 2, ``base_margin`` rows, the start
    kept as the booster's ``base_score``."""

    library = "XGBoost"
    train_call, start_argument = "xgb.train", "the DMatrix's base_margin"
    init_score_name = "base_margin"
    balance_on = "weights"  # no class_weight of its own: scikit-learn's rule

    def callable_arguments(self, first, second, weight):
        if isinstance(second, xgb.DMatrix):  # xgb.train: (predt, dtrain)
            first, second, weight = second.get_label(), first, second.get_weight()
        if weight is not None and np.size(weight) == 0:  # XGBoost's "no weights"
            weight = None
        raw = np.asarray(second)
        if raw.ndim == 2 and raw.shape[1] == 1:  # a binary margin as a column
            raw = raw[:, 0]
        return first, raw, weight

    def softmax_hessian_scale(self, n_classes):
        return 2.0  # multi:softprob's curvature is 2 p (1 - p)

    def metric_result(self, value, second):
        # xgb.train's custom_metric returns a pair; an eval_metric the value.
        return ("focal_loss", value) if isinstance(second, xgb.DMatrix) else value

    def label_weights(self, estimator, n_classes, counts):
        # scale_pos_weight weighs the objective and, as in binary:logistic,
        # the intercept.
        weights = check_params(estimator.get_params(), n_classes)
        return weights, weights

    def thread_count(self, estimator):
        return thread_count(estimator.n_jobs)

    def train(self, estimator, X, y, sample_weight, fit, *, eval_set, **kwargs):
        args = {"sample_weight": fit.weight, "base_margin": fit.start_rows(fit.labels)}
        args["xgb_model"] = kwargs.pop("init_model")
        if eval_set is not None:
            args["eval_set"] = [
                (X_, i) for (X_, _), i in zip(eval_set, fit.eval_labels, strict=True)
            ]
            if fit.start is not None:
                args["base_margin_eval_set"] = [fit.start_rows(i) for i in
                                                fit.eval_labels]  # fmt: skip
        args["sample_weight_eval_set"] = kwargs.pop("eval_sample_weight")
        estimator.__dict__.pop("_labels", None)  # XGBoost checks y against indices
        n_classes, neutral = len(fit.classes), fit.start is not None
        with focal_fit_params(estimator, fit.objective, fit.metric, n_classes, neutral):
            super(FocalBoosterMixin, estimator).fit(X, fit.labels, **args, **kwargs)
        estimator.classes_ = fit.classes

    def fold(self, estimator, score):
        fold_base_score(estimator.get_booster(), score)

    def raw_scores(self, estimator, X, **kwargs):
        raw = super(FocalBoosterMixin, estimator).predict(
            X, output_margin=True, **kwargs
        )
        return raw.astype(np.float64)

    def other_output(self, estimator, X, kwargs):
        if kwargs.pop("output_margin", False):
            return estimator.decision_function(X, **kwargs)
        return None


class DaskXGBoostAdapter(XGBoostAdapter):
    """XGBoost's Dask API: Dask arrays of class indices, weights and start rows."""

    distributed = True

    def train(self, estimator, X, y, sample_weight, fit, **kwargs):
        from .._dask import as_dask_array

        fit.weight = None if fit.weight is None else as_dask_array(fit.weight)
        super().train(estimator, X, y, sample_weight, fit, **kwargs)


ADAPTER = XGBoostAdapter()
