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
import numpy as np

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


def split_by_class(booster):
    """One single-score LightGBM model text per class, for exporters.

    Tree ``t`` of a K-class booster scores class ``t % K``; the text of class
    ``k`` holds those trees as a one-output ``regression`` model whose raw
    score is class ``k``'s (a binary booster gives one text). The iterations
    are those ``predict`` uses (up to the best one after early stopping).
    """
    model = booster.model_to_string()
    n_scores = booster.num_model_per_iteration()
    end = model.index("end of trees")
    starts = [match.start() for match in re.finditer(r"^Tree=", model[:end], re.M)]
    head, tail = model[: starts[0]], model[end:]
    blocks = [model[a:b] for a, b in zip(starts, [*starts[1:], end], strict=True)]
    texts = []
    for k in range(n_scores):
        trees = [
            _float32_thresholds(re.sub(r"^Tree=\d+", f"Tree={j}", block))
            for j, block in enumerate(blocks[k::n_scores])
        ]
        text = _replace_header(head, "num_class", "1")
        text = _replace_header(text, "num_tree_per_iteration", "1")
        if "\nobjective=" in text:
            text = _replace_header(text, "objective", "regression")
        else:  # a custom objective writes no line: put one after max_feature_idx
            before, line, after = text.partition("\nfeature_names=")
            text = before + "\nobjective=regression" + line + after
        texts.append(_with_tree_sizes(text + "".join(trees) + tail))
    return texts


def _float32_thresholds(block):
    """A tree's numerical thresholds as the largest float32 at or below each.

    Exporters compare float32 inputs with float32 thresholds; LightGBM compares
    ``x <= t`` in float64. For every float32 ``x`` the rounded-down threshold
    decides the same way, a threshold rounded to nearest may not (measured: 3
    of 100,000 rows took another leaf). Categorical splits keep theirs.
    """
    lines = block.split("\n")
    fields = dict(line.split("=", 1) for line in lines if "=" in line)
    if "threshold" not in fields:
        return block  # a single leaf
    kinds = [int(v) for v in fields["decision_type"].split()]
    thresholds = [float(v) for v in fields["threshold"].split()]
    rounded = []
    for kind, t in zip(kinds, thresholds, strict=True):
        if not kind & 1:  # bit 0 marks a categorical split
            t32 = np.float32(t)  # compared as float64: NumPy would cast t down
            t = float(np.nextafter(t32, np.float32(-np.inf)) if float(t32) > t else t32)
        rounded.append(repr(t))
    return "\n".join(
        "threshold=" + " ".join(rounded) if line.startswith("threshold=") else line
        for line in lines
    )


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
