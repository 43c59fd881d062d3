"""The code blocks of the documentation pages are what readers copy: they must run
and show what the text around them says."""

import contextlib
import io
import pathlib
import re
import runpy

import numpy as np
import pytest
from scipy.optimize import brentq

from skfocal import FocalLoss

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def python_blocks():
    """(page:index, code) of every ``.. code-block:: python`` in docs/*.rst."""
    blocks = []
    for page in sorted(DOCS.glob("*.rst")):
        found = re.findall(
            r"\.\. code-block:: python\n\n((?:[ ]{3}.*\n|\n)+)", page.read_text()
        )
        for i, block in enumerate(found):
            code = "\n".join(line[3:] for line in block.splitlines())
            blocks.append(pytest.param(code, id=f"{page.stem}:{i}"))
    return blocks


def test_the_pages_hold_code_blocks():
    assert len(python_blocks()) >= 3


@pytest.mark.parametrize("code", python_blocks())
def test_code_block_runs_and_its_results_hold(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # blocks that save a model write it here
    namespace, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<docs>", "exec"), namespace)
    if "proba" in namespace:  # probabilities of the positive class or of every class
        proba = np.asarray(namespace["proba"])
        assert np.all((proba >= 0) & (proba <= 1))
        if proba.ndim == 2:
            np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    printed = re.findall(r"average precision: ([0-9.]+)", out.getvalue())
    for value in printed:  # better than ranking at random (the positive rate)
        assert float(value) > 2 * np.mean(namespace["y_test"])


def negative_curvature_threshold(gamma):
    """u* where the exact Hessian of a class-1 sample changes sign, to 1e-12."""
    loss = FocalLoss(gamma=gamma)
    return brentq(lambda z: loss.hessian_exact([1.0], [z])[0], -10, -1, xtol=1e-12)


def test_user_guide_and_loss_curves_example_state_the_same_thresholds():
    """Both print u*(gamma) to two decimals: they must agree with the exact root."""
    guide = (DOCS / "user_guide.rst").read_text()
    stated = re.search(
        r"u\^\* = (-[0-9.]+)` at :math:`\\gamma = 1`,\s+:math:`(-[0-9.]+)` at "
        r":math:`\\gamma = 2` and :math:`(-[0-9.]+)` at :math:`\\gamma = 5`",
        guide,
    )
    assert stated is not None
    expected = [f"{negative_curvature_threshold(g):.2f}" for g in (1, 2, 5)]
    assert list(stated.groups()) == expected

    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(ROOT / "examples" / "plot_loss_curves.py"))
    printed = re.findall(r"gamma = \d: negative for z < (-[0-9.]+)", out.getvalue())
    assert printed == expected
