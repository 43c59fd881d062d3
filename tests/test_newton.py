"""The Newton-Cholesky solver of the linear models.

At gamma = 0 it must be scikit-learn's ``newton-cholesky`` (the same iterates);
for gamma > 0 its matrix is the documented curvature substitute, and it must
find L-BFGS-B's minimum.
"""

import re
import warnings

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
from scipy.special import softmax
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss, FocalLossClassifier, FocalLossClassifierCV
from skfocal.linear_model._newton import minimize_newton
from skfocal.linear_model._objective import FocalLinearObjective

from .conftest import classification_data
from .test_linear_model import RecordHooks, needs_callbacks

NEWTON = {"solver": "newton-cholesky"}
TIGHT = {"tol": 1e-10, "max_iter": 1000}


def _finite_difference_hessian(objective, coef, args, eps=1e-6):
    columns = []
    for j in range(coef.size):
        step = np.zeros_like(coef)
        step[j] = eps
        plus = objective.loss_gradient(coef + step, *args)[1]
        minus = objective.loss_gradient(coef - step, *args)[1]
        columns.append((plus - minus) / (2 * eps))
    return np.array(columns).T


def _curvature_excess(objective, loss, coef, X, y, sw, sw_sum):
    """What the curvature adds to the exact Hessian: (c - l'') alpha_y g g^T,
    each sample's block from the probabilities and the exact-Hessian kernel."""
    weights, intercept = objective.split(coef, X.shape[1])
    X1 = np.hstack([X, np.ones((len(y), 1))])
    raw = X @ weights.T + intercept
    labels = y.astype(int)
    if raw.shape[1] == 1:
        raw = raw[:, 0]
        excess = loss.gradient_hessian(labels, raw, sw)[1]
        excess -= loss.hessian_exact(labels, raw, sw)
        return X1.T @ (X1 * excess[:, None]) / sw_sum
    rows = np.arange(len(y))
    excess = loss.gradient_hessian(labels, raw, sw)[1][rows, labels]
    excess -= loss.hessian_exact(labels, raw, sw)[rows, labels]
    p = softmax(raw, axis=1)
    g = -p / (1 - p[rows, labels])[:, None]
    g[rows, labels] = 1.0
    K, n_dof = raw.shape[1], X1.shape[1]
    out = np.zeros((K, n_dof, K, n_dof))
    for k in range(K):
        for m in range(K):
            h = excess * g[:, k] * g[:, m]
            out[k, :, m, :] = X1.T @ (X1 * h[:, None]) / sw_sum
    return out.reshape(K * n_dof, K * n_dof)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("gamma", [0.0, 2.0])
@pytest.mark.parametrize("sparse", [False, True])
def test_newton_matrix_is_the_hessian_with_the_curvature(n_classes, gamma, sparse):
    rng = np.random.default_rng(1)
    X, y = classification_data(
        n_classes, n_samples=80, n_features=4, n_informative=3, n_redundant=1
    )
    sw = rng.uniform(0.5, 2.0, len(y))
    loss = FocalLoss(gamma, alpha=np.linspace(0.5, 1.5, n_classes))
    objective = FocalLinearObjective(loss, n_classes, True)
    n_scores, n_dof = objective.coef_shape(4)
    coef = rng.normal(scale=0.7, size=n_scores * n_dof)
    Xs = sp.csr_matrix(X) if sparse else X
    args = (Xs, y.astype(float), sw, sw.sum(), 0.1)
    newton = objective.hessian(coef, *args)
    exact = _finite_difference_hessian(objective, coef, args)
    excess = _curvature_excess(objective, loss, coef, X, y, sw, sw.sum())
    np.testing.assert_allclose(newton, exact + excess, atol=1e-7)
    if gamma == 0.0:
        np.testing.assert_allclose(newton, exact, atol=1e-7)
    # Positive semi-definite (the intercept shift of a softmax is its null space).
    assert np.linalg.eigvalsh(newton).min() > -1e-12


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("C", [0.1, np.inf])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gamma_zero_is_scikit_learns_newton_cholesky(n_classes, C, fit_intercept):
    X, y = classification_data(n_classes, n_redundant=0)
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    penalty = {"C": C} if np.isfinite(C) else {"penalty": None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # penalty, in 1.8+
        lr = LogisticRegression(
            solver="newton-cholesky", fit_intercept=fit_intercept, tol=1e-8, **penalty
        ).fit(X, y, sample_weight=sw)
    ours = FocalLossClassifier(
        gamma=0.0, C=C, fit_intercept=fit_intercept, tol=1e-8, **NEWTON
    ).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, lr.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, lr.intercept_, atol=1e-6)
    assert ours.n_iter_[0] == lr.n_iter_[0]


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
def test_newton_finds_the_lbfgs_minimum(n_classes, gamma):
    X, y = classification_data(n_classes, n_samples=400, weights=None)
    sw = np.random.default_rng(2).uniform(0.2, 3.0, len(y))
    common = {"gamma": gamma, "class_weight": "balanced", **TIGHT}
    lbfgs = FocalLossClassifier(**common).fit(X, y, sample_weight=sw)
    newton = FocalLossClassifier(**common, **NEWTON).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(
        newton.predict_proba(X), lbfgs.predict_proba(X), atol=1e-6
    )
    np.testing.assert_allclose(newton.coef_, lbfgs.coef_, atol=1e-5)
    assert newton.n_iter_[0] < lbfgs.n_iter_[0]


