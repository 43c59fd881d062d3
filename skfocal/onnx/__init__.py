"""ONNX export of skfocal's classifiers, alone or inside scikit-learn pipelines.

Needs ``pip install "skfocal[onnx]"`` (skl2onnx, onnxmltools, onnxruntime).
:func:`to_onnx` converts a fitted :class:`~skfocal.FocalLossClassifier`,
:class:`~skfocal.FocalLossClassifierCV`,
:class:`~skfocal.lightgbm.FocalLGBMClassifier`,
:class:`~skfocal.xgboost.FocalXGBClassifier`,
:class:`~skfocal.ensemble.FocalHistGradientBoostingClassifier` or a
pipeline holding one; the graph computes the raw scores (the linear part or
the trees), then the probabilities the model's ``proba`` asks for, the
posterior included, with standard ONNX operators. Its outputs are ``label``
and ``probabilities``, as for scikit-learn's classifiers in skl2onnx.
:func:`register` makes skl2onnx's own ``to_onnx`` and ``convert_sklearn`` know
these classifiers.
"""

from ._export import register, to_onnx

__all__ = ["register", "to_onnx"]
