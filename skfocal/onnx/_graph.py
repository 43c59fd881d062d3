"""ONNX operators shared by the converters: labels and the focal probabilities.

Every converter computes the model's raw scores (one column per score), then
calls :func:`add_outputs`, which appends what ``predict`` and ``predict_proba``
compute in Python: the label of the largest score and the probabilities,
either the model's own (sigmoid or softmax) or the posterior that undoes the
focal distortion. The posterior is the formula of ``skfocal/_posterior.py``,
evaluated in float64 with standard ONNX operators; ONNX has no ``log1p``, so
``log(1 + e)`` for small ``e`` uses its series.
"""

import numpy as np
from onnx import TensorProto

# As skfocal/_posterior.py: beyond |x| = 1e4 a class is certain either way.
_LOGIT_BOUND = 1e4
# Below this, log1p(e) by its series (error < e**4 / 4, far below float64's).
_SERIES_BELOW = 1e-4


# The per-node and per-leaf attributes of ai.onnx.ml's TreeEnsembleRegressor,
# which the tree writers (_xgboost, _hist_gradient_boosting) fill as lists.
TREE_ENSEMBLE_KEYS = [
    "nodes_treeids",
    "nodes_nodeids",
    "nodes_featureids",
    "nodes_modes",
    "nodes_values",
    "nodes_truenodeids",
    "nodes_falsenodeids",
    "nodes_missing_value_tracks_true",
    "target_treeids",
    "target_nodeids",
    "target_ids",
    "target_weights",
]


class Graph:
    """Adds nodes and constants to a skl2onnx container with unique names."""

    def __init__(self, scope, container, prefix):
        self.scope, self.container, self.prefix = scope, container, prefix

    def name(self, hint):
        return self.scope.get_unique_variable_name(f"{self.prefix}_{hint}")

    def const(self, value, dtype=np.float64):
        value = np.asarray(value, dtype=dtype)
        name = self.name("const")
        proto = {np.float64: TensorProto.DOUBLE, np.int64: TensorProto.INT64}
        self.container.add_initializer(
            name, proto[np.dtype(dtype).type], list(value.shape), value.ravel().tolist()
        )
        return name

    def op(self, op_type, inputs, output=None, domain="", **attrs):
        output = output or self.name(op_type.lower())
        self.container.add_node(
            op_type,
            list(inputs),
            [output],
            name=self.scope.get_unique_operator_name(f"{self.prefix}_{op_type}"),
            op_domain=domain,
            **attrs,
        )
        return output

    def reduce(self, op_type, x, axis):
        """``ReduceMax``/``ReduceSum`` over ``axis``, keeping it, in any opset."""
        # The axes moved from an attribute to an input: ReduceSum in opset 13,
        # the other reductions in opset 18.
        as_input = self.container.target_opset >= (13 if op_type == "ReduceSum" else 18)
        if as_input:
            return self.op(op_type, [x, self.const([axis], np.int64)], keepdims=1)
        return self.op(op_type, [x], axes=[axis], keepdims=1)

    def squeeze(self, op_type, x, axis):
        """``Squeeze``/``Unsqueeze`` of ``axis`` (an input from opset 13 on)."""
        if self.container.target_opset >= 13:
            return self.op(op_type, [x, self.const([axis], np.int64)])
        return self.op(op_type, [x], axes=[axis])

    def log1p(self, x):
        """``log(1 + x)`` for ``x >= 0``, accurate for tiny ``x``."""
        series = self.op(  # x - x**2/2 + x**3/3
            "Mul",
            [x, self.op("Sub", [self.const(1.0), self.op("Mul", [x, self.op(
                "Sub", [self.const(0.5), self.op("Div", [x, self.const(3.0)])])])])],
        )  # fmt: skip
        plain = self.op("Log", [self.op("Add", [self.const(1.0), x])])
        small = self.op("Less", [x, self.const(_SERIES_BELOW)])
        return self.op("Where", [small, series, plain])

    def softplus(self, x):
        """``log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))``."""
        positive = self.op("Max", [x, self.const(0.0)])
        tail = self.log1p(self.op("Exp", [self.op("Neg", [self.op("Abs", [x])])]))
        return self.op("Add", [positive, tail])


