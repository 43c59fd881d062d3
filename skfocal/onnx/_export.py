"""to_onnx and the registration of skfocal's converters with skl2onnx."""

from sklearn.utils.validation import check_is_fitted

# nocl: skl2onnx's classifier shape calculator asks for it (class labels kept).
_OPTIONS = {"zipmap": [True, False, "columns"], "nocl": [False]}


def _skl2onnx():
    try:
        import onnxmltools  # noqa: F401
        import skl2onnx
    except ImportError as exc:
        raise ImportError(
            'ONNX export needs skl2onnx and onnxmltools: pip install "skfocal[onnx]".'
        ) from exc
    return skl2onnx


def register():
    """Register the converters of skfocal's classifiers with skl2onnx.

    Afterwards skl2onnx's own ``to_onnx`` and ``convert_sklearn`` convert
    pipelines that hold them. :func:`to_onnx` calls it; calling it again does
    no harm.

    Examples
    --------
    >>> from skfocal.onnx import register
    >>> register()
    """
    skl2onnx = _skl2onnx()
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
    )

    for model, convert in _converters().items():
        alias = "Skfocal" + model.__name__
        skl2onnx.update_registered_converter(
            model,
            alias,
            calculate_linear_classifier_output_shapes,
            convert,
            options=_OPTIONS,
        )


def to_onnx(model, X_sample, *, options=None, target_opset=None, **kwargs):
    """Convert a fitted focal classifier, or a pipeline holding one, to ONNX.

    Parameters
    ----------
    model : estimator
        A fitted :class:`~skfocal.FocalLossClassifier`,
        :class:`~skfocal.FocalLossClassifierCV` (its refitted model),
        :class:`~skfocal.lightgbm.FocalLGBMClassifier`,
        :class:`~skfocal.xgboost.FocalXGBClassifier` (the trees ``predict``
        uses: up to the best iteration after early stopping),
        :class:`~skfocal.ensemble.FocalHistGradientBoostingClassifier`
        (numeric categorical features included), or a scikit-learn pipeline
        (scalers, encoders, ``ColumnTransformer``) ending in one.
    X_sample : array-like or DataFrame
        A few rows of the model's input: they fix the input names and types
        (a DataFrame gives one input per column, as in skl2onnx). Give float64
        rows for an XGBoost or HistGradientBoosting model after transformers:
        they then compute in float64 as in scikit-learn, and the splits, which
        sit on or near training values, see the same values as in ``predict``.
    options : dict, default=None
        skl2onnx's conversion options, such as ``{"zipmap": False}`` for a
        probability tensor instead of a list of dictionaries (skl2onnx's
        default for classifiers).
    target_opset : int or dict, default=None
        The ONNX opset, as in ``skl2onnx.to_onnx`` (its newest tested one by
        default); the ``ai.onnx.ml`` domain defaults to 3.
    **kwargs
        Passed to ``skl2onnx.to_onnx``.

    Returns
    -------
    onx : onnx.ModelProto
        The model, with outputs ``label`` and ``probabilities``: the
        probabilities of ``predict_proba`` (the posterior by default), computed
        by onnxruntime in float64 from float32 input.

    Raises
    ------
    ImportError
        Without skl2onnx and onnxmltools.
    TypeError
        For another skfocal estimator (the Dask classifiers do not export:
        convert ``to_local()``'s model).
    ValueError
        For a model part the converters cannot express: LightGBM's
        ``linear_tree``; XGBoost's ``gblinear`` booster, vector-leaf trees
        (``multi_strategy="multi_output_tree"``), categorical splits, or a
        ``missing`` other than NaN; a HistGradientBoosting model with
        categorical features whose categories are not numbers (pandas
        categorical columns of strings).

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime as ort
    >>> from sklearn.datasets import make_classification
    >>> from skfocal import FocalLossClassifier
    >>> from skfocal.onnx import to_onnx
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> X = X.astype(np.float32)
    >>> clf = FocalLossClassifier(gamma=2.0).fit(X, y)
    >>> onx = to_onnx(clf, X[:1], options={"zipmap": False})
    >>> session = ort.InferenceSession(onx.SerializeToString())
    >>> label, proba = session.run(None, {"X": X[:3]})
    >>> bool(np.allclose(proba, clf.predict_proba(X[:3]), atol=1e-5))
    True
    """
    skl2onnx = _skl2onnx()
    register()
    for part in _parts(model):
        _check_convertible(part)
    return skl2onnx.to_onnx(
        model, X_sample, options=options, target_opset=_opsets(target_opset), **kwargs
    )


def _opsets(target_opset):
    """skl2onnx's newest tested opset, with the ML domain's tree operators at 3.

    skl2onnx does not yet write models of ai.onnx.ml 5, which onnxmltools'
    tree converter would otherwise target.
    """
    if isinstance(target_opset, dict):
        return {"ai.onnx.ml": 3, **target_opset}
    if target_opset is None:
        from skl2onnx import get_latest_tested_opset_version

        target_opset = get_latest_tested_opset_version()
    return {"": target_opset, "ai.onnx.ml": 3}


def _parts(model):
    """The estimators inside pipelines and column transformers, and the model."""
    yield model
    for attribute in ("steps", "transformers_", "transformers"):
        for item in getattr(model, attribute, None) or ():
            yield from _parts(item[1])


def _converters():
    """The classes :func:`to_onnx` converts, each with its converter."""
    from ..ensemble import FocalHistGradientBoostingClassifier
    from ..lightgbm import FocalLGBMClassifier
    from ..linear_model import FocalLossClassifier, FocalLossClassifierCV
    from ._converters import (
        convert_hist_gradient_boosting,
        convert_lightgbm,
        convert_linear,
        convert_xgboost,
    )

    converters = {
        FocalLossClassifier: convert_linear,
        FocalLossClassifierCV: convert_linear,
        FocalLGBMClassifier: convert_lightgbm,
        FocalHistGradientBoostingClassifier: convert_hist_gradient_boosting,
    }
    try:  # xgboost is an optional extra
        from ..xgboost import FocalXGBClassifier
    except ImportError:
        return converters
    return converters | {FocalXGBClassifier: convert_xgboost}


def _check_convertible(part):
    """A skfocal model ``to_onnx`` converts, fitted; other estimators pass."""
    from ._converters import (
        convert_hist_gradient_boosting,
        convert_lightgbm,
        convert_xgboost,
    )
    from ._hist_gradient_boosting import check_model
    from ._xgboost import check_booster

    converters = _converters()
    if type(part) not in converters:
        if type(part).__module__.split(".")[0] == "skfocal":
            names = ", ".join(model.__name__ for model in converters)
            raise TypeError(
                f"to_onnx cannot convert {type(part).__name__}: it converts {names} "
                "and pipelines ending in one."
            )
        return
    check_is_fitted(part)
    if converters[type(part)] is convert_xgboost:
        check_booster(part)
    if converters[type(part)] is convert_hist_gradient_boosting:
        check_model(part)
    if converters[type(part)] is convert_lightgbm:
        params = part.booster_.params
        if params.get("linear_tree") in (True, "true", 1):
            raise ValueError(
                f"{type(part).__name__} with linear_tree=True cannot be exported: "
                "onnxmltools converts constant leaves only, not linear-tree leaves."
            )
