"""scikit-learn's private API, as skfocal.ensemble uses it: every name, with why.

Apart from ``skfocal/_compat.py`` so that ``import skfocal`` does not import
``sklearn.ensemble``. ``tests/test_compat.py`` checks that each name, hook and
attribute still exists, so an upgrade that removes one fails with its name.
"""

# The loss object HistGradientBoostingClassifier's fit calls (a private,
# unstable API that scikit-learn's maintainers tolerate: scikit-learn #15841,
# #16908, #25834), and the links its classification losses carry.
from sklearn._loss.link import LogitLink, MultinomialLogit  # noqa: F401
from sklearn._loss.loss import BaseLoss  # noqa: F401
from sklearn.ensemble import HistGradientBoostingClassifier

# Private methods of HistGradientBoostingClassifier that
# FocalHistGradientBoostingClassifier overrides or calls.
HOOKS = {
    (HistGradientBoostingClassifier, "_get_loss"): (
        "overridden: fit asks it for the loss object, which is the focal loss"
    ),
    (HistGradientBoostingClassifier, "_encode_y"): (
        "overridden: labels of one class are refused with skfocal's message"
    ),
    (HistGradientBoostingClassifier, "_is_fitted"): (
        "called: whether a warm_start fit continues trees fitted with another loss"
    ),
}

# Private attributes that fit sets and FocalHistGradientBoostingClassifier or
# skfocal.onnx reads.
FITTED_ATTRIBUTES = {
    "_loss": "read: the loss object of the last fit (gamma, alpha, proba)",
    "_baseline_prediction": (
        "read: the start score, as init_score_ and in the ONNX raw scores"
    ),
    "_predictors": (
        "read by skfocal.onnx: the trees, each a TreePredictor whose public nodes "
        "(PREDICTOR_RECORD_DTYPE) and raw_left_cat_bitsets it writes to ONNX"
    ),
    "_preprocessor": (
        "read by skfocal.onnx: None, or the ColumnTransformer whose "
        "OrdinalEncoder (named_transformers_['encoder'].categories_) codes the "
        "categorical features the trees split on"
    ),
    "_bin_mapper": (
        "read by skfocal.onnx: bin_thresholds_, the codes of each categorical "
        "feature seen in training (the known categories of a split)"
    ),
}
