"""`GammaSearchCV` against the GridSearchCV over gamma and the iteration budget it
replaces, for every booster; early stopping, scorers, weights and workflows."""

import pickle
import threading

import numpy as np
import pytest
from sklearn import config_context
from sklearn.base import clone
from sklearn.metrics import get_scorer, log_loss, make_scorer, roc_auc_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss
from skfocal._cv_scoring import raw_neg_log_loss
from skfocal.ensemble import FocalHistGradientBoostingClassifier
from skfocal.lightgbm import FocalLGBMClassifier
from skfocal.linear_model import FocalLossClassifier
from skfocal.model_selection import GammaSearchCV, GammaSearchDisplay
from skfocal.model_selection._race import Race

from .conftest import classification_data

GAMMAS = [0.0, 1.0, 3.0]
BUDGETS = [3, 8, 12]
CV = StratifiedKFold(3, shuffle=True, random_state=0)

BOOSTERS = {
    "lightgbm": lambda n: FocalLGBMClassifier(
        n_estimators=n, num_leaves=7, verbose=-1, random_state=0, n_jobs=1
    ),
    "hist_gradient_boosting": lambda n: FocalHistGradientBoostingClassifier(
        max_iter=n, max_leaf_nodes=7, early_stopping=False
    ),
}
try:
    from skfocal.xgboost import FocalXGBClassifier

    BOOSTERS["xgboost"] = lambda n: FocalXGBClassifier(
        n_estimators=n, max_depth=3, n_jobs=1
    )
except ImportError:  # xgboost is an optional extra (in the test extra)
    pass
try:
    from skfocal.catboost import FocalCatBoostClassifier

    BOOSTERS["catboost"] = lambda n: FocalCatBoostClassifier(
        iterations=n, depth=3, random_seed=0, thread_count=1
    )
except ImportError:  # catboost is an optional extra (in the test extra)
    pass


def budget_name(estimator):
    return type(estimator)._search_spec.iterations


def grid_mean(estimator, X, y, scoring="neg_log_loss", sample_weight=None):
    """GridSearchCV's mean_test_score over GAMMAS x BUDGETS, shape (gammas, budgets)."""
    name = budget_name(estimator)
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    kwargs = {}
    if sample_weight is not None:  # weighted fits and weighted scores
        estimator = clone(estimator).set_fit_request(sample_weight=True)
        scorer = scorer.set_score_request(sample_weight=True)
        kwargs["sample_weight"] = sample_weight
    grid = GridSearchCV(
        estimator, {"gamma": GAMMAS, name: BUDGETS}, cv=CV, scoring=scorer
    ).fit(X, y, **kwargs)
    return grid, grid.cv_results_["mean_test_score"].reshape(len(GAMMAS), -1)


def search_mean(search):
    """GammaSearchCV's mean scores at BUDGETS, shape (gammas, budgets)."""
    return search.scores_[:, :, np.array(BUDGETS) - 1].mean(axis=0)


@pytest.fixture(params=sorted(BOOSTERS))
def make(request):
    return BOOSTERS[request.param]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_scores_equal_grid_search_and_refit_equals_booster(make, n_classes):
    X, y = classification_data(n_classes, n_samples=450)
    estimator = make(max(BUDGETS))
    search = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(X, y)
    _, mean = grid_mean(estimator, X, y)
    np.testing.assert_allclose(search_mean(search), mean, rtol=0, atol=1e-6)
    assert search.scores_.shape == (3, len(GAMMAS), max(BUDGETS))
    # The choice is the best mean over every iteration count.
    every = search.scores_.mean(axis=0)
    assert search.best_score_ == every.max()
    g, k = np.unravel_index(np.argmax(every), every.shape)
    assert (search.gamma_, search.n_iter_) == (GAMMAS[g], k + 1)
    # The refit is the booster with the chosen gamma and budget.
    name = budget_name(estimator)
    assert search.best_params_ == {"gamma": search.gamma_, name: search.n_iter_}
    refit = clone(estimator).set_params(**search.best_params_).fit(X, y)
    np.testing.assert_allclose(
        search.predict_proba(X), refit.predict_proba(X), rtol=0, atol=1e-9
    )
    np.testing.assert_array_equal(search.predict(X), refit.predict(X))
    np.testing.assert_allclose(
        search.decision_function(X), refit.decision_function(X), rtol=0, atol=1e-9
    )
    np.testing.assert_array_equal(search.classes_, np.unique(y))


