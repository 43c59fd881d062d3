"""`FocalLossClassifierCV` against the GridSearchCV it replaces, inputs, workflow."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer, make_scorer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.class_weight import compute_class_weight

from skfocal import FocalLossClassifier, FocalLossClassifierCV
from skfocal.linear_model import _path
from skfocal.metrics import focal_loss

from .conftest import classification_data

GAMMAS = [0.0, 0.5, 2.0]
CS = [0.01, 0.3, 10.0]
CV = StratifiedKFold(3, shuffle=True, random_state=0)


def grid_search(X, y, scoring="neg_log_loss", sample_weight=None, **params):
    """The GridSearchCV that FocalLossClassifierCV replaces, with its scores as
    an array of shape (n_gammas, n_Cs)."""
    estimator = FocalLossClassifier(**params)
    scorer = get_scorer(scoring)
    if sample_weight is not None:  # weighted fits and weighted scores
        estimator.set_fit_request(sample_weight=True)
        scorer = scorer.set_score_request(sample_weight=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = GridSearchCV(
            estimator, {"gamma": GAMMAS, "C": CS}, cv=CV, scoring=scorer
        ).fit(X, y, sample_weight=sample_weight)
    # ParameterGrid puts "C" (sorted first) outermost.
    mean = search.cv_results_["mean_test_score"].reshape(len(CS), len(GAMMAS)).T
    return search, mean


def assert_same_choice(ours, mean):
    """The same (gamma, C), or one whose grid-search score ties within 1e-3."""
    chosen = mean[GAMMAS.index(ours.gamma_), CS.index(ours.C_)]
    assert chosen >= mean.max() - 1e-3


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("scoring", [None, "average_precision", "accuracy"])
def test_matches_grid_search(n_classes, scoring):
    if scoring == "average_precision" and n_classes == 3:
        scoring = "roc_auc_ovr"
    X, y = classification_data(n_classes, n_samples=600)
    # At the default tol=1e-4 two solutions of one problem differ by up to 1e-3
    # in probability; 1e-6 makes the comparison about the models, not the stops.
    ours = FocalLossClassifierCV(GAMMAS, CS, cv=CV, scoring=scoring, tol=1e-6)
    ours.fit(X, y)
    _, mean = grid_search(X, y, scoring or "neg_log_loss", tol=1e-6)
    np.testing.assert_allclose(ours.scores_.mean(axis=0), mean, atol=1e-3)
    assert_same_choice(ours, mean)
    single = FocalLossClassifier(gamma=ours.gamma_, C=ours.C_, tol=1e-6).fit(X, y)
    np.testing.assert_allclose(ours.coef_, single.coef_, atol=1e-3, rtol=1e-3)
    np.testing.assert_allclose(
        ours.predict_proba(X), single.predict_proba(X), atol=1e-3
    )
    assert ours.scores_.shape == ours.n_iter_.shape == (3, len(GAMMAS), len(CS))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_default_scoring_is_scikit_learns_neg_log_loss(n_classes, dtype):
    # The default computes the log loss itself; the scorer object goes through
    # scikit-learn's scoring. Weighted, with a test fold that lacks a class.
    X, y = classification_data(n_classes, n_samples=300)
    X = X.astype(dtype)
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    y[:3] = n_classes - 1
    folds = [(np.arange(3, 300), np.arange(3)), (np.arange(150), np.arange(150, 300))]
    params = {"gammas": GAMMAS, "Cs": CS, "cv": folds, "proba": "posterior"}
    fast = FocalLossClassifierCV(**params).fit(X, y, sample_weight=sw)
    scorer = get_scorer("neg_log_loss")
    slow = FocalLossClassifierCV(**params, scoring=scorer).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(
        fast.scores_, slow.scores_, rtol=1e-6 if dtype == np.float32 else 1e-12
    )


def test_sample_weight_in_fits_and_scores():
    X, y = classification_data(2, n_samples=600)
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    ours = FocalLossClassifierCV(GAMMAS, CS, cv=CV).fit(X, y, sample_weight=sw)
    with config_context(enable_metadata_routing=True):
        _, mean = grid_search(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.scores_.mean(axis=0), mean, atol=1e-3)
    unweighted = FocalLossClassifierCV(GAMMAS, CS, cv=CV).fit(X, y)
    assert np.abs(ours.scores_ - unweighted.scores_).max() > 1e-3  # weights count


def test_class_weight_balanced_on_all_rows_as_logistic_regression_cv():
    X, y = classification_data(2, n_samples=600, weights=[0.85])
    ours = FocalLossClassifierCV(GAMMAS, CS, cv=CV, class_weight="balanced").fit(X, y)
    balanced = compute_class_weight("balanced", classes=np.unique(y), y=y)
    _, mean = grid_search(X, y, class_weight=dict(enumerate(balanced)))
    np.testing.assert_allclose(ours.scores_.mean(axis=0), mean, atol=1e-3)
    single = FocalLossClassifier(gamma=ours.gamma_, C=ours.C_, class_weight="balanced")
    np.testing.assert_allclose(ours.coef_, single.fit(X, y).coef_, atol=1e-3)


def test_warm_starts_save_iterations():
    # The point of the class: along the grid, fits start near their solution.
    # On this grid (the default Cs) a cold start needs about twice as many.
    X, y = classification_data(2, n_samples=2000)
    ours = FocalLossClassifierCV(GAMMAS, cv=CV).fit(X, y)
    cold = sum(
        FocalLossClassifier(gamma=g, C=C).fit(X[train], y[train]).n_iter_[0]
        for train, _ in CV.split(X, y)
        for g in GAMMAS
        for C in ours.Cs_
    )
    assert ours.n_iter_.sum() < 0.7 * cold


def test_grid_order_is_the_users():
    X, y = classification_data(3, n_samples=400)
    ordered = FocalLossClassifierCV(GAMMAS, CS, cv=CV).fit(X, y)
    shuffled = FocalLossClassifierCV(GAMMAS[::-1], CS[::-1], cv=CV).fit(X, y)
    np.testing.assert_array_equal(shuffled.gammas_, GAMMAS[::-1])
    np.testing.assert_array_equal(shuffled.Cs_, CS[::-1])
    np.testing.assert_allclose(shuffled.scores_, ordered.scores_[:, ::-1, ::-1])
    assert (shuffled.gamma_, shuffled.C_) == (ordered.gamma_, ordered.C_)


def test_Cs_int_is_logistic_regression_cv_grid():
    X, y = classification_data(2, n_samples=300)
    clf = FocalLossClassifierCV(gammas=[0.0], Cs=4, cv=3).fit(X, y)
    np.testing.assert_allclose(clf.Cs_, np.logspace(-4, 4, 4))
    assert clf.coefs_paths_.shape == (3, 1, 4, 1, X.shape[1] + 1)


def test_refit_false_averages_the_folds_at_the_best_point():
    X, y = classification_data(3, n_samples=400)
    clf = FocalLossClassifierCV(GAMMAS, CS, cv=CV, refit=False).fit(X, y)
    best = (GAMMAS.index(clf.gamma_), CS.index(clf.C_))
    mean = clf.scores_.mean(axis=0)
    assert mean[best] == mean.max()
    paths = clf.coefs_paths_[:, best[0], best[1]]
    np.testing.assert_allclose(clf.coef_, paths[:, :, :-1].mean(axis=0))
    np.testing.assert_allclose(clf.intercept_, paths[:, :, -1].mean(axis=0))
    np.testing.assert_allclose(
        clf.predict_proba(X), clf.loss_.posterior(clf.decision_function(X))
    )


def test_sparse_equals_dense_and_parallel_equals_serial():
    X, y = classification_data(2, n_samples=500)
    dense = FocalLossClassifierCV(GAMMAS, CS, cv=CV).fit(X, y)
    sparse = FocalLossClassifierCV(GAMMAS, CS, cv=CV).fit(sp.csr_matrix(X), y)
    parallel = FocalLossClassifierCV(GAMMAS, CS, cv=CV, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(sparse.scores_, dense.scores_, atol=1e-8)
    np.testing.assert_array_equal(parallel.scores_, dense.scores_)
    np.testing.assert_array_equal(parallel.coef_, dense.coef_)


def test_workflow_strings_float32_pipeline_pickle():
    X, y = classification_data(2, n_samples=400)
    labels = np.where(y == 1, "spam", "ham")
    pipe = make_pipeline(StandardScaler(), FocalLossClassifierCV(GAMMAS, CS, cv=CV))
    pipe.fit(X.astype(np.float32), labels)
    clf = pipe[-1]
    assert clf.coef_.dtype == np.float32
    assert set(pipe.predict(X)) <= {"spam", "ham"}
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict_proba(X), pipe.predict_proba(X))
    refitted = clone(pipe).fit(X.astype(np.float32), labels)  # deterministic
    np.testing.assert_array_equal(refitted.predict_proba(X), pipe.predict_proba(X))


def test_scorer_callable_focal_loss_and_unweighted_warning():
    X, y = classification_data(2, n_samples=400)
    scorer = make_scorer(
        focal_loss, greater_is_better=False, response_method="predict_proba"
    )
    clf = FocalLossClassifierCV(GAMMAS, CS, cv=CV, scoring=scorer).fit(X, y)
    _, mean = grid_search(X, y, scoring=scorer)
    np.testing.assert_allclose(clf.scores_.mean(axis=0), mean, atol=1e-3)

    def accuracy(estimator, X, y):  # takes no sample_weight
        return float(np.mean(estimator.predict(X) == y))

    weights = np.ones(len(y))
    with pytest.warns(UserWarning, match="takes no sample_weight"):
        FocalLossClassifierCV([0.0], [1.0], cv=CV, scoring=accuracy).fit(
            X, y, sample_weight=weights
        )


def test_one_convergence_warning_for_the_grid():
    X, y = classification_data(2, n_samples=300)
    with pytest.warns(ConvergenceWarning) as record:
        FocalLossClassifierCV(GAMMAS, CS, cv=CV, max_iter=1).fit(X, y)
    messages = [str(w.message) for w in record if w.category is ConvergenceWarning]
    # The refit warns on its own; the grid's fits are summed up in one warning.
    assert any(message.startswith("27 of the 27 fits") for message in messages)
    assert len(messages) <= 2


@pytest.mark.parametrize(
    "params, match",
    [
        ({"gammas": []}, "'gammas' parameter"),
        ({"gammas": [0.0, -1.0]}, "'gammas' parameter"),
        ({"gammas": [np.nan]}, "'gammas' parameter"),
        ({"gammas": [np.inf]}, "'gammas' parameter"),
        ({"gammas": ["a"]}, "'gammas' parameter"),
        ({"Cs": 0}, "'Cs' parameter"),
        ({"Cs": [1.0, 0.0]}, "'Cs' parameter"),
        ({"Cs": [-1.0]}, "'Cs' parameter"),
        ({"Cs": [np.nan]}, "'Cs' parameter"),
        ({"cv": 1}, "'cv' parameter"),
        ({"scoring": "no_such_score"}, "'scoring' parameter"),
        ({"tol": -1.0}, "'tol' parameter"),
    ],
)
def test_bad_parameters_fail_before_fitting(params, match, monkeypatch):
    def no_fit(*args, **kwargs):
        raise AssertionError("a fold was fitted")

    monkeypatch.setattr(_path.FoldPath, "__call__", no_fit)
    X, y = classification_data(2, n_samples=100)
    with pytest.raises(InvalidParameterError, match=match):
        FocalLossClassifierCV(**params).fit(X, y)


def test_fold_without_a_class_is_an_error():
    X, y = classification_data(3, n_samples=90)
    y[:] = 0
    y[:2], y[2:4] = 1, 2  # class 1 only in the first 2 rows
    folds = [(np.arange(10, 90), np.arange(10)), (np.arange(45), np.arange(45, 90))]
    with pytest.raises(ValueError, match="fold 0 has no samples of class"):
        FocalLossClassifierCV([0.0], [1.0], cv=folds).fit(X, y)
