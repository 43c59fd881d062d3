"""`python -m skfocal`: the demo's table and its argument checks."""

import subprocess
import sys

import numpy as np
import pytest

from skfocal.__main__ import main, report


def test_report_recovers_true_probabilities():
    rows = report(prior=0.01, etas=[0.001, 0.99], gammas=[0.0, 2.0])
    plain, focal = rows
    assert plain["init_score"] == pytest.approx(np.log(0.01 / 0.99), abs=1e-9)
    assert focal["init_score"] == pytest.approx(-1.706453, abs=1e-6)
    assert plain["model_p(0.001)"] == pytest.approx(0.001, rel=1e-6)
    # gamma = 2 distorts 0.001 into 0.073 (design notes); the posterior undoes it.
    assert focal["model_p(0.001)"] == pytest.approx(0.0727, abs=1e-4)
    for row in rows:
        assert row["posterior(0.001)"] == pytest.approx(0.001, rel=1e-5)
        assert row["posterior(0.99)"] == pytest.approx(0.99, rel=1e-7)
        assert abs(row["total_gradient"]) < 1e-8
        assert row["finite_at_1e4"]


def test_main_prints_one_row_per_gamma(capsys):
    assert main(["--prior", "0.05", "--gamma", "0", "1", "3", "--eta", "0.2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert [row[0] for row in table] == ["0", "1", "3"]
    assert float(table[0][1]) == pytest.approx(np.log(0.05 / 0.95), abs=1e-6)
    assert all(row[4] == "0.200000" for row in table)  # posterior@0.2


@pytest.mark.parametrize(
    "argv", [["--prior", "1.5"], ["--eta", "0"], ["--gamma", "-1"], ["--gamma", "inf"]]
)
def test_main_rejects_bad_arguments(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "must" in capsys.readouterr().err


def test_module_runs_as_a_command():
    done = subprocess.run(
        [sys.executable, "-m", "skfocal", "--gamma", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "-1.706453" in done.stdout
