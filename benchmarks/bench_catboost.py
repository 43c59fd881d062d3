"""CatBoost with skfocal's focal loss against CatBoost's built-in Focal and Logloss.

skfocal's CatBoost front end is a user-defined objective: CatBoost calls
``FocalObjective.calc_ders_range`` from its C++ loop on blocks of rows (binary)
and ``calc_ders_multi`` once per row (K classes), each call a trip through
Python. Everything else (quantisation, tree search, leaf values) is CatBoost's.
This script measures what that costs against CatBoost's own C++ losses; the
issue that asked for the front end sets the bar: the binary fit at most 1.0x
the built-in ``Focal``.

Same data, same run, same parameters for every model: depth 6, learning rate
0.1, ``thread_count=2``, ``random_seed=0``, everything else at CatBoost's
defaults, which the script reads back with ``get_all_params()`` and prints (the
bootstrap, boosting type and leaf estimation must match across a table). Three
measurements:

- binary fit, ``--n`` x 20 (make_classification, about 11 % positives),
  ``--iter`` iterations, trained on every row: (a) ``catboost.CatBoost`` with
  ``loss_function=FocalObjective(2)``, ``eval_metric=FocalMetric(2)`` and the
  Pool's ``baseline`` from ``objective.init_score(y)``; (b)
  ``FocalCatBoostClassifier(gamma=2)``; (c) CatBoost's built-in
  ``Focal:focal_alpha=0.5;focal_gamma=2``; (d) built-in ``Logloss`` with
  ``leaf_estimation_iterations=1``. CatBoost's Logloss defaults to 10 Newton
  steps per leaf, a user-defined objective and the built-in Focal to 1: (d)
  is pinned to 1 so that the four do the same work per tree. Two more rows,
  (b) and (c) with ``thread_count=1``, show how each scales to 2 threads: a
  Python objective is called from CatBoost's threads one at a time (the
  GIL). A last row is the floor of any Python objective: one that computes
  nothing (the logistic derivatives at p = 1/2, numpy) with a C++ metric.
  ``--repeat``
  rounds, the models interleaved in each round so that a slow phase of the
  machine hits them alike; reported: the median fit time and, against the
  built-in Focal and Logloss, the median and the range of the per-round
  ratios (each fit over the reference's fit of its round);
- where (a)'s time goes: one more fit of (a) with the objective and the
  metric wrapped in subclasses that count and time their calls (benchmark
  code only): calls per iteration, rows per call, the calling threads, the
  seconds inside the objective (summed over the calls, and as wall time: the
  union of the calls' intervals, since CatBoost calls from several threads
  and skfocal's kernel releases the GIL) and their fraction of that fit;
- multiclass fit, K = 5 on ``--n-multi`` rows x 20, ``--iter-multi``
  iterations, ``--repeat-multi`` rounds: ``FocalCatBoostClassifier(gamma=2)``
  against the built-in ``MultiClass`` with CatBoost's default Newton leaves
  and with ``leaf_estimation_method="Gradient"``. CatBoost's defaults differ
  there (``MultiClass`` takes the Bayesian bootstrap and 10 gradient steps, a
  user-defined objective MVS and 1), so all three are pinned to
  ``bootstrap_type="MVS"`` and ``leaf_estimation_iterations=1``. CatBoost
  calls ``calc_ders_multi`` once per row: the instrumented fit counts those
  calls too. The estimator and the Newton ``MultiClass`` again also run with
  one thread (the estimator's default for K > 2, ``thread_count=None``).

No quality figures here: ``bench_quality.py`` scores the CatBoost models.

Usage: ``python benchmarks/bench_catboost.py [--n 100000] [--n-multi 20000]
[--iter 100] [--iter-multi 50] [--repeat 5] [--repeat-multi 3]``; ``run()``
returns the tables as data (``benchmarks/run_all.py`` collects them):
``[(title, rows)]``, fit rows with ``model``, ``fit s`` and, per reference,
``vs <name>`` = (median ratio, min, max); parameter rows with ``model`` and
CatBoost's parameters (:data:`SHOWN_PARAMS`); profile rows with ``item`` and
``value``.
"""

import argparse
import statistics
import sys
import threading
import time

import catboost
import numpy as np
from _common import timed
from sklearn.datasets import make_classification

from skfocal.catboost import FocalCatBoostClassifier, FocalMetric, FocalObjective

