"""LightGBM's private API, as skfocal uses it: every name here, with why.

Imported here and nowhere else, or listed in ``HOOKS`` and ``ATTRIBUTES``
when skfocal calls, overrides or sets it on LightGBM's estimators;
``tests/test_compat.py`` checks that each still exists, so an upgrade that
removes one fails with its name.
"""

import lightgbm as lgb

# A parameter's value under any of its aliases ("num_threads", "n_jobs",
# "nthread", ...), resolved as LightGBM resolves them.
from lightgbm.basic import _choose_param_value, _ConfigAliases  # noqa: F401

# Private methods of LightGBM's estimators that skfocal overrides or calls.
HOOKS = {
    (lgb.LGBMModel, "_process_params"): (
        "overridden: puts the focal objective back, drops the focal parameters, "
        "sets the metric"
    ),
    (lgb.LGBMModel, "_process_n_jobs"): "called: the threads LightGBM trains with",
    (lgb.DaskLGBMClassifier, "_lgb_dask_fit"): (
        "called: the Dask fit, with a per-fit worker class (model_factory)"
    ),
    (lgb.DaskLGBMClassifier, "_lgb_dask_to_local"): "called: to_local()",
}

# Private attributes of LightGBM's estimators that skfocal sets or reads; the
# optional ones only some supported versions have.
ATTRIBUTES = {
    "_objective": "set: LGBMClassifier.fit resets an objective it does not know",
}
OPTIONAL_ATTRIBUTES = {
    "_fitted_with_feature_names": (
        "read (LightGBM >= 4.7): whether the training data had column names"
    ),
}
