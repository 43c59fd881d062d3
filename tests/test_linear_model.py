"""`FocalLossClassifier`: equivalence with LogisticRegression, inputs, workflow."""

import pickle
import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from joblib import parallel_backend
from scipy.optimize import check_grad
from scipy.special import expit
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, make_scorer
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss, FocalLossClassifier
from skfocal.linear_model._objective import FocalLinearObjective
from skfocal.metrics import focal_loss

from .conftest import classification_data

TIGHT = {"tol": 1e-10, "max_iter": 10_000}


dataset = classification_data


# ------------------------------------------------------- LogisticRegression
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("C", [0.05, 1.0])
def test_gamma_zero_is_logistic_regression(n_classes, weighted, C):
    X, y = dataset(n_classes)
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y)) if weighted else None
    ours = FocalLossClassifier(gamma=0.0, C=C, **TIGHT).fit(X, y, sample_weight=sw)
    lr = LogisticRegression(C=C, **TIGHT).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, lr.coef_, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, lr.intercept_, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), lr.predict_proba(X), atol=1e-6)
    assert ours.coef_.shape == lr.coef_.shape == (1 if n_classes == 2 else 3, 8)


def test_gamma_zero_with_alpha_is_class_weighted_logistic_regression():
    X, y = dataset(2)
    y_str = np.where(y == 1, "yes", "no")
    ours = FocalLossClassifier(gamma=0.0, alpha=0.2, **TIGHT).fit(X, y_str)
    lr = LogisticRegression(class_weight={"no": 0.8, "yes": 0.2}, **TIGHT).fit(X, y_str)
    np.testing.assert_allclose(ours.coef_, lr.coef_, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), lr.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("as_dict", [False, True])
