"""XGBoost's own persistence (``save_model``/``load_model``) for the focal estimators.

XGBoost saves the booster and reloads only what the booster says: for a focal
classifier that is the trees and the start score (in ``base_score``), not the
class labels, the loss or the probability switch that ``predict_proba`` needs.
They travel in one booster attribute, ``skfocal``, a JSON object written just
for the save and removed from the live booster again.
"""

import json

from sklearn.utils.validation import check_is_fitted

from .._fitted_state import fitted_state_json, set_fitted_state

ATTRIBUTE = "skfocal"


def save_focal_model(estimator, save, fname):
    """``save(fname)`` (XGBoost's ``save_model``) with the fitted state attached."""
    check_is_fitted(estimator)
    state = fitted_state_json(estimator)
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
