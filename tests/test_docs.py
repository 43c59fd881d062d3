"""The code blocks of the documentation pages are what readers copy: they must run
and show what the text around them says."""

import contextlib
import io
import pathlib
import re

import numpy as np
import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"


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
def test_code_block_runs_and_its_results_hold(code):
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
