"""skl2onnx converters of skfocal's linear, LightGBM, XGBoost and HGB classifiers.

Each computes the model's raw scores in ONNX and hands them to
:func:`._graph.add_outputs`. LightGBM's trees are converted by onnxmltools'
LightGBM converter, one single-score model per class (LightGBM's converters
know no custom objective), then concatenated; XGBoost's are written from the
booster's JSON model by :mod:`._xgboost`; scikit-learn's histogram gradient
boosting trees from its predictors' nodes by :mod:`._hist_gradient_boosting`.
"""

from types import SimpleNamespace

import lightgbm as lgb
import numpy as np
import scipy.sparse as sp
from onnx import TensorProto

from . import _hist_gradient_boosting, _xgboost
from ._graph import Graph, add_outputs
from ._lightgbm_trees import split_by_class


def convert_linear(scope, operator, container):
    """``X @ coef_.T + intercept_`` in float64, then the focal outputs."""
    model = operator.raw_operator
    graph = Graph(scope, container, "focal_linear")
    x = graph.op("Cast", [operator.inputs[0].full_name], to=TensorProto.DOUBLE)
    coef = model.coef_.toarray() if sp.issparse(model.coef_) else model.coef_
    product = graph.op("MatMul", [x, graph.const(np.asarray(coef, np.float64).T)])
    raw = graph.op("Add", [product, graph.const(model.intercept_)])
    _outputs(graph, operator, raw)


def convert_lightgbm(scope, operator, container):
    """The trees' raw scores (one regressor per class), then the focal outputs."""
    from onnxmltools.convert.lightgbm.operator_converters.LightGbm import (
        convert_lightgbm as convert_trees,
    )

    model = operator.raw_operator
    graph = Graph(scope, container, "focal_lgbm")
    columns = []
    for text in split_by_class(model.booster_):
        column = graph.name("trees")
        trees = SimpleNamespace(
            raw_operator=SimpleNamespace(
                booster_=lgb.Booster(model_str=text), boosting_type="gbdt"
            ),
            input_full_names=[operator.inputs[0].full_name],
            output_full_names=[column],
            full_name=scope.get_unique_operator_name("focal_lgbm_trees"),
            split=None,
        )
        convert_trees(scope, trees, container)
        columns.append(column)
    raw = columns[0] if len(columns) == 1 else graph.op("Concat", columns, axis=1)
    _outputs(graph, operator, graph.op("Cast", [raw], to=TensorProto.DOUBLE))


def convert_xgboost(scope, operator, container):
    """XGBoost's margins: float32 trees as XGBoost sums them, plus the intercept."""
    model = operator.raw_operator
    graph = Graph(scope, container, "focal_xgb")
    # XGBoost compares float32 features with float32 split conditions.
    raw = _trees_plus_start(
        graph,
        operator,
        TensorProto.FLOAT,
        _xgboost.tree_ensemble(model),
        _xgboost.intercept(model),
    )
    _outputs(graph, operator, raw)


def convert_hist_gradient_boosting(scope, operator, container):
    """scikit-learn's raw scores: float64 splits and leaves, plus the baseline."""
    model = operator.raw_operator
    graph = Graph(scope, container, "focal_hgb")
    # scikit-learn compares float64 features with float64 thresholds.
    raw = _trees_plus_start(
        graph,
        operator,
        TensorProto.DOUBLE,
        _hist_gradient_boosting.tree_ensemble(model),
        np.asarray(model._baseline_prediction, np.float64).reshape(1, -1),
    )
    _outputs(graph, operator, raw)


def _trees_plus_start(graph, operator, dtype, ensemble, start):
    """The trees' sums on the input cast to ``dtype`` (as the library compares
    features with thresholds), in float64, plus the model's start score."""
    x = graph.op("Cast", [operator.inputs[0].full_name], to=dtype)
    trees = graph.op("TreeEnsembleRegressor", [x], domain="ai.onnx.ml", **ensemble)
    return graph.op(
        "Add", [graph.op("Cast", [trees], to=TensorProto.DOUBLE), graph.const(start)]
    )


def _outputs(graph, operator, raw):
    from skl2onnx.common.data_types import DoubleTensorType

    model = operator.raw_operator
    double = isinstance(operator.outputs[1].type, DoubleTensorType)
    add_outputs(
        graph,
        raw,
        len(model.classes_),
        np.asarray(model.classes_),
        model.loss_.gamma,
        model.proba_,
        operator.outputs[0].full_name,
        operator.outputs[1].full_name,
        TensorProto.DOUBLE if double else TensorProto.FLOAT,
    )
