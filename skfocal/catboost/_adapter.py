"""CatBoost's side of the front-end contract (``skfocal._frontend.Adapter``)."""

import catboost
import numpy as np

from .._frontend import Adapter


class CatBoostAdapter(Adapter):
    """CatBoost: ``calc_ders_range``/``evaluate`` callables, Pools with the
    start as ``baseline``, the start kept as the model's bias; the estimator
    holds the model (``booster_``) by composition."""

    library = "CatBoost"
    train_call, start_argument = "catboost.train", "the Pool's baseline"
    init_score_name, num_class_name = "baseline", "classes_count"
    balance_on = "weights"  # class_weight is scikit-learn's, not CatBoost's

    def callable_arguments(self, first, second, weight):
        if isinstance(second, (tuple, list)):  # a metric's: one array per class
            second = second[0] if len(second) == 1 else np.column_stack(second)
        return first, np.asarray(second), weight

    def thread_count(self, estimator):
        return -1 if estimator.thread_count is None else estimator.thread_count

    def train(self, estimator, X, y, sample_weight, fit, *, eval_set,
              eval_sample_weight, init_model):  # fmt: skip
        cat_features = estimator._categorical_columns(X)
        pool = catboost.Pool(
            X, fit.labels, weight=fit.weight, baseline=fit.start_rows(fit.labels),
            cat_features=cat_features,
        )  # fmt: skip
        eval_pools = []
        for i, ((valid_X, _), labels) in enumerate(
            zip(eval_set or (), fit.eval_labels or (), strict=True)
        ):
            weight = None if eval_sample_weight is None else eval_sample_weight[i]
            eval_pools.append(catboost.Pool(
                valid_X, labels, weight=weight, baseline=fit.start_rows(labels),
                cat_features=cat_features,
            ))  # fmt: skip
        model = catboost.CatBoost(estimator._catboost_params(fit))
        previous = getattr(init_model, "booster_", init_model)
        model.fit(pool, eval_set=eval_pools or None, init_model=previous)
        if previous is not None:  # CatBoost drops the bias it continued from
            model.set_scale_and_bias(*previous.get_scale_and_bias())
        estimator.booster_ = model
        estimator.classes_, estimator.n_classes_ = fit.classes, len(fit.classes)

    def fold(self, estimator, score):
        add_to_bias(estimator.booster_, score)

    def raw_scores(self, estimator, X, **kwargs):
        X = estimator._checked_X(X, reset=False)
        raw = estimator.booster_.predict(X, prediction_type="RawFormulaVal", **kwargs)
        return np.asarray(raw, dtype=np.float64)


def add_to_bias(model, score):
    """Add the constant ``score`` (n_scores,) to a trained model's bias."""
    scale, bias = model.get_scale_and_bias()
    n_scores = len(bias) if isinstance(bias, list) else 1
    if score.shape != (n_scores,):
        raise ValueError(
            f"init_score has {score.size} value(s) per row but the model has "
            f"{n_scores} raw score(s) per row."
        )
    bias = np.asarray(bias, dtype=np.float64) + score
    model.set_scale_and_bias(scale, bias.tolist() if n_scores > 1 else float(bias[0]))


ADAPTER = CatBoostAdapter()
