"""A focal booster's fitted state as JSON: what its library's model file lacks.

A boosting library saves and reloads its booster, the start folded into it;
not the class labels, the loss or the probability switch that
``predict_proba`` needs. A front end whose library keeps strings in the model
(XGBoost's booster attributes) stores this state there.
"""

import json

import numpy as np

from ._base import fitted_loss


def set_fitted_state(estimator, state):
    """Set ``classes_``, ``loss_``, ``proba_`` and ``init_score_`` from ``state``."""
    classes = np.asarray(state["classes"], dtype=state["classes_dtype"])
    estimator.classes_ = classes
    estimator.n_classes_ = len(classes)
    estimator.loss_ = fitted_loss(state["gamma"], state["alpha"], classes)
    estimator.proba_ = state["proba"]
    score = np.asarray(state["init_score"], dtype=np.float64)
    estimator.init_score_ = score if score.ndim else float(score)


def fitted_state(estimator):
    """The fitted state as a dict of JSON types (see :func:`set_fitted_state`)."""
    loss, classes = estimator.loss_, np.asarray(estimator.classes_)
    alpha = loss.alpha.tolist() if isinstance(loss.alpha, np.ndarray) else loss.alpha
    return {
        "gamma": loss.gamma,
        "alpha": alpha,
        "proba": estimator.proba_,
        "classes": classes.tolist(),
        "classes_dtype": classes.dtype.str if classes.dtype != object else "O",
        "init_score": np.asarray(estimator.init_score_, dtype=np.float64).tolist(),
    }


def fitted_state_json(estimator):
    """:func:`fitted_state` as JSON, refused where labels would not come back."""
    state = fitted_state(estimator)
    try:
        text = json.dumps(state)
        back = np.asarray(json.loads(text)["classes"], dtype=state["classes_dtype"])
        same = back.shape == estimator.classes_.shape and bool(
            np.all(back == estimator.classes_)
        )
    except (TypeError, ValueError):
        same = False
    if not same:
        raise ValueError(
            f"save_model cannot store the class labels {estimator.classes_[:5]!r} "
            "(of a type JSON does not hold); save the estimator with pickle or "
            "joblib instead."
        )
    return text
