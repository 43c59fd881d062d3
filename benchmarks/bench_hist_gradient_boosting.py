"""scikit-learn's HistGradientBoostingClassifier with the focal loss against log_loss.

FocalHistGradientBoostingClassifier is scikit-learn's HistGradientBoostingClassifier
(HGB) with skfocal's loss object: binning, histograms, splits, tree growth and
prediction are scikit-learn's code, and only the gradient + curvature pass of each
iteration is skfocal's. So its fit time can differ from HGB's ``loss="log_loss"``
only through that pass; issue #25 sets the bar: at most 1.0x at gamma = 2.

Same data, same run, same parameters (HGB's defaults: 31 leaves, learning rate
0.1, 255 bins; ``--iter`` iterations with ``early_stopping=False``, a fixed
budget). Binary: ``--n`` x 28 (make_classification as ``bench_lightgbm.py``,
10 % positives); multiclass: K = 5 on ``--n-multi`` rows; 80 % of the rows train,
the rest is held out. Two measurements:

- fit: HGB ``log_loss``, FocalHistGradientBoostingClassifier at gamma = 0 (the
  log loss through skfocal's kernels: should be 1.0x) and gamma = 2. ``--repeat``
  rounds, the models interleaved in each round so that a slow phase of the
  machine hits them alike. Reported: the median fit time, its ratio to the
  median of ``log_loss`` and the range of the ratios of the rounds (each fit
  over the ``log_loss`` fit of its round); held-out average precision (binary)
  and log loss;
- gradient pass: the loss objects' ``gradient_hessian`` on the arrays HGB's fit
  hands them: float64 labels, F-ordered float64 raw scores of shape (n, 1) or
  (n, K), F-ordered float32 output buffers from ``init_gradient_and_hessian``
  and the ``n_threads`` HGB passes (``_openmp_effective_n_threads()``).
  ``--calls`` interleaved calls, the median per call, its ratio to
  scikit-learn's ``HalfBinomialLoss`` / ``HalfMultinomialLoss``, and that time
  times the iterations: the seconds of one fit it accounts for, which explains
  the fit ratio.

Usage: ``python benchmarks/bench_hist_gradient_boosting.py [--n 1000000]
[--n-multi 200000] [--iter 100] [--repeat 3]``; ``run()`` returns the tables as
data (``benchmarks/run_all.py`` collects them): ``[(title, rows)]``, fit rows
with ``model``, ``fit s``, ``ratio``, ``ratio min``, ``ratio max``, ``AP``,
``log loss``; gradient-pass rows with ``case``, ``ms/call``, ``ratio``,
``s per fit``.
"""

import argparse
import statistics
import sys

import numpy as np
from _common import timed
from bench_lightgbm import probabilities, split
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, log_loss
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

from skfocal.ensemble import FocalHistGradientBoostingClassifier

REFERENCE = "HistGradientBoosting log_loss"
GRADIENT_REFERENCE = "sklearn {}.gradient_hessian"


def hgb_params(iterations):
    return {"max_iter": iterations, "early_stopping": False, "random_state": 0}


def models(iterations):
    """Model name -> unfitted estimator; the reference first."""
    common = hgb_params(iterations)
    return {
        REFERENCE: HistGradientBoostingClassifier(loss="log_loss", **common),
        "FocalHistGradientBoostingClassifier(gamma=0)": (
            FocalHistGradientBoostingClassifier(gamma=0.0, **common)
        ),
        "FocalHistGradientBoostingClassifier(gamma=2)": (
            FocalHistGradientBoostingClassifier(gamma=2.0, **common)
        ),
    }


def compare_fits(title, estimators, X, y, repeat, progress=None):
    """Fit every estimator ``repeat`` times, interleaved; return (title, rows).

    ``progress(message)``, if given, is told each fit's time.
    """
    X_train, y_train, X_test, y_test = split(X, y)
    for model in estimators.values():  # warm up: imports, kernel compilation
        model.fit(X_train[:2000], y_train[:2000])
    times = {name: [] for name in estimators}
    for _ in range(max(1, repeat)):
        for name, model in estimators.items():
            times[name].append(
                timed(lambda model=model: model.fit(X_train, y_train))[1]
            )
            if progress is not None:
                progress(f"{title}: {name} {times[name][-1]:.2f} s")
    reference = times[REFERENCE]
    base = statistics.median(reference)
    rows = []
    for name, model in estimators.items():
        proba = probabilities(model, X_test)  # the model of the last round
        ratios = [t / r for t, r in zip(times[name], reference, strict=True)]
        rows.append(
            {
                "model": name,
                "fit s": statistics.median(times[name]),
                "ratio": statistics.median(times[name]) / base,
                "ratio min": min(ratios),
                "ratio max": max(ratios),
                "AP": (
                    average_precision_score(y_test, proba[:, 1])
                    if proba.shape[1] == 2
                    else None
                ),
                "log loss": log_loss(y_test, proba),
            }
        )
    return title, rows


