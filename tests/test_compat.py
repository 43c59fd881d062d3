"""Other libraries' private API: listed in one compat module per library.

An upgrade of scikit-learn, LightGBM or XGBoost that removes a private name
skfocal uses must fail here, naming it; and no module outside the compat
modules may start using one unlisted.
"""

import ast
import importlib
import pathlib

import numpy as np
import pytest

import skfocal

PACKAGE = pathlib.Path(skfocal.__file__).parent
LIBRARIES = ("sklearn", "lightgbm", "xgboost", "catboost")
ALIASES = {
    "lgb": "lightgbm", "xgb": "xgboost", "dxgb": "xgboost", "sklearn": "sklearn",
    "catboost": "catboost",
}  # fmt: skip
COMPAT = {
    "skfocal._compat": "sklearn",
    "skfocal.ensemble._compat": "sklearn",
    "skfocal.lightgbm._compat": "lightgbm",
    "skfocal.xgboost._compat": "xgboost",
}


def private(name):
    return name.startswith("_") and not name.startswith("__")


def private_uses(path):
    """``module.name`` of every private name of the libraries used in ``path``."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.split(".")[0] in LIBRARIES:
                for alias in node.names:
                    parts = [*node.module.split("."), alias.name]
                    if any(private(part) for part in parts):
                        yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Attribute) and private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in ALIASES:
                yield f"{ALIASES[root.id]}...{node.attr}"


def module_name(path):
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def test_private_names_are_imported_only_in_the_compat_modules():
    outside = {
        f"{module_name(path)}: {use}"
        for path in PACKAGE.rglob("*.py")
        if module_name(path) not in COMPAT
        for use in private_uses(path)
    }
    assert not outside, f"private API outside the compat modules: {sorted(outside)}"


@pytest.mark.parametrize("compat", sorted(COMPAT))
def test_every_private_import_of_a_compat_module_exists(compat):
    library = COMPAT[compat]
    pytest.importorskip(library, reason=f"{library} is an optional extra")
    path = PACKAGE.parent.joinpath(*compat.split(".")).with_suffix(".py")
    names = [
        (node.module, alias.name)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module.split(".")[0] in LIBRARIES
        for alias in node.names
    ]
    assert names or compat != "skfocal._compat"
    for module, name in names:
        assert hasattr(importlib.import_module(module), name), (
            f"{library} no longer has {module}.{name}, which {compat} imports"
        )


@pytest.mark.parametrize(
    "compat", ["skfocal.lightgbm._compat", "skfocal.xgboost._compat"]
)
def test_every_private_hook_and_attribute_exists(compat):
    library = COMPAT[compat]
    pytest.importorskip(library, reason=f"{library} is an optional extra")
    module = importlib.import_module(compat)
    assert module.HOOKS and module.ATTRIBUTES
    for (owner, name), why in module.HOOKS.items():
        assert callable(getattr(owner, name, None)), (
            f"{owner.__module__}.{owner.__name__}.{name} is gone ({why})"
        )
    classifier = {"lightgbm": "LGBMClassifier", "xgboost": "XGBClassifier"}[library]
    # An extra parameter: XGBoost keeps those in the attribute ``kwargs``.
    instance = getattr(importlib.import_module(library), classifier)(
        disable_default_eval_metric=True
    )
    for name, why in module.ATTRIBUTES.items():
        assert hasattr(instance, name), f"{classifier}().{name} is gone ({why})"


def test_every_private_hook_and_fitted_attribute_of_hgb_exists():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from skfocal.ensemble import _compat

    assert _compat.HOOKS and _compat.FITTED_ATTRIBUTES
    for (owner, name), why in _compat.HOOKS.items():
        assert callable(getattr(owner, name, None)), (
            f"{owner.__module__}.{owner.__name__}.{name} is gone ({why})"
        )
    rng = np.random.default_rng(0)
    X = np.c_[rng.integers(0, 3, 60), rng.normal(size=60)]
    model = HistGradientBoostingClassifier(max_iter=2, categorical_features=[0])
    model.fit(X, rng.integers(0, 2, 60))
    for name, why in _compat.FITTED_ATTRIBUTES.items():
        assert hasattr(model, name), (
            f"a fitted HistGradientBoostingClassifier has no {name} ({why})"
        )
    # What skfocal.onnx reads inside them.
    predictor = model._predictors[0][0]
    assert {"value", "feature_idx", "num_threshold", "missing_go_to_left", "left",
            "right", "is_leaf", "is_categorical", "bitset_idx"} <= set(
        predictor.nodes.dtype.names
    )  # fmt: skip
    assert predictor.raw_left_cat_bitsets.shape[1] == 8
    assert model._preprocessor.named_transformers_["encoder"].categories_
    assert len(model._bin_mapper.bin_thresholds_) == 2


def test_xgboost_passes_the_kwargs_attribute_to_the_booster():
    xgb = pytest.importorskip("xgboost", reason="xgboost is an optional extra")
    model = xgb.XGBClassifier()
    model.kwargs = {"disable_default_eval_metric": True}
    assert model.get_xgb_params()["disable_default_eval_metric"] is True


def test_the_scan_finds_private_names(tmp_path):
    # The first test would pass vacuously if the scan found nothing.
    path = tmp_path / "uses.py"
    path.write_text(
        "import lightgbm as lgb\n"
        "from sklearn.utils.validation import _check_sample_weight\n"
        "from sklearn.utils._param_validation import Interval\n"
        "aliases = lgb.basic._ConfigAliases\n"
    )
    assert sorted(private_uses(path)) == [
        "lightgbm..._ConfigAliases",
        "sklearn.utils._param_validation.Interval",
        "sklearn.utils.validation._check_sample_weight",
    ]