def test_cv_results_in_grid_search_format():
    X, y = classification_data(2, n_samples=450)
    estimator = BOOSTERS["lightgbm"](max(BUDGETS))
    search = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(X, y)
    grid = GridSearchCV(estimator, {"gamma": GAMMAS}, cv=CV).fit(X, y)
    assert set(grid.cv_results_) <= set(search.cv_results_) | {"param_n_estimators"}
    results = search.cv_results_
    best_k = np.nanargmax(search.scores_.mean(axis=0), axis=1) + 1
    assert results["params"] == [
        {"gamma": g, "n_estimators": int(k)}
        for g, k in zip(GAMMAS, best_k, strict=True)
    ]
    for f in range(3):
        np.testing.assert_array_equal(
            results[f"split{f}_test_score"],
            search.scores_[f, np.arange(len(GAMMAS)), best_k - 1],
        )
    assert results["rank_test_score"][search.best_index_] == 1
    assert results["mean_test_score"][search.best_index_] == search.best_score_
    assert np.all(results["mean_fit_time"] > results["mean_score_time"])


@pytest.mark.parametrize(
    "scoring", ["average_precision", "roc_auc", "accuracy", "callable"]
)
def test_any_scorer_equals_grid_search(scoring):
    X, y = classification_data(2, n_samples=450, weights=[0.8])
    if scoring == "callable":
        scoring = make_scorer(roc_auc_score, response_method="decision_function")
    estimator = BOOSTERS["lightgbm"](max(BUDGETS))
    search = GammaSearchCV(estimator, GAMMAS, cv=CV, scoring=scoring).fit(X, y)
    _, mean = grid_mean(estimator, X, y, scoring=scoring)
    np.testing.assert_allclose(search_mean(search), mean, rtol=0, atol=1e-6)


def test_sample_weight_weighs_fits_and_scores_as_routed_grid_search():
    X, y = classification_data(2, n_samples=450, weights=[0.8])
    weight = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    estimator = BOOSTERS["lightgbm"](max(BUDGETS))
    search = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(X, y, sample_weight=weight)
    with config_context(enable_metadata_routing=True):
        _, mean = grid_mean(estimator, X, y, sample_weight=weight)
    np.testing.assert_allclose(search_mean(search), mean, rtol=0, atol=1e-6)
    unweighted = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(X, y)
    assert np.abs(unweighted.scores_ - search.scores_).max() > 1e-3


@pytest.mark.parametrize("library", ["lightgbm", "hist_gradient_boosting"])
def test_early_stopping_stops_where_the_mean_stops_improving(library):
    X, y = classification_data(2, n_samples=450, weights=[0.8])
    estimator = BOOSTERS[library](60)
    full = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(X, y)
    rounds = 5
    stopped = GammaSearchCV(estimator, GAMMAS, cv=CV, early_stopping_rounds=rounds).fit(
        X, y
    )
    for g in range(len(GAMMAS)):
        mean = full.scores_[:, g].mean(axis=0)
        # The first iteration count whose mean has not improved for `rounds`.
        best, stop = 0, len(mean)
        for k in range(len(mean)):
            if mean[k] > mean[best]:
                best = k
            if k - best >= rounds:
                stop = k + 1
                break
        kept = stopped.scores_[:, g]
        np.testing.assert_allclose(
            kept[:, :stop], full.scores_[:, g, :stop], rtol=0, atol=1e-12
        )
        assert np.all(np.isnan(kept[:, stop:]))
    assert stopped.n_iter_ <= full.n_iter_
    chosen = full.scores_.mean(axis=0)[
        GAMMAS.index(stopped.gamma_), stopped.n_iter_ - 1
    ]
    assert chosen == stopped.best_score_


def test_early_stopping_ends_the_fits():
    X, y = classification_data(2, n_samples=450, weights=[0.8])
    estimator = BOOSTERS["lightgbm"](300).set_params(learning_rate=0.5)
    stopped = GammaSearchCV(estimator, [0.0], cv=CV, early_stopping_rounds=3)
    stopped.fit(X, y)
    trained = np.sum(~np.isnan(stopped.scores_[0, 0]))
    assert trained < 100  # far from the budget of 300


def test_race_lockstep_fails_every_fold_when_one_fails():
    race = Race(np.full((2, 10), np.nan), rounds=3, lockstep=True)
    errors = []

    def fold_0():
        try:
            race.report(0, 1.0)
            race.report(0, 1.0)  # waits for fold 1, which fails instead
        finally:
            errors.append(race.failed)

    thread = threading.Thread(target=fold_0)
    thread.start()
    race.report(1, 0.5)
    race.finish(1, ValueError("boom"))
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert errors == [True]


