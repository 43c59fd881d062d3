"""The README example is what a newcomer copies: it must run and do what it says."""

import contextlib
import io
import pathlib
import re

import numpy as np
import pytest

from skfocal import FocalLoss
from skfocal.metrics import focal_loss

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def run_readme_block(*indices):
    """Run README code blocks, in one namespace when they continue each other."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) == 4
    namespace = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for index in indices:
            exec(compile(blocks[index], str(README), "exec"), namespace)
    return namespace, out


def test_readme_example_runs_and_its_comments_hold():
    namespace, out = run_readme_block(0)
    y, raw = namespace["y"], namespace["raw"]
    assert np.all(namespace["hess"] > 0)
    loss = FocalLoss(gamma=2.0, alpha=0.25)
    assert namespace["z0"] == loss.init_score(y)
    np.testing.assert_allclose(namespace["proba"].sum(axis=1), 1.0)
    printed = float(out.getvalue())
    expected = focal_loss(y, loss.predict_proba(raw), gamma=2.0, alpha=0.25)
    assert printed == pytest.approx(expected, rel=1e-12)


def test_readme_pipeline_example_searches_gamma():
    namespace, _ = run_readme_block(1)
    search = namespace["search"]
    assert search.best_params_["focallossclassifier__gamma"] in (0.0, 1.0, 2.0)
    assert len(search.cv_results_["mean_test_score"]) == 6
    np.testing.assert_allclose(namespace["proba"].sum(axis=1), 1.0)
    assert search.best_score_ > 0.5


def test_readme_cv_example_chooses_from_its_grid():
    namespace, out = run_readme_block(1, 2)
    chosen = namespace["chosen"]
    assert chosen.scores_.shape == (5, 3, 2)  # as its comment says
    assert (chosen.gamma_, chosen.C_) in {(g, C) for g in (0, 1, 2) for C in (0.1, 1)}
    assert out.getvalue().strip() == f"{chosen.gamma_} {chosen.C_} (5, 3, 2)"


def test_readme_lightgbm_example_gives_probabilities():
    namespace, _ = run_readme_block(3)
    clf, proba = namespace["clf"], namespace["proba"]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.evals_result_["valid_0"]) == {"focal_loss"}
    assert proba.shape == (1000, 2) and 0.0 < proba[:, 1].mean() < 0.2
    search = namespace["search"]
    assert search.scores_.shape == (3, 3, 200)  # folds, gammas, every tree count
    assert search.best_estimator_.n_estimators == search.n_iter_


def test_readme_names_the_commands_ci_runs():
    text = README.read_text()
    assert 'python -m pip install -e ".[test]" && python -m pytest' in text
    assert 'python -m pip install -e ".[demo]" && python -m skfocal demo' in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert 'python -m pip install -e ".[test,docs]"' in ci  # the test extra and more
    assert "\npython -m pytest ||" in ci
    assert "python -m sphinx -W" in ci
