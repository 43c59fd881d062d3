"""XGBoost parameters as the focal estimators read them.

The rules for what XGBoost would take silently from a focal estimator (another
objective, an intercept, the class weighting of its own ``binary:logistic``),
and how the initial score goes into the model. XGBoost's built-in metrics stay
right: it evaluates them on the sigmoid/softmax of the margins (the model's
probabilities, not the posterior).
"""

import json
from contextlib import contextmanager

import numpy as np
from scipy.special import expit

# Our parameters, not XGBoost's (its own gamma and alpha are min_split_loss and
# reg_alpha): they stay out of the booster's parameters.
FOCAL_PARAMS = frozenset({"gamma", "alpha", "proba", "class_weight"})


def refuse_objective(names, estimator, error):
    """An ``objective`` given to a focal estimator is an error, not ignored."""
    if "objective" in names:
        raise error(
            f"{type(estimator).__name__} has no parameter 'objective': it always "
            "trains with the focal loss. Use xgboost.XGBClassifier for other "
            "objectives (or objective=skfocal.xgboost.FocalObjective(...) in it)."
        )


def without_objective(params):
    """XGBoost reports its parents' ``objective``; a focal estimator has none."""
    params.pop("objective", None)
    return params


def check_params(params, n_classes):
    """Refuse what XGBoost would ignore or compute wrongly with a custom objective.

    Returns the weights of the two classes that ``scale_pos_weight`` asks for
    (XGBoost's ``binary:logistic`` multiplies the positive class's gradient and
    Hessian by it), ones otherwise.
    """
    if params.get("base_score") is not None:
        raise ValueError(
            "base_score is not accepted: the focal estimator computes the optimal "
            "initial score itself and keeps it in the model (init_score_)."
        )
    weights = np.ones(n_classes)
    scale = params.get("scale_pos_weight")
    if scale is not None and float(scale) != 1.0:
        if n_classes > 2:
            raise ValueError(
                "scale_pos_weight weights the positive class of a binary problem, "
                f"but there are {n_classes} classes (XGBoost's multi:softprob "
                "would ignore it). Use class_weight or alpha instead."
            )
        if not (np.isfinite(float(scale)) and float(scale) > 0):
            raise ValueError(f"scale_pos_weight must be > 0, got {scale!r}.")
        weights[1] = float(scale)
    return weights


def thread_count(n_jobs):
    """The focal callables' threads for XGBoost's ``n_jobs`` (None: every CPU)."""
    return -1 if n_jobs is None or n_jobs <= 0 else n_jobs


def fold_base_score(booster, score):
    """Put a checked initial score (K,) into the booster's intercept, in place.

    XGBoost reads ``base_score`` in the space of the booster's objective: a
    probability for ``binary:logistic`` (what a FocalXGBClassifier trains as),
    a margin otherwise (``xgb.train`` with a custom objective, softmax).
    """
    objective = json.loads(booster.save_config())["learner"]["objective"]["name"]
    score = np.atleast_1d(np.asarray(score, dtype=np.float64))
    values = expit(score) if objective == "binary:logistic" else score
    booster.set_param(
        {"base_score": "[" + ",".join(map(repr, map(float, values))) + "]"}
    )
    return booster


@contextmanager
def focal_fit_params(estimator, objective, metric, n_classes, neutral_start):
    """XGBoost reads these from the estimator while it fits: set, then restore.

    The focal objective; the focal metric unless the user chose one; and, when
    the initial score comes through ``base_margin``, a ``base_score`` of margin
    0 (a probability 1/2 for binary:logistic, margins for multi:softprob), so
    that XGBoost estimates no intercept of its own. With a callable metric
    (the focal one or the user's), XGBoost's default metric is switched off: it
    would add ``logloss`` of the sigmoid of the focal margins (the distorted
    probabilities) to ``evals_result()``, a number the model does not stand for.
    """
    saved = (estimator.objective, estimator.eval_metric, estimator.base_score)
    saved_kwargs = getattr(estimator, "kwargs", None)
    estimator.objective = objective
    if estimator.eval_metric is None:
        estimator.eval_metric = metric
    if callable(estimator.eval_metric):
        estimator.kwargs = {"disable_default_eval_metric": True, **(saved_kwargs or {})}
    if neutral_start:
        estimator.base_score = 0.5 if n_classes == 2 else 0.0
    try:
        yield
    finally:
        estimator.objective, estimator.eval_metric, estimator.base_score = saved
        if saved_kwargs is None:
            estimator.__dict__.pop("kwargs", None)
        else:
            estimator.kwargs = saved_kwargs
