"""scikit-learn's estimator checks on every public estimator, no expected failures.

The checks use 2- and 3-class data, so ``alpha`` is tested in the estimators'
own test modules.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skfocal import FocalLossClassifier
from skfocal.lightgbm import FocalLGBMClassifier

ESTIMATORS = [
    FocalLossClassifier(),
    FocalLossClassifier(gamma=0.0),
    FocalLossClassifier(gamma=0.5, C=0.1),
    FocalLossClassifier(class_weight="balanced", proba="model"),
    FocalLGBMClassifier(),
    FocalLGBMClassifier(gamma=0.0, alpha=None, proba="model", n_estimators=20),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
