"""scikit-learn's histogram gradient boosting trees as one ``TreeEnsembleRegressor``.

Read from the fitted predictors' node arrays (``_predictors``), so that the
regressor takes the branches scikit-learn's ``_predict_one_from_raw_data``
takes: ``x <= num_threshold`` to the left in float64 (the thresholds and leaf
values are double tensors, the input is cast to double), a NaN to the side
``missing_go_to_left`` names. The baseline prediction is not in the regressor:
the converter adds it in float64.

skl2onnx's own converter of ``HistGradientBoostingClassifier`` is not used: it
appends the sigmoid or softmax, and it writes a categorical split as a
threshold split on ``num_threshold``, which is not the split's rule.

With categorical features, scikit-learn's fit puts an ``OrdinalEncoder`` in
front of the trees (``_preprocessor``): the categorical columns first, each
category replaced by its code, an unknown category by NaN; the trees' nodes
index those columns. A categorical split sends a code in its left bitset to
the left, a known code outside it to the right, NaN and unknown codes to the
side ``missing_go_to_left`` names. ``ai.onnx.ml`` 3 has no set membership:
the split becomes a chain of ``BRANCH_EQ`` nodes on the raw input column, over
the categories of the finite set of codes that do not go the missing side (an
unknown value matches none of them, as the encoder matches none). Categories
that are not numbers (pandas categorical columns of strings) are refused.
"""

import numpy as np
from onnx import numpy_helper

from ._graph import TREE_ENSEMBLE_KEYS


def check_model(model):
    """Refuse, with the reason, what the regressor cannot express."""
    for categories in _categories(model):
        if categories.dtype.kind not in "iuf":
            raise ValueError(
                f"{type(model).__name__} with categorical features of "
                f"{categories.dtype} categories cannot be exported: the ONNX trees "
                "compare numbers. Encode the categories in the pipeline (for "
                "example with OrdinalEncoder) and name their columns in "
                "categorical_features."
            )


def tree_ensemble(model):
    """Attributes of the ``TreeEnsembleRegressor`` of the model's trees.

    Its output, one column per tree of an iteration (one for two classes), is
    the sum of the leaves: the raw scores without the baseline prediction.
    """
    columns, categories = _columns(model)
    attrs = {key: [] for key in TREE_ENSEMBLE_KEYS}
    trees = [predictor for iteration in model._predictors for predictor in iteration]
    n_targets = int(model.n_trees_per_iteration_)
    for tree_id, predictor in enumerate(trees):
        _add_tree(attrs, tree_id, tree_id % n_targets, predictor, columns, categories)
    # As double tensors (ai.onnx.ml 3): the float attributes would round them.
    for key in ("nodes_values", "target_weights"):
        values = np.asarray(attrs.pop(key), dtype=np.float64)
        attrs[f"{key}_as_tensor"] = numpy_helper.from_array(values)
    return {
        **attrs,
        "n_targets": n_targets,
        "post_transform": "NONE",
        "aggregate_function": "SUM",
    }


def _categories(model):
    """The categories of each categorical column, NaN dropped, in column order."""
    preprocessor = model._preprocessor
    if preprocessor is None:
        return []
    encoder = preprocessor.named_transformers_["encoder"]
    return [
        values[:-1] if len(values) and values.dtype.kind == "f" and np.isnan(values[-1])
        else values
        for values in encoder.categories_
    ]  # fmt: skip


def _columns(model):
    """The input column of each feature the trees index, and the categories.

    ``categories[j]`` maps the codes of the tree feature ``j`` (categorical)
    back to the input's values.
    """
    if model._preprocessor is None:
        return np.arange(model.n_features_in_), {}
    categorical = np.asarray(model.is_categorical_, dtype=bool)
    # The encoder's output (the categorical columns) first, then the others.
    columns = np.r_[np.flatnonzero(categorical), np.flatnonzero(~categorical)]
    known = model._bin_mapper.bin_thresholds_  # codes seen in training
    categories = {
        j: (np.asarray(known[j], dtype=np.intp), np.asarray(values, np.float64))
        for j, values in enumerate(_categories(model))
    }
    return columns, categories


def _bitset_members(bitset):
    """The integers in a scikit-learn bitset (eight uint32 words)."""
    words = np.asarray(bitset, dtype=np.uint32)
    bits = (words[:, None] >> np.arange(32, dtype=np.uint32)) & 1
    return np.flatnonzero(bits.ravel())


def _add_tree(attrs, tree_id, target, predictor, columns, categories):
    nodes = predictor.nodes
    next_id = len(nodes)  # ids for the extra nodes of categorical chains

    def add(node_id, feature, mode, value, true_id, false_id, missing_true):
        attrs["nodes_treeids"].append(tree_id)
        attrs["nodes_nodeids"].append(node_id)
        attrs["nodes_featureids"].append(int(columns[feature]))
        attrs["nodes_modes"].append(mode)
        attrs["nodes_values"].append(value)
        attrs["nodes_truenodeids"].append(true_id)
        attrs["nodes_falsenodeids"].append(false_id)
        attrs["nodes_missing_value_tracks_true"].append(missing_true)

    for i, node in enumerate(nodes):
        if node["is_leaf"]:
            add(i, 0, "LEAF", 0.0, 0, 0, 0)
            attrs["target_treeids"].append(tree_id)
            attrs["target_nodeids"].append(i)
            attrs["target_ids"].append(target)
            attrs["target_weights"].append(float(node["value"]))
            continue
        feature = int(node["feature_idx"])
        left, right = int(node["left"]), int(node["right"])
        missing_left = bool(node["missing_go_to_left"])
        if not node["is_categorical"]:
            add(i, feature, "BRANCH_LEQ", float(node["num_threshold"]), left, right,
                int(missing_left))  # fmt: skip
            continue
        # The finite set of codes that do not go the missing side: the left
        # bitset, or the known codes outside it; then their categories.
        known, category = categories[feature]
        codes = _bitset_members(predictor.raw_left_cat_bitsets[node["bitset_idx"]])
        if missing_left:
            codes = np.setdiff1d(known, codes)
        members = category[codes]
        found, missing = (right, left) if missing_left else (left, right)
        if members.size == 0:  # every value goes the missing side
            add(i, feature, "BRANCH_EQ", np.nan, found, missing, 0)  # never true
            continue
        ids = [i, *range(next_id, next_id + members.size - 1)]
        next_id += members.size - 1
        for j, (node_id, value) in enumerate(zip(ids, members, strict=True)):
            false_id = ids[j + 1] if j + 1 < len(ids) else missing
            add(node_id, feature, "BRANCH_EQ", float(value), found, false_id, 0)
