"""A booster that is the whole model: the initial score folded into its first trees.

LightGBM computes no initial score for a custom objective, so a model trained
from one (``FocalObjective.init_score``) predicts raw scores without it: saved,
reloaded, explained with SHAP or compiled, it is not the model. LightGBM's own
objectives fold their ``boost_from_average`` score into the first iteration's
trees (``Tree::AddBias``: every leaf value, every internal value and, for
linear trees, every leaf constant). This does the same, through the model text,
which LightGBM writes with round-trip precision.
"""

import re

import lightgbm as lgb

from .._boosting import constant_score

# The per-node lines of a tree that hold the raw-score outputs AddBias shifts.
_SHIFTED = ("leaf_value=", "internal_value=", "leaf_const=")


def fold_init_score(booster, init_score):
    """Put an initial score into a trained booster's first trees, in place.

    After ``lgb.train`` with :meth:`FocalObjective.init_score` as the Dataset's
    ``init_score``, the booster's raw scores lack that score. Folded in, they
    include it, as for LightGBM's built-in objectives: ``booster.predict(X,
    raw_score=True)`` is the model's raw score, also after ``save_model`` and a
    reload in plain LightGBM, for ``pred_contrib``, SHAP and treelite, and as an
    ``init_model`` to continue training from. Fold it once: a second call adds
    it again.

    Parameters
    ----------
    booster : lightgbm.Booster
        A trained booster (at least one iteration).
    init_score : float, array-like of shape (num_class,) or per-row array
        The constant initial score: what :meth:`FocalObjective.init_score`
        returned (the same for every row) or one row of it.

    Returns
    -------
    booster : lightgbm.Booster
        The same booster, its first iteration's trees shifted by the score.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalObjective, fold_init_score
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> init = objective.init_score(y)
    >>> params = {"objective": objective, "metric": "None", "verbose": -1}
    >>> booster = lgb.train(params, lgb.Dataset(X, y, init_score=init), 20)
    >>> before = booster.predict(X[:3], raw_score=True)
    >>> after = fold_init_score(booster, init).predict(X[:3], raw_score=True)
    >>> bool(np.allclose(after, before + init[:3]))
    True
    """
    if not isinstance(booster, lgb.Booster):
        raise TypeError(
            "fold_init_score takes a lightgbm.Booster (for a fitted LightGBM "
            f"estimator, its booster_), got {type(booster).__name__}. "
            "FocalLGBMClassifier folds its initial score itself."
        )
    if booster.current_iteration() < 1:
        raise ValueError("The booster has no trees yet: train it before folding.")
    return fold(booster, constant_score(init_score, booster.num_model_per_iteration()))


def fold(booster, score):
    """Shift the first iteration's trees of ``booster`` by ``score`` (K,)."""
    lines = booster.model_to_string().split("\n")
    tree = None
    for i, line in enumerate(lines):
        if line.startswith("Tree="):
            tree = int(line[len("Tree=") :])
            if tree >= len(score):
                break
        elif tree is not None and line.startswith(_SHIFTED):
            key, values = line.split("=", 1)
            shift = float(score[tree])
            lines[i] = (
                key + "=" + " ".join(repr(float(v) + shift) for v in values.split())
            )
    booster.model_from_string(_with_tree_sizes("\n".join(lines)))
    return booster


def _with_tree_sizes(model):
    """The model text with its ``tree_sizes`` header recomputed (bytes per tree)."""
    end = model.index("end of trees")
    starts = [match.start() for match in re.finditer(r"^Tree=", model[:end], re.M)]
    bounds = zip(starts, [*starts[1:], end], strict=True)
    sizes = [len(model[a:b].encode()) for a, b in bounds]
    return _replace_header(model, "tree_sizes", " ".join(map(str, sizes)))


def _replace_header(model, key, value):
    head, sep, rest = model.partition(f"\n{key}=")
    if not sep:
        return model
    _, newline, tail = rest.partition("\n")
    return head + sep + value + newline + tail
