"""XGBoost's trees as one ONNX ``TreeEnsembleRegressor``, read from its JSON model.

The booster's own JSON (``save_raw("json")``) holds the float32 split
conditions and leaf values XGBoost predicts with, so the regressor reproduces
its margins: one target per class, the trees of ``predict``'s iteration range,
``x < split`` to the left and a missing value to the default child, as in
XGBoost. The intercept is not in the regressor: :func:`intercept` gives it, the
margin XGBoost computes from the booster's ``base_score``, in float64.
onnxmltools' XGBoost converter is not used: it reads the estimator's objective,
which a FocalXGBClassifier does not report, and it appends XGBoost's sigmoid or
softmax to the margins.
"""

import json

import numpy as np

from ._graph import TREE_ENSEMBLE_KEYS

# base_score is kept in the objective's space; these objectives' margins from
# it, in float32 as XGBoost computes them (a float64 logit of a probability
# near 1 would be off by 1e-4 at margin 7.6).
_MARGIN = {
    "binary:logistic": lambda p: -np.log(np.float32(1) / p - np.float32(1)),
    "multi:softprob": lambda margin: margin,
    "multi:softmax": lambda margin: margin,
}


def check_booster(model):
    """Refuse, with the reason, what the regressor cannot express."""
    name = type(model).__name__
    booster = model.get_booster()
    learner = json.loads(booster.save_raw("json"))["learner"]
    kind = learner["gradient_booster"]["name"]
    if kind not in ("gbtree", "dart"):
        raise ValueError(
            f"{name} with booster={kind!r} cannot be exported: to_onnx converts "
            "tree boosters (gbtree, dart) only."
        )
    objective = learner["objective"]["name"]
    if objective not in _MARGIN:
        raise ValueError(
            f"{name} whose booster has objective {objective!r} cannot be exported: "
            f"to_onnx reads the base_score of {', '.join(_MARGIN)} only."
        )
    missing = model.missing
    if missing is not None and not np.isnan(missing):
        raise ValueError(
            f"{name} with missing={missing!r} cannot be exported: ONNX's tree "
            "ensembles take NaN, XGBoost's default, as the missing value."
        )
    for tree in _trees(learner["gradient_booster"]):
        if int(tree["tree_param"]["size_leaf_vector"]) > 1:
            raise ValueError(
                f"{name} with vector-leaf trees (multi_strategy="
                "'multi_output_tree') cannot be exported: to_onnx converts "
                "single-output trees only."
            )
        if any(tree["split_type"]):
            raise ValueError(
                f"{name} with categorical splits cannot be exported: encode the "
                "categories in the pipeline (for example with OrdinalEncoder)."
            )


def tree_ensemble(model):
    """Attributes of the ``TreeEnsembleRegressor`` of ``predict``'s trees.

    Its float32 output, one column per class (one for two classes), is the
    sum of the trees' leaves: XGBoost's margins without the intercept.
    """
    gradient_booster = json.loads(model.get_booster().save_raw("json"))["learner"][
        "gradient_booster"
    ]
    trees = _trees(gradient_booster)
    model_json = gradient_booster.get("gbtree", gradient_booster)["model"]
    # Dart scales each tree by its weight when it predicts.
    weights = gradient_booster.get("weight_drop", [1.0] * len(trees))
    first, last = _tree_range(model, model_json["iteration_indptr"])
    attrs = {key: [] for key in TREE_ENSEMBLE_KEYS}
    for index in range(first, last):
        target = model_json["tree_info"][index]
        _add_tree(attrs, index, trees[index], target, np.float32(weights[index]))
    n_targets = 1 if model.n_classes_ == 2 else int(model.n_classes_)
    return {
        **attrs,
        "n_targets": n_targets,
        "post_transform": "NONE",
        "aggregate_function": "SUM",
        "base_values": [0.0] * n_targets,
    }


def intercept(model):
    """The margins of ``base_score``, one per output column, as float64."""
    config = json.loads(model.get_booster().save_config())["learner"]
    objective = config["objective"]["name"]
    base_score = json.loads(config["learner_model_param"]["base_score"])
    values = np.atleast_1d(np.asarray(base_score, dtype=np.float32))
    return _MARGIN[objective](values).astype(np.float64)


def _trees(gradient_booster):
    """The trees of a gbtree or dart booster (dart nests a gbtree)."""
    return gradient_booster.get("gbtree", gradient_booster)["model"]["trees"]


def _tree_range(model, iteration_indptr):
    """The trees ``predict`` uses: up to the best iteration after early stopping."""
    try:
        iterations = model.best_iteration + 1
    except AttributeError:  # XGBoost's way of saying there was no early stopping
        iterations = len(iteration_indptr) - 1
    return iteration_indptr[0], iteration_indptr[iterations]


def _add_tree(attrs, tree_id, tree, target, weight):
    """The nodes reachable from the root, split nodes to their children."""
    left, right = tree["left_children"], tree["right_children"]
    conditions = np.asarray(tree["split_conditions"], dtype=np.float32)
    stack = [0]
    while stack:
        node = stack.pop()
        is_leaf = left[node] == -1
        attrs["nodes_treeids"].append(tree_id)
        attrs["nodes_nodeids"].append(node)
        attrs["nodes_featureids"].append(0 if is_leaf else tree["split_indices"][node])
        attrs["nodes_modes"].append("LEAF" if is_leaf else "BRANCH_LT")
        attrs["nodes_values"].append(0.0 if is_leaf else float(conditions[node]))
        attrs["nodes_truenodeids"].append(0 if is_leaf else left[node])
        attrs["nodes_falsenodeids"].append(0 if is_leaf else right[node])
        attrs["nodes_missing_value_tracks_true"].append(
            int(not is_leaf and tree["default_left"][node])
        )
        if is_leaf:  # a leaf's value is its split condition in XGBoost's JSON
            attrs["target_treeids"].append(tree_id)
            attrs["target_nodeids"].append(node)
            attrs["target_ids"].append(target)
            attrs["target_weights"].append(float(conditions[node] * weight))
        else:
            stack += [right[node], left[node]]
