"""scikit-learn's own ``LogisticRegression`` tests, run against skfocal at gamma = 0.

``FocalLossClassifier(gamma=0)`` claims to be ``LogisticRegression`` with its
``"lbfgs"`` and ``"newton-cholesky"`` solvers.
scikit-learn ships its tests inside the installed package; this module imports
``sklearn/linear_model/tests/test_logistic.py``, puts a shim in the place of
``LogisticRegression`` (the same constructor, fitting ``FocalLossClassifier(gamma=0)``)
and collects its tests here, so that a scikit-learn release that changes the
contract shows up in our CI. Nothing of scikit-learn's code is copied.

What the shim cannot be is skipped with the reason, at the point a test asks for it
(another solver, an L1 penalty, ``LogisticRegressionCV``, the private path
functions, array API inputs). The deviations we keep are expected failures, strict:
a test that starts passing must be moved out of ``DEVIATIONS``.
"""

import inspect

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from skfocal import FocalLossClassifier

sk_tests = pytest.importorskip(
    "sklearn.linear_model.tests.test_logistic",
    reason="this scikit-learn does not ship test_logistic.py (or its callback API)",
)
# LogisticRegression's constructor as the installed scikit-learn spells it (its
# parameters and defaults changed between 1.6 and 1.9).
_SIGNATURE = inspect.signature(SkLogisticRegression.__init__)


class LogisticRegression(FocalLossClassifier):
    """LogisticRegression's constructor in front of FocalLossClassifier(gamma=0).

    The parameters are those of the installed scikit-learn's
    ``LogisticRegression``, validated with its own constraints, so bad values
    raise its errors.
    """

    _parameter_constraints = SkLogisticRegression._parameter_constraints
    # FocalLossClassifier's own parameters, fixed at the logistic loss.
    gamma, alpha, proba = 0.0, None, "posterior"

    def __init__(self, *args, **kwargs):
        bound = _SIGNATURE.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for name, value in list(bound.arguments.items())[1:]:
            setattr(self, name, value)

    # scikit-learn reads the parameter names from the signature.
    __init__.__signature__ = _SIGNATURE

    def fit(self, X, y, sample_weight=None):
        if self.solver not in ("lbfgs", "newton-cholesky"):
            pytest.skip(
                f"solver={self.solver!r}: FocalLossClassifier has L-BFGS-B and "
                "Newton-Cholesky only"
            )
        if self.penalty in ("l1", "elasticnet") or (self.l1_ratio or 0) > 0:
            pytest.skip("L1 and elastic-net penalties: FocalLossClassifier has L2 only")
        if self.dual:
            pytest.skip("dual=True is a liblinear formulation")
        if getattr(self, "multi_class", "auto") == "ovr":  # scikit-learn < 1.8
            pytest.skip("multi_class='ovr': FocalLossClassifier is multinomial")
        if self.penalty is not None:
            return super().fit(X, y, sample_weight)
        C, self.C = self.C, np.inf  # penalty=None: no penalty at any C
        try:
            return super().fit(X, y, sample_weight)
        finally:
            self.C = C


def _unsupported(reason):
    def skip(*args, **kwargs):
        pytest.skip(reason)

    return skip


SUBSTITUTES = {
    "LogisticRegression": LogisticRegression,
    "LogisticRegressionCV": _unsupported(
        "LogisticRegressionCV: cross-validation over C is FocalLossClassifierCV's task"
    ),
    "_logistic_regression_path": _unsupported(
        "scikit-learn's private solver path, not an estimator"
    ),
    "_log_reg_scoring_path": _unsupported(
        "scikit-learn's private scoring path, not an estimator"
    ),
}

# scikit-learn's classes as parameter values of its tests (tests/conftest.py):
# the classes, or before 1.7 partials of them with random_state=0.
PARAMETER_SUBSTITUTES = {
    sk_tests.LogisticRegression: LogisticRegression,
    sk_tests.LogisticRegressionCV: SUBSTITUTES["LogisticRegressionCV"],
}

LBFGS_WARNING = (
    "the convergence warning says 'FocalLossClassifier did not converge: "
    "L-BFGS-B stopped ...', not 'lbfgs failed to converge'"
)

# Documented deviations: each fails for the reason given.
DEVIATIONS = {
    "test_newton_cholesky_fallback_to_lbfgs": (
        "Newton-Cholesky falls back to L-BFGS-B as scikit-learn's does, and then "
        + LBFGS_WARNING
    ),
    "test_penalty_deprecated": (
        "FocalLossClassifier has no 'penalty' parameter, so no FutureWarning about it"
    ),
    "test_l1_ratio_None_deprecated": (
        "FocalLossClassifier has no 'l1_ratio' parameter, so no FutureWarning about it"
    ),
    "test_penalty_none": (
        "the shim maps penalty=None to C=inf without LogisticRegression's warning "
        "that C is ignored; FocalLossClassifier spells it C=np.inf"
    ),
    "test_logisticregression_warns_with_n_jobs": (
        "FocalLossClassifier has no 'n_jobs' parameter, so no warning that it is unused"
    ),
    "test_logistic_regression_callback_support_warning": (
        "FocalLossClassifier supports callbacks with both its solvers; there is no "
        "other solver to warn about"
    ),
}
# Deviations of one solver: the test's cases with that solver fail for the reason.
SOLVER_DEVIATIONS = {"test_max_iter": ("lbfgs", LBFGS_WARNING)}


@pytest.fixture(autouse=True)
def _shim(monkeypatch, request):
    """The collected tests look their names up in scikit-learn's module: patch it."""
    for name, substitute in SUBSTITUTES.items():
        monkeypatch.setattr(sk_tests, name, substitute)
    solver, reason = SOLVER_DEVIATIONS.get(request.node.originalname, (None, None))
    callspec = getattr(request.node, "callspec", None)
    if solver is not None and callspec and callspec.params.get("solver") == solver:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture
def global_random_seed():
    """scikit-learn's default seed (its conftest parametrises this fixture)."""
    return 42


def _collect():
    for name in dir(sk_tests):
        test = getattr(sk_tests, name)
        if not (name.startswith("test_") and callable(test)):
            continue
        if name in DEVIATIONS:
            test = pytest.mark.xfail(reason=DEVIATIONS[name], strict=True)(test)
        globals()[name] = test


_collect()
