"""scikit-learn's private API, as skfocal uses it: every name here, with why.

scikit-learn's maintainers tolerate these uses but promise nothing. Each is
imported here and nowhere else (``tests/test_compat.py`` checks both), so an
upgrade that removes one fails in one place, with its name. The names only
:mod:`skfocal.ensemble` needs are in ``skfocal/ensemble/_compat.py``, so that
``import skfocal`` does not import ``sklearn.ensemble``.
"""

# The validation decorator of every scikit-learn fit: parameters checked once.
from sklearn.base import _fit_context  # noqa: F401

# The linear classifiers' predict, decision_function and sparsify, as
# LogisticRegression has them.
from sklearn.linear_model._base import LinearClassifierMixin, SparseCoefMixin  # noqa: F401

# FocalLossClassifierCV scores folds with a user's scorer object; its type
# tells a scorer from a metric function.
from sklearn.metrics._scorer import _BaseScorer  # noqa: F401

# Rows of arrays, frames and lists alike, for the CV folds.
from sklearn.utils import _safe_indexing  # noqa: F401

# scikit-learn's parameter constraints and their error (InvalidParameterError
# is what GridSearchCV users catch).
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)

# Sample weights checked as scikit-learn's estimators check them.
# DataFrame column names, as validate_data reads them (for eval sets and the
# boosters' predictions, which match columns by position). The rows of any
# input, as scikit-learn counts them (GammaSearchCV refuses empty data).
from sklearn.utils.validation import (
    _check_sample_weight,  # noqa: F401
    _get_feature_names,  # noqa: F401
    _num_samples,  # noqa: F401
)