def test_string_labels_multiclass_and_pipeline():
    X, y = classification_data(3, n_samples=450)
    labels = np.array(["low", "mid", "high"])[y]
    estimator = BOOSTERS["lightgbm"](max(BUDGETS))
    search = GammaSearchCV(estimator, GAMMAS, cv=CV)
    pipe = make_pipeline(StandardScaler(), search).fit(X, labels)
    assert set(pipe.predict(X)) <= set(labels)
    np.testing.assert_array_equal(search.classes_, np.unique(labels))
    numeric = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(
        StandardScaler().fit_transform(X), y
    )
    np.testing.assert_allclose(search.scores_, numeric.scores_, rtol=0, atol=1e-12)
    # score: the search's scorer (neg_log_loss) on the refitted model
    expected = -log_loss(labels, pipe.predict_proba(X), labels=search.classes_)
    assert pipe.score(X, labels) == pytest.approx(expected, rel=1e-12)


def test_pandas_categorical_columns():
    pd = pytest.importorskip("pandas")
    X, y = classification_data(2, n_samples=450)
    frame = pd.DataFrame(X[:, :4], columns=list("abcd"))
    frame["colour"] = pd.Categorical(
        np.array(["red", "green", "blue"])[np.digitize(X[:, 4], [-0.5, 0.5])]
    )
    estimator = BOOSTERS["lightgbm"](max(BUDGETS))
    search = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(frame, y)
    _, mean = grid_mean(estimator, frame, y)
    np.testing.assert_allclose(search_mean(search), mean, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(search.feature_names_in_, frame.columns)


def test_parallel_threads_give_the_same_scores_and_share_the_cores():
    X, y = classification_data(2, n_samples=450)
    estimator = BOOSTERS["lightgbm"](max(BUDGETS)).set_params(n_jobs=-1)
    one = GammaSearchCV(estimator, GAMMAS, cv=CV).fit(X, y)
    two = GammaSearchCV(estimator, GAMMAS, cv=CV, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(one.scores_, two.scores_, rtol=0, atol=1e-12)
    # The refit has the cores the user gave the booster.
    assert two.best_estimator_.n_jobs == -1


def test_verbose_prints_a_line_per_fold_and_gamma(capsys):
    X, y = classification_data(2, n_samples=300)
    GammaSearchCV(BOOSTERS["lightgbm"](5), [0.0, 2.0], cv=3, verbose=1).fit(X, y)
    lines = [
        line for line in capsys.readouterr().out.splitlines() if "GammaSearchCV" in line
    ]
    assert len(lines) == 6
    assert "fold 1, gamma=0: 5 iterations, best score" in " ".join(lines)


def test_refit_false_has_no_model():
    X, y = classification_data(2, n_samples=300)
    search = GammaSearchCV(BOOSTERS["lightgbm"](5), [0.0, 2.0], cv=3, refit=False)
    search.fit(X, y)
    assert not hasattr(search, "best_estimator_")
    with pytest.raises(AttributeError, match="refit=False"):
        search.predict(X)


def test_pickles_with_its_model():
    X, y = classification_data(2, n_samples=300)
    search = GammaSearchCV(BOOSTERS["lightgbm"](5), [0.0, 2.0], cv=3).fit(X, y)
    loaded = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(loaded.predict_proba(X), search.predict_proba(X))


@pytest.mark.parametrize(
    "estimator, message",
    [
        (FocalLossClassifier(), "FocalLossClassifierCV"),
        (
            FocalHistGradientBoostingClassifier(early_stopping=True),
            "early_stopping=True would stop its fits early",
        ),
        (FocalLGBMClassifier(n_estimators=0), "an int >= 1"),
        (
            FocalLGBMClassifier(early_stopping_round=5),
            "early_stopping_round=5 would stop",
        ),
    ],
)
def test_refuses_what_it_cannot_search(estimator, message):
    X, y = classification_data(2, n_samples=120)
    with pytest.raises((TypeError, ValueError), match=message):
        GammaSearchCV(estimator, cv=3).fit(X, y)


def test_refuses_bad_parameters_and_fit_arguments():
    X, y = classification_data(2, n_samples=120)
    booster = BOOSTERS["lightgbm"](5)
    with pytest.raises(InvalidParameterError, match="'gammas' parameter"):
        GammaSearchCV(booster, gammas=[-1.0]).fit(X, y)
    with pytest.raises(InvalidParameterError, match="early_stopping_rounds"):
        GammaSearchCV(booster, early_stopping_rounds=0).fit(X, y)
    with pytest.raises(ValueError, match="eval_set cannot be a fit parameter"):
        GammaSearchCV(booster, cv=3).fit(X, y, eval_set=[(X, y)])
    rare = np.r_[np.zeros(117, dtype=int), 1, 1, 1]
    with pytest.raises(ValueError, match="lacks a class"):
        GammaSearchCV(booster, cv=KFold(3)).fit(X, rare)


def test_display_draws_each_gammas_mean_and_marks_the_choice():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    X, y = classification_data(2, n_samples=300)
    search = GammaSearchCV(
        BOOSTERS["lightgbm"](20), GAMMAS, cv=3, early_stopping_rounds=3
    ).fit(X, y)
    display = GammaSearchDisplay.from_estimator(search)
    assert len(display.lines_) == len(display.bands_) == len(GAMMAS)
    for g, line in enumerate(display.lines_):
        np.testing.assert_array_equal(line.get_ydata(), search.scores_[:, g].mean(0))
        assert line.get_label() == f"gamma={GAMMAS[g]:g}"
    assert display.choice_.get_xdata()[0] == search.n_iter_
    assert display.choice_.get_ydata()[0] == search.best_score_
    assert display.ax_.get_ylabel() == "mean held-out neg_log_loss"
    with pytest.raises(ValueError, match="one gamma per curve"):
        GammaSearchDisplay(search.scores_, GAMMAS[:2], 0.0, 1)


try:
    from sklearn import callback
except ImportError:  # scikit-learn < 1.9: no callbacks to support
    callback = None
needs_callbacks = pytest.mark.skipif(
    callback is None, reason="scikit-learn's callback API arrived in 1.9"
)


class RecordHooks:
    """A FitCallback that records each hook's task name."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()

    def setup(self, estimator, context):
        self.calls.append(("setup", None))

    def teardown(self, estimator, context):
        self.calls.append(("teardown", None))

    def on_fit_task_begin(self, estimator, context, **kwargs):
        with self.lock:
            self.calls.append(("begin", context.task_name))

    def on_fit_task_end(self, estimator, context, **kwargs):
        with self.lock:
            self.calls.append(("end", context.task_name))


@needs_callbacks
@pytest.mark.parametrize("early_stopping_rounds", [None, 2])
def test_callbacks_see_grid_search_cvs_tasks(early_stopping_rounds, capsys):
    X, y = classification_data(2, n_samples=300)
    hooks = RecordHooks()
    search = GammaSearchCV(
        BOOSTERS["lightgbm"](5), [0.0, 2.0], cv=3,
        early_stopping_rounds=early_stopping_rounds,
    ).set_callbacks(hooks)  # fmt: skip
    search.fit(X, y)
    grid_hooks = RecordHooks()
    GridSearchCV(BOOSTERS["lightgbm"](5), {"gamma": [0.0, 2.0]}, cv=3).set_callbacks(
        grid_hooks
    ).fit(X, y)
    renamed = {"candidate-split-evaluation": "gamma-fold-evaluation"}
    expected = [(hook, renamed.get(task, task)) for hook, task in grid_hooks.calls]
    assert sorted(hooks.calls, key=str) == sorted(expected, key=str)
    assert hooks.calls[:3] == [("setup", None), ("begin", "fit"), ("begin", "search")]
    assert hooks.calls[-4:] == [
        ("begin", "refit-with-best-params"), ("end", "refit-with-best-params"),
        ("end", "fit"), ("teardown", None),
    ]  # fmt: skip
    pytest.importorskip("rich", reason="ProgressBar draws with rich")
    search.set_callbacks(callback.ProgressBar()).fit(X, y)
    assert "GammaSearchCV - fit" in capsys.readouterr().out


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 13.7])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_binary_log_loss_equals_scikit_learns(gamma, dtype):
    rng = np.random.default_rng(0)
    raw = np.r_[rng.normal(0, 5, 2000), 800, -800, 3e4, -3e4, 0.0].astype(dtype)
    y = (rng.random(raw.size) < 0.3).astype(int)
    weight = rng.uniform(0, 2, raw.size)
    loss = FocalLoss(gamma=gamma)
    proba = loss.posterior(raw.astype(np.float64))
    for w in (None, weight):
        ours = raw_neg_log_loss(loss, raw, y, w, "posterior")
        expected = -log_loss(y, proba, sample_weight=w)
        assert ours == pytest.approx(expected, rel=1e-13)