def gradient_pass(title, estimators, X, y, calls, iterations):
    """Time each fitted model's loss object on HGB's arrays; return (title, rows).

    The loss objects come from the fits (``_loss``), the arrays are those HGB's
    fit builds: labels as float64, raw scores F-ordered, buffers float32.
    """
    _, y_train, _, _ = split(X, y)
    n_classes = len(np.unique(y_train))
    n_threads = _openmp_effective_n_threads()
    y_float = y_train.astype(np.float64)
    width = 1 if n_classes == 2 else n_classes
    rng = np.random.default_rng(0)
    raw = np.asfortranarray(rng.normal(scale=2.0, size=(len(y_train), width)))
    sklearn_loss = (
        HalfBinomialLoss()
        if n_classes == 2
        else HalfMultinomialLoss(n_classes=n_classes)
    )
    gradient, hessian = sklearn_loss.init_gradient_and_hessian(
        len(y_train), dtype=np.float32, order="F"
    )
    losses = {
        GRADIENT_REFERENCE.format(type(sklearn_loss).__name__): sklearn_loss,
        **{
            f"{name} loss object": model._loss
            for name, model in estimators.items()
            if name != REFERENCE
        },
    }
    cases = {
        name: lambda loss=loss: loss.gradient_hessian(
            y_true=y_float,
            raw_prediction=raw,
            gradient_out=gradient,
            hessian_out=hessian,
            n_threads=n_threads,
        )
        for name, loss in losses.items()
    }
    for func in cases.values():
        func()  # warm up
    times = {name: [] for name in cases}
    for _ in range(max(1, calls)):
        for name, func in cases.items():
            times[name].append(timed(func)[1])
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = next(iter(medians.values()))
    rows = [
        {
            "case": name,
            "ms/call": 1e3 * seconds,
            "ratio": seconds / base,
            "s per fit": seconds * iterations,
        }
        for name, seconds in medians.items()
    ]
    return f"{title}: gradient pass, n_threads={n_threads}", rows


def print_table(title, rows):
    print(f"\n{title}")
    if "case" in rows[0]:
        width = max(len(row["case"]) for row in rows)
        print(f"{'':{width}} {'ms/call':>8} {'ratio':>7} {'s per fit':>10}")
        for row in rows:
            print(
                f"{row['case']:{width}} {row['ms/call']:8.2f} {row['ratio']:6.2f}x"
                f" {row['s per fit']:10.2f}"
            )
        return
    width = max(len(row["model"]) for row in rows)
    print(
        f"{'':{width}} {'fit s':>7} {'ratio':>7} {'range':>13} {'AP':>7} "
        f"{'log loss':>9}"
    )
    for row in rows:
        ap = f"{row['AP']:7.4f}" if row["AP"] is not None else f"{'-':>7}"
        spread = f"{row['ratio min']:.2f}-{row['ratio max']:.2f}x"
        print(
            f"{row['model']:{width}} {row['fit s']:7.2f} {row['ratio']:6.2f}x "
            f"{spread:>13} {ap} {row['log loss']:9.4f}"
        )


def run(n, n_multi, iterations=100, repeat=3, calls=30, verbose=True):
    """The binary and the multiclass comparison, fits and gradient passes;
    return [(title, rows)]: binary fit, binary gradient pass, multiclass fit,
    multiclass gradient pass."""

    def progress(message):
        print(f"hgb: {message}", file=sys.stderr, flush=True)

    progress = progress if verbose else None
    tables = []
    X, y = make_classification(
        n_samples=n, n_features=28, n_informative=14, weights=[0.9], flip_y=0.02,
        random_state=0,
    )  # fmt: skip
    title = f"binary: {n} x 28, {iterations} iterations"
    estimators = models(iterations)
    tables.append(compare_fits(title, estimators, X, y, repeat, progress))
    tables.append(gradient_pass(title, estimators, X, y, calls, iterations))
    if verbose:
        for table in tables:
            print_table(*table)
    X, y = make_classification(
        n_samples=n_multi, n_features=28, n_informative=14, n_classes=5,
        weights=[0.5, 0.3, 0.1, 0.07], random_state=0,
    )  # fmt: skip
    title = f"multiclass K=5: {n_multi} x 28, {iterations} iterations"
    estimators = models(iterations)
    tables.append(compare_fits(title, estimators, X, y, repeat, progress))
    tables.append(gradient_pass(title, estimators, X, y, calls, iterations))
    if verbose:
        for table in tables[2:]:
            print_table(*table)
    return tables


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--n-multi", type=int, default=200_000)
    parser.add_argument("--iter", type=int, default=100, dest="iterations")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args(argv)
    run(args.n, args.n_multi, args.iterations, args.repeat, args.calls)


if __name__ == "__main__":
    main()