def test_alpha_per_class_is_class_weighted_logistic_regression(as_dict):
    X, y = dataset(3)
    weights = {0: 0.5, 1: 2.0, 2: 1.0}
    alpha = weights if as_dict else [0.5, 2.0, 1.0]
    ours = FocalLossClassifier(gamma=0.0, alpha=alpha, **TIGHT).fit(X, y)
    lr = LogisticRegression(class_weight=weights, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, lr.coef_, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("class_weight", ["balanced", {0: 3.0, 1: 1.0}])
def test_class_weight_matches_logistic_regression(class_weight):
    X, y = dataset(2, weights=[0.8])
    ours = FocalLossClassifier(gamma=0.0, class_weight=class_weight, **TIGHT).fit(X, y)
    lr = LogisticRegression(class_weight=class_weight, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, lr.coef_, rtol=1e-4, atol=1e-6)


# ----------------------------------------------------------------- objective
@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("sparse", [False, True])
def test_objective_gradient_passes_check_grad(n_classes, fit_intercept, sparse):
    rng = np.random.default_rng(1)
    X, y = dataset(n_classes, n_samples=120)
    X = sp.csr_matrix(X) if sparse else X
    sw = rng.uniform(0.5, 2.0, 120)
    alpha = 0.3 if n_classes == 2 else np.linspace(0.5, 1.5, n_classes)
    objective = FocalLinearObjective(FocalLoss(1.5, alpha), n_classes, fit_intercept)
    coef = rng.standard_normal(np.prod(objective.coef_shape(8)))
    args = (X, y.astype(float), sw, sw.sum(), 0.1)
    err = check_grad(
        lambda c: objective.loss_gradient(c, *args)[0],
        lambda c: objective.loss_gradient(c, *args)[1],
        coef,
    )
    scale = np.linalg.norm(objective.loss_gradient(coef, *args)[1])
    assert err < 1e-6 * max(scale, 1.0)


# -------------------------------------------------------------------- inputs
def test_sparse_and_dense_give_the_same_fit():
    X, y = dataset(3)
    dense = FocalLossClassifier(**TIGHT).fit(X, y)
    for matrix in (sp.csr_matrix, sp.csc_matrix):
        sparse = FocalLossClassifier(**TIGHT).fit(matrix(X), y)
        np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(
            sparse.predict_proba(matrix(X)), dense.predict_proba(X), atol=1e-8
        )
    fortran = FocalLossClassifier(**TIGHT).fit(np.asfortranarray(X), y)
    np.testing.assert_allclose(fortran.coef_, dense.coef_, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_float32_keeps_float32_and_agrees_with_float64(n_classes):
    X, y = dataset(n_classes)
    X = StandardScaler().fit_transform(X)
    fit64 = FocalLossClassifier(tol=1e-6, max_iter=1000).fit(X, y)
    fit32 = FocalLossClassifier(tol=1e-6, max_iter=1000).fit(X.astype(np.float32), y)
    assert fit32.coef_.dtype == fit32.intercept_.dtype == np.float32
    assert fit32.predict_proba(X.astype(np.float32)).dtype == np.float32
    # The float32 objective is noisy at ~1e-7 relative, so L-BFGS stops with
    # coefficients ~1e-4 apart; LogisticRegression's float32 fit is as far off.
    np.testing.assert_allclose(fit32.coef_, fit64.coef_, rtol=0, atol=5e-4)
    np.testing.assert_allclose(
        fit32.predict_proba(X.astype(np.float32)), fit64.predict_proba(X), atol=5e-4
    )


@pytest.mark.parametrize(
    "make_x",
    [np.ascontiguousarray, np.asfortranarray, sp.csr_matrix, sp.csc_matrix],
    ids=["C", "F", "csr", "csc"],
)
def test_fit_does_not_copy_x(make_x):
    X, y = make_classification(n_samples=20_000, n_features=100, random_state=0)
    X = make_x(X)
    x_bytes = X.nbytes if not sp.issparse(X) else X.data.nbytes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        FocalLossClassifier(max_iter=5).fit(X[:50], y[:50])  # Numba loads its kernels
        tracemalloc.start()
        FocalLossClassifier(max_iter=5).fit(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 0.25 * x_bytes


def test_string_labels_and_classes():
    X, y = dataset(3)
    labels = np.array(["cat", "dog", "eel"])[y]
    clf = FocalLossClassifier().fit(X, labels)
    np.testing.assert_array_equal(clf.classes_, ["cat", "dog", "eel"])
    assert set(clf.predict(X)) <= set(labels)
    np.testing.assert_array_equal(
        clf.predict(X), clf.classes_[clf.decision_function(X).argmax(axis=1)]
    )


def test_pandas_feature_names():
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    X, y = dataset(2)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = FocalLossClassifier().fit(frame, y)
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == 8


# ---------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"gamma": -1.0}, InvalidParameterError, "'gamma' parameter"),
        ({"gamma": np.inf}, InvalidParameterError, r"range \[0.0, inf\)"),
        ({"C": 0.0}, InvalidParameterError, "'C' parameter"),
        ({"proba": "calibrated"}, InvalidParameterError, "'proba' parameter"),
        ({"alpha": 1.5}, InvalidParameterError, "'alpha' parameter"),
        ({"alpha": [1.0, -1.0]}, InvalidParameterError, "finite and > 0"),
        ({"alpha": 0.25}, ValueError, "one weight per class"),
        ({"alpha": [1.0, 2.0]}, ValueError, "2 per-class weights but y has 3"),
        ({"alpha": {0: 1.0, 1: 2.0}}, ValueError, r"missing \[2\]"),
        ({"alpha": {0: 1.0, 1: 2.0, 2: 1.0, 7: 1.0}}, ValueError, r"unknown \[7\]"),
    ],
)
def test_bad_parameters_get_clear_errors(params, error, match):
    X, y = dataset(3)
    with pytest.raises(error, match=match):
        FocalLossClassifier(**params).fit(X, y)


def test_single_class_is_an_error():
    X, y = dataset(2)
    with pytest.raises(ValueError, match="only one class"):
        FocalLossClassifier().fit(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="at least 2 classes with positive"):
        FocalLossClassifier().fit(X, y, sample_weight=(y == 1).astype(float))


# ------------------------------------------------------------- probabilities
def test_proba_options():
    X, y = dataset(3)
    posterior = FocalLossClassifier(gamma=2.0).fit(X, y)
    model = clone(posterior).set_params(proba="model").fit(X, y)
    raw = posterior.decision_function(X)
    np.testing.assert_allclose(
        posterior.predict_proba(X), FocalLoss(2.0).posterior(raw)
    )
    np.testing.assert_allclose(model.predict_proba(X), FocalLoss().predict_proba(raw))
    np.testing.assert_array_equal(
        posterior.predict_proba(X).argmax(1), model.predict_proba(X).argmax(1)
    )
    np.testing.assert_allclose(
        posterior.predict_log_proba(X), np.log(posterior.predict_proba(X))
    )
    plain = FocalLossClassifier(gamma=0.0).fit(X, y)
    np.testing.assert_allclose(
        plain.predict_proba(X),
        clone(plain).set_params(proba="model").fit(X, y).predict_proba(X),
        rtol=1e-12,
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_predictions_use_the_gamma_alpha_and_proba_of_fit(n_classes):
    X, y = dataset(n_classes)
    clf = FocalLossClassifier(gamma=2.0).fit(X, y)
    proba, raw = clf.predict_proba(X), clf.decision_function(X)
    np.testing.assert_array_equal(proba, FocalLoss(2.0).posterior(raw))
    clf.set_params(gamma=0.0, proba="model", alpha=[1.0] * n_classes)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert clf.loss_.gamma == 2.0 and clf.loss_.alpha is None
    assert clf.proba_ == "posterior"
    # A refit takes the new parameters.
    clf.fit(X, y)
    np.testing.assert_array_equal(
        clf.predict_proba(X), FocalLoss(0.0).predict_proba(clf.decision_function(X))
    )
    np.testing.assert_array_equal(clf.loss_.alpha, np.ones(n_classes))


def test_gamma_reduces_the_weight_of_easy_examples():
    # On a 99:1 problem, measure the share of the training gradient that comes
    # from well-classified samples (p_t > 0.9) at each gamma's own solution.
    X, y = make_classification(n_samples=4000, weights=[0.99], random_state=0)
    X = StandardScaler().fit_transform(X)
    shares = []
    for gamma in [0.0, 0.5, 2.0, 5.0]:
        clf = FocalLossClassifier(gamma=gamma, proba="model", max_iter=500).fit(X, y)
        raw = clf.decision_function(X)
        p_true = clf.predict_proba(X)[np.arange(len(y)), y]
        grad = np.abs(FocalLoss(gamma).gradient(y, raw))
        easy = p_true > 0.9
        shares.append(grad[easy].sum() / grad.sum())
    assert np.all(np.diff(shares) < 0), shares
    assert shares[2] < 0.5 * shares[0], shares


# ------------------------------------------------------------------ solver
@pytest.mark.parametrize("gamma", [0.0, 2.0, 5.0])
def test_default_tol_does_not_stop_early_on_sparse_data(gamma):
    # Sparse features have tiny mean-loss gradients: a solver started at the
    # optimal constant intercept sees them all below tol and stops at once.
    rng = np.random.default_rng(0)
    n = 20_000
    X = sp.random(n, n, density=1e-3, format="csr", random_state=rng)
    X.data = rng.standard_normal(X.data.shape)
    score = np.asarray(X @ rng.standard_normal(n))
    score = (score - score.mean()) / score.std()
    y = (rng.uniform(size=n) < expit(2.0 * score - 3.0)).astype(int)
    default = FocalLossClassifier(gamma=gamma).fit(X, y)
    tight = FocalLossClassifier(gamma=gamma, **TIGHT).fit(X, y)
    assert default.n_iter_[0] >= 3 and np.linalg.norm(default.coef_) > 0
    cosine = np.vdot(default.coef_, tight.coef_) / (
        np.linalg.norm(default.coef_) * np.linalg.norm(tight.coef_)
    )
    assert cosine > 0.95


def test_convergence_warning_says_how_to_fix():
    X, y = dataset(3)
    with pytest.warns(ConvergenceWarning, match="Increase max_iter"):
        clf = FocalLossClassifier(max_iter=2).fit(X, y)
    assert clf.n_iter_[0] == 2


def test_verbose_prints_one_line_per_iteration(capsys):
    X, y = dataset(2)
    clf = FocalLossClassifier(verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("iteration ") == clf.n_iter_[0]
    assert "objective" in out and "L-BFGS-B" in out


def test_warm_start_makes_a_gamma_path_cheap():
    X, y = dataset(2, n_samples=1000)
    X = StandardScaler().fit_transform(X)
    clf = FocalLossClassifier(gamma=1.0, warm_start=True, tol=1e-8, max_iter=1000)
    clf.fit(X, y)
    cold = FocalLossClassifier(gamma=1.2, tol=1e-8, max_iter=1000).fit(X, y)
    warm = clf.set_params(gamma=1.2).fit(X, y)
    np.testing.assert_allclose(warm.coef_, cold.coef_, rtol=1e-4, atol=1e-6)
    assert warm.n_iter_[0] < cold.n_iter_[0]
    again = clf.fit(X, y)
    assert again.n_iter_[0] <= 2


# --------------------------------------------------------------- workflow
def test_clone_and_pickle_round_trip():
    X, y = dataset(3)
    clf = FocalLossClassifier(gamma=1.0, alpha=[1.0, 2.0, 0.5]).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params() and not hasattr(fresh, "coef_")


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_grid_search_in_a_pipeline_in_parallel(backend):
    X, y = dataset(2, n_samples=400, weights=[0.85])
    pipe = make_pipeline(StandardScaler(), FocalLossClassifier())
    grid = {
        "focallossclassifier__gamma": [0.0, 1.0, 2.0],
        "focallossclassifier__alpha": [None, 0.25],
        "focallossclassifier__C": [0.1, 1.0],
    }
    with parallel_backend(backend, n_jobs=2):
        search = GridSearchCV(pipe, grid, scoring="average_precision", cv=3, n_jobs=2)
        search.fit(X, y)
    serial = GridSearchCV(pipe, grid, scoring="average_precision", cv=3).fit(X, y)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert search.best_params_ == serial.best_params_


def test_cross_val_score_with_average_precision_and_focal_scorer():
    X, y = dataset(2, n_samples=400, weights=[0.9])
    clf = FocalLossClassifier(gamma=2.0)
    ap = cross_val_score(clf, X, y, scoring="average_precision", cv=KFold(4))
    assert np.all((ap > 0.3) & (ap <= 1.0))
    scorer = make_scorer(
        focal_loss, greater_is_better=False, response_method="predict_proba"
    )
    scores = cross_val_score(clf, X, y, scoring=scorer, cv=KFold(4))
    fold = clone(clf).fit(X[100:], y[100:])
    assert -scores[0] == pytest.approx(
        focal_loss(y[:100], fold.predict_proba(X[:100])), rel=1e-10
    )


def test_sample_weight_is_routed_with_metadata_routing():
    X, y = dataset(2)
    sw = np.random.default_rng(2).uniform(0.1, 5.0, len(y))
    with config_context(enable_metadata_routing=True):
        clf = FocalLossClassifier().set_fit_request(sample_weight=True)
        clf.set_score_request(sample_weight=False)
        result = cross_validate(
            clf,
            X,
            y,
            cv=KFold(3),
            params={"sample_weight": sw},
            return_estimator=True,
        )
    first = result["estimator"][0]
    manual = FocalLossClassifier().fit(X[100:], y[100:], sample_weight=sw[100:])
    np.testing.assert_allclose(first.coef_, manual.coef_)
    unweighted = FocalLossClassifier().fit(X[100:], y[100:])
    assert not np.allclose(first.coef_, unweighted.coef_)


@pytest.mark.parametrize("layout", ["C", "F", "csr", "csc"])
def test_feature_scale_finds_the_huge_columns_in_every_layout(layout):
    from skfocal.linear_model._objective import feature_scale

    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 5))
    X[:, 1] *= 1e100
    X[7, 3] = -3e40  # one huge value makes the column huge
    assert feature_scale(X / 1e100 * 1e9) is None  # 2**32 and below: untouched
    X = {"C": X, "F": np.asfortranarray(X), "csr": sp.csr_matrix(X),
         "csc": sp.csc_matrix(X)}[layout]  # fmt: skip
    scale = feature_scale(X)
    dense = X.toarray() if sp.issparse(X) else X
    magnitude = np.abs(dense).max(axis=0) * scale
    assert np.all(scale[[0, 2, 4]] == 1.0)
    # powers of two, bringing the huge columns into [0.5, 1)
    assert np.all(np.log2(scale) == np.round(np.log2(scale)))
    assert np.all((magnitude[[1, 3]] >= 0.5) & (magnitude[[1, 3]] < 1.0))


# ------------------------------------------------ LogisticRegression's API surface
def test_sparsify_and_densify_keep_the_predictions():
    X, y = dataset(3)
    clf = FocalLossClassifier(gamma=2.0, C=0.05).fit(X, y)
    proba = clf.predict_proba(X)
    clf.sparsify()
    assert sp.issparse(clf.coef_)
    np.testing.assert_allclose(clf.predict_proba(X), proba, rtol=1e-12)
    np.testing.assert_allclose(
        clf.predict_proba(sp.csr_matrix(X)), proba, rtol=1e-12, atol=1e-15
    )
    # A warm start from sparse coefficients continues from them.
    clf.set_params(warm_start=True).fit(X, y)
    assert clf.n_iter_[0] <= 2
    clf.densify()
    assert isinstance(clf.coef_, np.ndarray)
    np.testing.assert_allclose(clf.predict_proba(X), proba, rtol=1e-6)


try:
    from sklearn import callback
except ImportError:  # scikit-learn < 1.9: no callbacks to support
    callback = None
needs_callbacks = pytest.mark.skipif(
    callback is None, reason="scikit-learn's callback API arrived in 1.9"
)


class RecordHooks:
    """A FitCallback that records each hook's task and fitted estimator."""

    def __init__(self):
        self.calls = []

    def setup(self, estimator, context):
        self.calls.append(("setup", None, None))

    def teardown(self, estimator, context):
        self.calls.append(("teardown", None, None))

    def on_fit_task_begin(self, estimator, context, *, fitted_estimator=None):
        self.calls.append(("begin", context.task_name, fitted_estimator))

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        self.calls.append(("end", context.task_name, fitted_estimator))


@needs_callbacks
@pytest.mark.parametrize("max_iter", [0, 2, 1000])
def test_callbacks_see_logistic_regressions_tasks(max_iter):
    X, y = dataset(2)
    hooks = RecordHooks()
    clf = FocalLossClassifier(gamma=0.0, max_iter=max_iter).set_callbacks(hooks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    reference = RecordHooks()
    lr = LogisticRegression(max_iter=max_iter).set_callbacks(reference)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lr.fit(X, y)
    assert clf.n_iter_[0] == lr.n_iter_[0]
    shape = [(name, task) for name, task, _ in hooks.calls]
    assert shape == [(name, task) for name, task, _ in reference.calls]
    assert shape.count(("begin", "lbfgs-iter")) == max(clf.n_iter_[0], 1) + 1


@needs_callbacks
@pytest.mark.parametrize("n_classes", [2, 3])
def test_callbacks_get_the_model_of_each_iteration(n_classes):
    X, y = dataset(n_classes)
    hooks = RecordHooks()
    clf = FocalLossClassifier(gamma=2.0).set_callbacks(hooks).fit(X, y)
    ends = [
        est for name, task, est in hooks.calls if (name, task) == ("end", "lbfgs-iter")
    ]
    assert len(ends) == clf.n_iter_[0] + 1 and ends[-1] is None
    for i in (0, clf.n_iter_[0] // 2, clf.n_iter_[0] - 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            partial = FocalLossClassifier(gamma=2.0, max_iter=i + 1).fit(X, y)
        np.testing.assert_allclose(ends[i].coef_, partial.coef_)
        np.testing.assert_allclose(ends[i].predict_proba(X), partial.predict_proba(X))
    assert ends[-2].coef_ is not clf.coef_
    np.testing.assert_array_equal(ends[-2].coef_, clf.coef_)


@needs_callbacks
def test_scoring_monitor_and_progress_bar(capsys):
    X, y = dataset(2)
    monitor = callback.ScoringMonitor(scoring="neg_log_loss")
    clf = FocalLossClassifier(gamma=2.0).set_callbacks(monitor).fit(X, y)
    rows = [r for r in monitor.get_logs().data if r["task_name"] == "lbfgs-iter"]
    assert len(rows) == clf.n_iter_[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        third = FocalLossClassifier(gamma=2.0, max_iter=3).fit(X, y)
    assert rows[2]["neg_log_loss"] == pytest.approx(
        -log_loss(y, third.predict_proba(X)), rel=1e-10
    )
    pytest.importorskip("rich", reason="ProgressBar draws with rich")
    FocalLossClassifier().set_callbacks(callback.ProgressBar()).fit(X, y)
    assert "FocalLossClassifier - fit" in capsys.readouterr().out


@pytest.mark.parametrize("n_classes", [2, 3])
def test_fit_without_the_callback_api_of_older_scikit_learn(n_classes):
    # scikit-learn < 1.9 has no callback API: its estimators lack
    # _init_callback_context. Every fit must run the same without it (the hooks
    # once read an iteration they never set), on any scikit-learn.
    class WithoutCallbackAPI(FocalLossClassifier):
        @property
        def _init_callback_context(self):
            raise AttributeError("scikit-learn < 1.9")

    X, y = dataset(n_classes)
    old = WithoutCallbackAPI(gamma=2.0).fit(X, y)
    new = FocalLossClassifier(gamma=2.0).fit(X, y)
    np.testing.assert_array_equal(old.coef_, new.coef_)
    np.testing.assert_array_equal(old.n_iter_, new.n_iter_)