THREADS = 2
BUILTIN_FOCAL = "Focal:focal_alpha=0.5;focal_gamma=2"
BARE = "CatBoost(FocalObjective(2))"
ESTIMATOR = "FocalCatBoostClassifier(gamma=2)"
FOCAL = f"CatBoost {BUILTIN_FOCAL}"
LOGLOSS = "CatBoost Logloss, 1 leaf step"
FLOOR = "CatBoost(Python objective computing nothing)"
MULTICLASS = "CatBoost MultiClass (Newton)"
MULTICLASS_GRADIENT = "CatBoost MultiClass (Gradient)"
ONE_THREAD = ", 1 thread"
# What get_all_params() must show alike within a table (the loss aside).
SHOWN_PARAMS = (
    "loss_function",
    "thread_count",
    "bootstrap_type",
    "subsample",
    "boosting_type",
    "leaf_estimation_method",
    "leaf_estimation_iterations",
    "leaf_estimation_backtracking",
    "boost_from_average",
    "border_count",
    "l2_leaf_reg",
)
# Multiclass: CatBoost's defaults differ between MultiClass and a user-defined
# objective; these pin them.
MULTI_PINNED = {"bootstrap_type": "MVS", "leaf_estimation_iterations": 1}


def catboost_params(iterations, threads=THREADS):
    """The parameters every model of a table shares, by CatBoost's names."""
    return {
        "iterations": iterations,
        "depth": 6,
        "learning_rate": 0.1,
        "thread_count": threads,
        "random_seed": 0,
        "verbose": False,
        "allow_writing_files": False,
    }


def estimator_params(iterations, threads=THREADS):
    """The same for FocalCatBoostClassifier (its verbose and file defaults)."""
    params = catboost_params(iterations, threads)
    del params["verbose"], params["allow_writing_files"]
    return params


def _bare(X, y, iterations, objective=None, metric=None, extra=None):
    """catboost.CatBoost with FocalObjective(2), FocalMetric(2), init as baseline."""
    objective = objective or FocalObjective(gamma=2.0)
    params = {**catboost_params(iterations), **(extra or {})}
    params["loss_function"] = objective
    params["eval_metric"] = metric or FocalMetric(gamma=2.0)
    n_classes = len(np.unique(y))
    if n_classes > 2:
        params["classes_count"] = n_classes
    pool = catboost.Pool(X, y, baseline=objective.init_score(y, n_classes=n_classes))
    return catboost.CatBoost(params).fit(pool)


class NothingObjective:
    """A Python objective that computes (almost) nothing: the logistic
    derivatives at p = 1/2. Its fit costs what CatBoost's Python callbacks cost
    on their own, the floor of any user-defined objective."""

    no_jit = True

    def calc_ders_range(self, approxes, targets, weights):
        ders = np.empty((len(approxes), 2))
        ders[:, 0] = np.asarray(targets) - 0.5
        ders[:, 1] = -0.25
        return ders


def _floor(X, y, iterations):
    params = catboost_params(iterations)
    params["loss_function"] = NothingObjective()
    params["eval_metric"] = "Logloss"  # a C++ metric: only the objective is Python
    return catboost.CatBoost(params).fit(X, y)


def _builtin(X, y, iterations, threads=THREADS, **extra):
    params = {**catboost_params(iterations, threads), **extra}
    return catboost.CatBoost(params).fit(X, y)


def binary_models(iterations):
    """Model name -> fit(X, y) returning the trained catboost.CatBoost."""
    return {
        BARE: lambda X, y: _bare(X, y, iterations),
        ESTIMATOR: lambda X, y: (
            FocalCatBoostClassifier(gamma=2.0, **estimator_params(iterations))
            .fit(X, y)
            .booster_
        ),
        FOCAL: lambda X, y: _builtin(X, y, iterations, loss_function=BUILTIN_FOCAL),
        LOGLOSS: lambda X, y: _builtin(
            X, y, iterations, loss_function="Logloss", leaf_estimation_iterations=1
        ),
        ESTIMATOR + ONE_THREAD: lambda X, y: (
            FocalCatBoostClassifier(gamma=2.0, **estimator_params(iterations, 1))
            .fit(X, y)
            .booster_
        ),
        FOCAL + ONE_THREAD: lambda X, y: _builtin(
            X, y, iterations, 1, loss_function=BUILTIN_FOCAL
        ),
        FLOOR: lambda X, y: _floor(X, y, iterations),
    }


def multiclass_models(iterations):
    def estimator(threads):
        return lambda X, y: FocalCatBoostClassifier(
            gamma=2.0, **estimator_params(iterations, threads),
            leaf_estimation_iterations=1, params={"bootstrap_type": "MVS"},
        ).fit(X, y).booster_  # fmt: skip

    return {
        ESTIMATOR: estimator(THREADS),
        MULTICLASS: lambda X, y: _builtin(
            X, y, iterations, loss_function="MultiClass", **MULTI_PINNED
        ),
        MULTICLASS_GRADIENT: lambda X, y: _builtin(
            X,
            y,
            iterations,
            loss_function="MultiClass",
            leaf_estimation_method="Gradient",
            **MULTI_PINNED,
        ),
        # thread_count=None: the estimator's default for K > 2, one thread.
        ESTIMATOR + ONE_THREAD: estimator(None),
        MULTICLASS + ONE_THREAD: lambda X, y: _builtin(
            X, y, iterations, 1, loss_function="MultiClass", **MULTI_PINNED
        ),
    }


