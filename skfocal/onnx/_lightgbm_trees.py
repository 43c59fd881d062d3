"""A LightGBM booster as one single-score model text per class, for exporters.

onnxmltools' LightGBM converter knows LightGBM's own objectives only; a focal
booster's trees are handed to it class by class, as ``regression`` models.
"""

import re

import numpy as np

from ..lightgbm._booster import _replace_header, _with_tree_sizes


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
