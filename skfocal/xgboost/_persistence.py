"""XGBoost's own persistence (``save_model``/``load_model``) for the focal estimators.

XGBoost saves the booster and reloads only what the booster says: for a focal
classifier that is the trees and the start score (in ``base_score``), not the
class labels, the loss or the probability switch that ``predict_proba`` needs.
They travel in one booster attribute, ``skfocal``, a JSON object written just
for the save and removed from the live booster again.
"""

import json

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._base import fitted_loss

ATTRIBUTE = "skfocal"


def save_focal_model(estimator, save, fname):
    """``save(fname)`` (XGBoost's ``save_model``) with the fitted state attached."""
    check_is_fitted(estimator)
    state = _fitted_state(estimator)
    booster = estimator.get_booster()
    booster.set_attr(**{ATTRIBUTE: state})
    try:
        save(fname)
    finally:
        booster.set_attr(**{ATTRIBUTE: None})


def restore_fitted_state(estimator, source):
    """After XGBoost's ``load_model``: the fitted state from the booster's attribute.

    ``source`` names the file for the error when the model was not saved by a
    focal estimator's ``save_model``.
    """
    booster = estimator.get_booster()
    text = booster.attr(ATTRIBUTE)
    if text is None:
        raise ValueError(
            f"{source} was not saved by a focal estimator's save_model: it lacks "
            "the class labels and the focal loss that predictions need. Load an "
            "XGBClassifier's file with xgboost.XGBClassifier; save a focal "
            "estimator with its save_model, pickle or joblib."
        )
    booster.set_attr(**{ATTRIBUTE: None})
    state = json.loads(text)
    # XGBoost's load_model sets these from the booster; a focal estimator has
    # neither parameter (refit would refuse base_score).
    estimator.objective = estimator.base_score = None
    set_fitted_state(estimator, state)


def set_fitted_state(estimator, state):
    """Set ``classes_``, ``loss_``, ``proba_`` and ``init_score_`` from ``state``."""
    classes = np.asarray(state["classes"], dtype=state["classes_dtype"])
    estimator._labels = classes
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


def _fitted_state(estimator):
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