def compare_fits(title, fits, X, y, repeat, references, progress=None):
    """Fit every model ``repeat`` times, interleaved; return the fit table, the
    parameter table (of each model's last fit) and the fit times by model.

    ``references`` maps a short label to the model name the others are divided
    by; each row's ``vs <label>`` is (median, min, max) of the per-round ratios.
    """
    for fit in fits.values():  # warm up: imports, kernel compilation or cache
        fit(X[:2000], y[:2000])
    times = {name: [] for name in fits}
    models = {}
    for _ in range(max(1, repeat)):
        for name, fit in fits.items():
            models[name], seconds = timed(lambda fit=fit: fit(X, y))
            times[name].append(seconds)
            if progress is not None:
                progress(f"{title}: {name} {seconds:.2f} s")
    rows = []
    for name in fits:
        row = {"model": name, "fit s": statistics.median(times[name])}
        for label, reference in references.items():
            ratios = [t / r for t, r in zip(times[name], times[reference], strict=True)]
            row[f"vs {label}"] = (statistics.median(ratios), min(ratios), max(ratios))
        rows.append(row)
    params = []
    for name, model in models.items():
        # get_all_params() has thread_count as None: get_params() has it as given.
        shown, given = model.get_all_params(), model.get_params()
        values = {
            k: given.get(k) if shown.get(k) is None else shown[k] for k in SHOWN_PARAMS
        }
        params.append({"model": name, **values})
    return (title, rows), (f"{title}: CatBoost's parameters", params), times


class Recorder:
    """The calls of an instrumented objective or metric: (start, end, rows, thread).

    A class attribute of the instrumented classes, not an instance one, so that
    it survives any copy CatBoost makes of the objects it is given.
    """

    def __init__(self):
        self.calls = []

    def record(self, start, rows):
        self.calls.append((start, time.perf_counter(), rows, threading.get_ident()))

    def summary(self):
        """Calls, rows, threads, summed seconds and wall seconds (their union)."""
        if not self.calls:
            return 0, 0, 0, 0.0, 0.0
        intervals = sorted((start, end) for start, end, _, _ in self.calls)
        union, (low, high) = 0.0, intervals[0]
        for start, end in intervals[1:]:
            if start > high:
                union += high - low
                low, high = start, end
            else:
                high = max(high, end)
        union += high - low
        return (
            len(self.calls),
            sum(rows for _, _, rows, _ in self.calls),
            len({thread for _, _, _, thread in self.calls}),
            sum(end - start for start, end, _, _ in self.calls),
            union,
        )


def instrumented(objective_recorder, metric_recorder):
    """FocalObjective and FocalMetric subclasses that record each call."""

    class TimedObjective(FocalObjective):
        def calc_ders_range(self, approxes, targets, weights):
            start = time.perf_counter()
            out = super().calc_ders_range(approxes, targets, weights)
            objective_recorder.record(start, len(targets))
            return out

        def calc_ders_multi(self, approxes, target, weight):
            start = time.perf_counter()
            out = super().calc_ders_multi(approxes, target, weight)
            objective_recorder.record(start, 1)
            return out

    class TimedMetric(FocalMetric):
        def evaluate(self, approxes, target, weight):
            start = time.perf_counter()
            out = super().evaluate(approxes, target, weight)
            metric_recorder.record(start, len(target))
            return out

    return TimedObjective, TimedMetric


