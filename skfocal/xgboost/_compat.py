"""XGBoost's private API, as skfocal uses it: every name here, with why.

Listed here because skfocal overrides or sets it on XGBoost's estimators;
``tests/test_compat.py`` checks that each still exists, so an upgrade that
removes one fails with its name.
"""

import xgboost as xgb

# Private methods of XGBoost's estimators that skfocal overrides.
HOOKS = {
    (xgb.XGBModel, "_wrapper_params"): (
        "overridden: gamma, alpha, proba and class_weight are not booster "
        "parameters (XGBoost's own gamma and alpha are others)"
    ),
}

# Attributes of XGBoost's estimators that skfocal sets while it fits.
ATTRIBUTES = {
    "kwargs": (
        "set while fitting: disable_default_eval_metric, a booster parameter "
        "without a constructor argument"
    ),
}
