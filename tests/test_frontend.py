"""The front-end contract: every boosting front end runs one fit sequence.

The same input must meet the same checks and rules on every library; these
parametrise over the front ends instead of repeating a test per library.
"""

import numpy as np
import pytest

from skfocal.lightgbm import FocalLGBMClassifier

from .conftest import QUIET, classification_data

FRONT_ENDS = {"lightgbm": lambda **p: FocalLGBMClassifier(n_estimators=5, **QUIET, **p)}
try:
    from skfocal.xgboost import FocalXGBClassifier

    FRONT_ENDS["xgboost"] = lambda **p: FocalXGBClassifier(n_estimators=5, **p)
except ImportError:  # xgboost is an optional extra (in the test extra)
    pass
try:
    from skfocal.catboost import FocalCatBoostClassifier

    FRONT_ENDS["catboost"] = lambda **p: FocalCatBoostClassifier(iterations=5, **p)
except ImportError:  # catboost is an optional extra (in the test extra)
    pass


@pytest.fixture(params=sorted(FRONT_ENDS))
def make(request):
    return FRONT_ENDS[request.param]


def test_eval_labels_unseen_in_training_are_named(make):
    # LightGBM's own label encoder once answered for its front end, in other words.
    X, y = classification_data(3, 600)
    train = y < 2
    with pytest.raises(ValueError, match=r"eval_set\[0\] holds labels not seen"):
        make().fit(X[train], y[train], eval_set=[(X, y)])


def test_continued_training_keeps_the_first_models_start(make):
    X, y = classification_data(2, 600)
    first = make().fit(X, y)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:30]]
    xgboost = type(first).__module__ == "skfocal.xgboost"
    argument = "xgb_model" if xgboost else "init_model"
    more = make().fit(X[keep], y[keep], **{argument: first})
    assert more.init_score_ == first.init_score_
    assert first.init_score_ != make().fit(X[keep], y[keep]).init_score_


def test_predictions_follow_the_raw_scores(make):
    X, y = classification_data(3, 600)
    labels = np.array(["c", "a", "b"])[y]
    model = make(gamma=1.0, proba="model").fit(X, labels)
    raw = model.decision_function(X)
    np.testing.assert_array_equal(model.predict(X), model.classes_[raw.argmax(1)])
    softmax = np.exp(raw - raw.max(1, keepdims=True))
    softmax /= softmax.sum(1, keepdims=True)
    np.testing.assert_allclose(model.predict_proba(X), softmax, rtol=1e-12)