@pytest.mark.parametrize("n_classes", [2, 4])
def test_every_newton_step_descends_where_the_loss_is_not_convex(n_classes):
    # gamma = 5 from a bad start: many samples sit where l'' < 0.
    X, y = classification_data(n_classes, n_samples=300, flip_y=0.2)
    loss = FocalLoss(5.0)
    objective = FocalLinearObjective(loss, n_classes, True)
    n_scores, n_dof = objective.coef_shape(X.shape[1])
    start = np.random.default_rng(3).normal(scale=3.0, size=n_scores * n_dof)
    args = (X, y.astype(float), None, float(len(y)), 1.0 / len(y))
    values = []

    def on_iteration(coef):
        values.append(objective.loss_gradient(coef, *args)[0])

    coef, n_iter = minimize_newton(
        objective, start, args, max_iter=100, tol=1e-9, verbose=0, name="test",
        fallback=None, on_iteration=on_iteration,
    )  # fmt: skip
    assert len(values) == n_iter > 1
    assert np.all(np.diff(values) < 1e-14)  # at convergence: rounding level
    assert values[-1] < values[0] / 2
    assert np.abs(objective.loss_gradient(coef, *args)[1]).max() <= 1e-9


def test_sparse_dense_and_float32_agree():
    X, y = classification_data(3)
    dense = FocalLossClassifier(**NEWTON, **TIGHT).fit(X, y)
    sparse = FocalLossClassifier(**NEWTON, **TIGHT).fit(sp.csc_matrix(X), y)
    single = FocalLossClassifier(tol=1e-6, **NEWTON).fit(X.astype(np.float32), y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-10)
    assert single.coef_.dtype == np.float32
    # As with L-BFGS-B (test_linear_model.py): float32's objective is noisy.
    np.testing.assert_allclose(single.coef_, dense.coef_, atol=5e-4)


def test_huge_feature_columns_are_solved_scaled():
    X, y = classification_data(2, n_redundant=0)
    X_huge = X.copy()
    X_huge[:, 0] *= 1e60
    huge = FocalLossClassifier(C=np.inf, **NEWTON, **TIGHT).fit(X_huge, y)
    unpenalised = FocalLossClassifier(C=np.inf, **NEWTON, **TIGHT).fit(X, y)
    np.testing.assert_allclose(huge.predict_proba(X_huge), unpenalised.predict_proba(X))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_warm_start_from_the_solution_takes_one_iteration(n_classes):
    X, y = classification_data(n_classes)
    model = FocalLossClassifier(warm_start=True, tol=1e-8, **NEWTON).fit(X, y)
    coef = model.coef_.copy()
    model.fit(X, y)
    assert model.n_iter_[0] == 1
    np.testing.assert_allclose(model.coef_, coef, atol=1e-6)


