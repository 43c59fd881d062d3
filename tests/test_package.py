"""The package's import surface: what `import skfocal` loads and exports."""

import subprocess
import sys

import skfocal


def test_import_skfocal_does_not_load_sklearn():
    # scikit-learn's import takes 0.6 s; FocalLoss must not pay for it (cold start).
    code = "import sys, skfocal; skfocal.FocalLoss(); print('sklearn' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_public_names_resolve():
    from skfocal.linear_model import FocalLossClassifier

    assert skfocal.FocalLossClassifier is FocalLossClassifier
    assert set(skfocal.__all__) <= set(dir(skfocal))
    try:
        skfocal.not_a_name  # noqa: B018
    except AttributeError as exc:
        assert "not_a_name" in str(exc)
    else:
        raise AssertionError("unknown attribute did not raise")