def add_outputs(
    graph, raw, n_classes, classes, gamma, proba, label_out, proba_out, proba_type
):
    """Label and probabilities from float64 raw scores of shape (n, 1) or (n, K).

    Parameters
    ----------
    graph : Graph
        Where the nodes go.
    raw : str
        Name of the raw scores: (n, 1) for two classes, (n, K) otherwise.
    n_classes : int
        Number of classes.
    classes : ndarray
        ``classes_``: the labels the argmax indexes (int64 or str).
    gamma : float
        The fitted ``gamma``.
    proba : {"posterior", "model"}
        The fitted ``proba``.
    label_out, proba_out : str
        Names of the two outputs.
    proba_type : int
        ``TensorProto`` type of the probabilities (the input's float type).
    """
    scores = raw
    if n_classes == 2:  # the sigmoid model: class logits (-z, z)
        scores = graph.op("Concat", [graph.op("Neg", [raw]), raw], axis=1)
    index = graph.op("ArgMax", [scores], axis=1, keepdims=0)
    _labels(graph, index, classes, label_out)
    if proba == "model":  # sigmoid of each class logit, or softmax of the scores
        probabilities = (
            graph.op("Sigmoid", [scores])
            if n_classes == 2
            else graph.op("Softmax", [scores], axis=1)
        )
    else:
        logits = scores if n_classes == 2 else _softmax_logits(graph, raw, n_classes)
        probabilities = _posterior(graph, logits, gamma)
    graph.op("Cast", [probabilities], proba_out, to=proba_type)


def _labels(graph, index, classes, label_out):
    if classes.dtype.kind in "iub":
        table = graph.const(classes.astype(np.int64), dtype=np.int64)
        graph.op("Gather", [table, index], label_out, axis=0)
        return
    name = graph.name("classes")
    graph.container.add_initializer(
        name, TensorProto.STRING, [len(classes)], [str(c).encode() for c in classes]
    )
    graph.op("Gather", [name, index], label_out, axis=0)


def _softmax_logits(graph, raw, n_classes):
    """``x_k = z_k - logsumexp_{j != k} z_j``, each logsumexp shifted by its max."""
    mask = np.where(np.eye(n_classes, dtype=bool), -np.inf, 0.0)
    expanded = graph.squeeze("Unsqueeze", raw, 1)  # (n, 1, K)
    others = graph.op("Add", [expanded, graph.const(mask)])  # (n, K, K), -inf at k
    top = graph.reduce("ReduceMax", others, 2)
    shifted = graph.op("Exp", [graph.op("Sub", [others, top])])
    total = graph.reduce("ReduceSum", shifted, 2)
    log_sum = graph.op("Add", [graph.op("Log", [total]), top])  # (n, K, 1)
    return graph.op("Sub", [raw, graph.squeeze("Squeeze", log_sum, 2)])


def _posterior(graph, logits, gamma):
    """Probabilities proportional to ``exp(-L(x_k))`` (skfocal/_posterior.py)."""
    x = graph.op(
        "Clip", [logits, graph.const(-_LOGIT_BOUND), graph.const(_LOGIT_BOUND)]
    )
    neg_x = graph.op("Neg", [x])
    loss = graph.softplus(neg_x)  # L(x) = softplus(-x) - g softplus(x) + log1p(g t)
    if gamma > 0:
        # t(x) = exp(x) softplus(-x), written with e = exp(-|x|) to stay finite.
        e = graph.op("Exp", [graph.op("Neg", [graph.op("Abs", [x])])])
        log1p_e = graph.log1p(e)
        t_neg = graph.op("Mul", [e, graph.op("Sub", [log1p_e, x])])
        # x > 0: log1p(e) / e, which tends to 1 where e underflows.
        ratio = graph.op("Div", [log1p_e, graph.op("Max", [e, graph.const(1e-300)])])
        t_pos = graph.op("Where", [graph.op("Greater", [e, graph.const(0.0)]), ratio,
                                   graph.const(1.0)])  # fmt: skip
        t = graph.op("Where", [graph.op("LessOrEqual", [x, graph.const(0.0)]), t_neg,
                               t_pos])  # fmt: skip
        focus = graph.op("Mul", [graph.const(gamma), graph.softplus(x)])
        gain = graph.log1p(graph.op("Mul", [graph.const(gamma), t]))
        loss = graph.op("Add", [graph.op("Sub", [loss, focus]), gain])
    scores = graph.op("Neg", [loss])
    top = graph.reduce("ReduceMax", scores, 1)
    weights = graph.op("Exp", [graph.op("Sub", [scores, top])])
    return graph.op("Div", [weights, graph.reduce("ReduceSum", weights, 1)])