def test_max_iter_warning_is_worded_as_scikit_learns():
    X, y = classification_data(2)
    # scikit-learn's own test_max_iter matches this pattern for newton-cholesky.
    pattern = "Newton solver did not converge after [0-9]* iterations"
    with pytest.warns(ConvergenceWarning, match=pattern) as record:
        model = FocalLossClassifier(max_iter=2, tol=1e-15, **NEWTON).fit(X, y)
    assert model.n_iter_[0] == 2
    message = str(record[0].message)
    assert "FocalLossClassifier" in message and "max_iter" in message
    assert re.search("StandardScaler", message)


def test_singular_matrix_falls_back_to_lbfgs():
    # Duplicated columns and no penalty: the Newton matrix is singular.
    X, y = classification_data(2)
    X = np.hstack([X, X[:, :2]])
    with pytest.warns(scipy.linalg.LinAlgWarning, match="resort to lbfgs"):
        newton = FocalLossClassifier(C=np.inf, **NEWTON, **TIGHT).fit(X, y)
    lbfgs = FocalLossClassifier(C=np.inf, **TIGHT).fit(X, y)
    np.testing.assert_allclose(
        newton.predict_proba(X), lbfgs.predict_proba(X), atol=1e-5
    )


def test_softmax_result_is_centred_over_the_classes():
    X, y = classification_data(3, n_redundant=0)
    for C in (1.0, np.inf):
        model = FocalLossClassifier(C=C, **NEWTON, **TIGHT).fit(X, y)
        assert abs(model.intercept_.sum()) < 1e-10
        np.testing.assert_allclose(model.coef_.sum(axis=0), 0.0, atol=1e-7)


def test_verbose_prints_one_line_per_iteration(capsys):
    X, y = classification_data(2)
    model = FocalLossClassifier(verbose=1, **NEWTON).fit(X, y)
    lines = [line for line in capsys.readouterr().out.splitlines() if "Newton" in line]
    assert len(lines) == model.n_iter_[0]


def test_unknown_solver_is_refused():
    X, y = classification_data(2)
    with pytest.raises(InvalidParameterError, match="'solver' parameter"):
        FocalLossClassifier(solver="sag").fit(X, y)
    with pytest.raises(InvalidParameterError, match="'solver' parameter"):
        FocalLossClassifierCV(solver="newton-cg").fit(X, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_cv_with_newton_chooses_as_with_lbfgs(n_classes):
    X, y = classification_data(n_classes, n_samples=400)
    grid = {"gammas": (0.0, 2.0), "Cs": 4, "cv": 3, "tol": 1e-8, "max_iter": 1000}
    lbfgs = FocalLossClassifierCV(**grid).fit(X, y)
    newton = FocalLossClassifierCV(**grid, **NEWTON).fit(X, y)
    np.testing.assert_allclose(newton.scores_, lbfgs.scores_, atol=1e-6)
    assert (newton.gamma_, newton.C_) == (lbfgs.gamma_, lbfgs.C_)
    np.testing.assert_allclose(newton.coef_, lbfgs.coef_, atol=1e-4)
    assert newton.n_iter_.sum() < lbfgs.n_iter_.sum()


@needs_callbacks
@pytest.mark.parametrize("n_classes", [2, 3])
def test_callbacks_get_the_model_of_each_newton_iteration(n_classes):
    X, y = classification_data(n_classes)
    hooks = RecordHooks()
    clf = FocalLossClassifier(**NEWTON).set_callbacks(hooks).fit(X, y)
    ends = [
        est
        for name, task, est in hooks.calls
        if (name, task) == ("end", "newton-cholesky-iter")
    ]
    assert len(ends) == clf.n_iter_[0] + 1 and ends[-1] is None
    for i in range(clf.n_iter_[0]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            partial = FocalLossClassifier(max_iter=i + 1, **NEWTON).fit(X, y)
        np.testing.assert_allclose(ends[i].predict_proba(X), partial.predict_proba(X))
    np.testing.assert_array_equal(ends[-2].coef_, clf.coef_)


def test_a_newton_matrix_too_large_for_memory_names_the_other_solver():
    # 200,000 sparse features: the Newton matrix would take 298 GiB.
    X = sp.random(20, 200_000, density=1e-4, format="csr", random_state=0)
    y = np.arange(20) % 2
    with pytest.raises(MemoryError, match=r"200001 x 200001 .* use solver='lbfgs'"):
        FocalLossClassifier(**NEWTON).fit(X, y)