def profile(title, X, y, iterations, plain, plain_seconds, extra=None):
    """One instrumented fit of CatBoost(FocalObjective(2)); return (title, rows).

    ``plain_seconds`` is the median fit time of model ``plain`` (the same fit
    through the bare API or the estimator) without the instrumentation, to show
    what the recording itself costs.
    """
    objective_calls, metric_calls = Recorder(), Recorder()
    objective_class, metric_class = instrumented(objective_calls, metric_calls)
    _bare(X[:2000], y[:2000], 2, objective_class(2.0), metric_class(2.0), extra)
    objective_calls.calls.clear()
    metric_calls.calls.clear()
    _, seconds = timed(
        lambda: _bare(X, y, iterations, objective_class(2.0), metric_class(2.0), extra)
    )
    calls, rows, threads, summed, union = objective_calls.summary()
    m_calls, m_rows, _, _, m_union = metric_calls.summary()
    multi = len(np.unique(y)) > 2
    method = "calc_ders_multi" if multi else "calc_ders_range"
    items = [
        ("instrumented fit s", seconds),
        (f"{plain} fit s (median above)", plain_seconds),
        (f"{method} calls per iteration", calls / iterations),
        ("rows per call (mean)", rows / calls if calls else float("nan")),
        ("rows per iteration / training rows", rows / iterations / len(y)),
        ("threads calling the objective", threads),
        ("s inside the objective, summed over calls", summed),
        ("s inside the objective, wall (union of calls)", union),
        ("fraction of the fit inside the objective (wall)", union / seconds),
        ("us per objective call (mean)", 1e6 * summed / calls if calls else 0.0),
        ("FocalMetric.evaluate calls per iteration", m_calls / iterations),
        ("rows per evaluate call (mean)", m_rows / m_calls if m_calls else 0.0),
        ("s inside the metric, wall", m_union),
        ("fraction of the fit inside the metric (wall)", m_union / seconds),
    ]
    return f"{title}: where {BARE}'s time goes", [
        {"item": item, "value": value} for item, value in items
    ]


def print_table(title, rows):
    print(f"\n{title}")
    if "item" in rows[0]:
        width = max(len(row["item"]) for row in rows)
        for row in rows:
            value = row["value"]
            text = f"{value:.4g}" if isinstance(value, float) else str(value)
            print(f"{row['item']:{width}} {text:>10}")
        return
    if "fit s" not in rows[0]:
        for row in rows:
            print(
                f"{row['model']}: "
                + ", ".join(f"{k}={row[k]}" for k in row if k != "model")
            )
        return
    width = max(len(row["model"]) for row in rows)
    labels = [key for key in rows[0] if key.startswith("vs ")]
    print(f"{'':{width}} {'fit s':>7}" + "".join(f" {label:>22}" for label in labels))
    for row in rows:
        cells = "".join(
            f" {f'{r:.2f}x ({lo:.2f}-{hi:.2f})':>22}"
            for r, lo, hi in (row[k] for k in labels)
        )
        print(f"{row['model']:{width}} {row['fit s']:7.2f}{cells}")


def run(
    n=100_000,
    n_multi=20_000,
    iterations=100,
    iterations_multi=50,
    repeat=5,
    repeat_multi=3,
    verbose=True,
):
    """The binary comparison, its profile and the multiclass comparison; return
    [(title, rows)]: binary fit, binary parameters, binary profile, multiclass
    fit, multiclass parameters, multiclass profile."""

    def progress(message):
        print(f"catboost: {message}", file=sys.stderr, flush=True)

    progress = progress if verbose else None
    X, y = make_classification(
        n_samples=n, n_features=20, n_informative=10, weights=[0.9], flip_y=0.02,
        random_state=0,
    )  # fmt: skip
    title = f"binary: {n} x 20, {iterations} iterations, depth 6, {THREADS} threads"
    fit, params, times = compare_fits(
        title, binary_models(iterations), X, y, repeat,
        {"Focal": FOCAL, "Logloss": LOGLOSS}, progress,
    )  # fmt: skip
    tables = [fit, params]
    tables.append(
        profile(title, X, y, iterations, BARE, statistics.median(times[BARE]))
    )
    if verbose:
        for table in tables:
            print_table(*table)
    X, y = make_classification(
        n_samples=n_multi, n_features=20, n_informative=10, n_classes=5,
        weights=[0.5, 0.3, 0.1, 0.07], random_state=0,
    )  # fmt: skip
    title = (
        f"multiclass K=5: {n_multi} x 20, {iterations_multi} iterations, depth 6, "
        f"{THREADS} threads"
    )
    fit, params, times = compare_fits(
        title, multiclass_models(iterations_multi), X, y, repeat_multi,
        {"Newton": MULTICLASS, "Gradient": MULTICLASS_GRADIENT}, progress,
    )  # fmt: skip
    tables += [fit, params]
    plain = statistics.median(times[ESTIMATOR])
    tables.append(
        profile(title, X, y, iterations_multi, ESTIMATOR, plain, MULTI_PINNED)
    )
    if verbose:
        for table in tables[3:]:
            print_table(*table)
    return tables


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--n-multi", type=int, default=20_000)
    parser.add_argument("--iter", type=int, default=100, dest="iterations")
    parser.add_argument("--iter-multi", type=int, default=50, dest="iterations_multi")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--repeat-multi", type=int, default=3)
    args = parser.parse_args(argv)
    run(
        args.n, args.n_multi, args.iterations, args.iterations_multi, args.repeat,
        args.repeat_multi,
    )  # fmt: skip


if __name__ == "__main__":
    main()
