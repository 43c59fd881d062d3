"""``python -m skfocal demo``: focal loss against its usual alternatives, on
imbalanced data, in one table and one figure.

Six models are trained on the same stratified split: logistic regression, the
same with ``class_weight="balanced"``, :class:`~skfocal.FocalLossClassifier`,
LightGBM's built-in binary objective,
:class:`~skfocal.lightgbm.FocalLGBMClassifier`, and the same booster with
``gamma`` and the number of trees chosen by
:class:`~skfocal.model_selection.GammaSearchCV` (``gamma = 0`` in the race).
Each is scored on the held-out part for ranking (average precision, ROC AUC)
and for probability quality (log loss, Brier score, expected calibration
error); the demo says what the search chose.
"""

import os
import sys
import time
from pathlib import Path

DATASETS = ("flights", "synthetic")
FIGURE_NAME = "skfocal-demo.png"
METRICS = ("average precision", "ROC AUC", "log loss", "Brier", "ECE", "fit s")
# Higher is better for the first two, lower for the others.
HIGHER_IS_BETTER = {"average precision": True, "ROC AUC": True}
SEARCHED = "FocalLGBMClassifier searched"
SEARCH_GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)


def load(dataset, seed):
    """Features, labels and categorical column names of a demo data set."""
    from .datasets import load_flight_cancellations, make_imbalanced_classification

    if dataset == "flights":
        X, y = load_flight_cancellations()
        return X, y, ["carrier", "origin", "dest", "month", "weekday"]
    if dataset == "synthetic":
        X, y = make_imbalanced_classification(100_000, random_state=seed)
        return X, y, []
    raise ValueError(f"unknown dataset {dataset!r}; choose from {DATASETS}")


def linear_features(categorical):
    """One-hot categories and standardised numbers, for the linear models."""
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    if not categorical:
        return StandardScaler()
    return make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), categorical),
        remainder=StandardScaler(),
    )


def make_models(categorical, *, gamma=2.0, alpha=None, seed=0):
    """The six demo models, unfitted, in a dict keyed by their table name.

    Both boosting models use the same trees (200 rounds of 31 leaves, learning rate
    0.05) on one thread each: the fits run one after another, and LightGBM's
    default (a thread per CPU) oversubscribes a machine that is busy with
    anything else (measured on a loaded 2-core machine: 39-70 s a fit, against
    2.9 s on one thread). The search tries :data:`SEARCH_GAMMAS` and up to
    those 200 trees on 3 folds of the training part, each gamma's folds side by
    side, stopping 20 trees after the mean held-out log loss stops improving.
    The linear ones use the same features and penalty (C = 1).
    """
    from lightgbm import LGBMClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from .lightgbm import FocalLGBMClassifier
    from .linear_model import FocalLossClassifier
    from .model_selection import GammaSearchCV

    trees = {
        "n_estimators": 200,
        "learning_rate": 0.05,
        "num_leaves": 31,
        "random_state": seed,
        "n_jobs": 1,
        "verbose": -1,
    }
    return {
        "LogisticRegression": make_pipeline(
            linear_features(categorical), LogisticRegression(max_iter=1000)
        ),
        "LogisticRegression balanced": make_pipeline(
            linear_features(categorical),
            LogisticRegression(class_weight="balanced", max_iter=1000),
        ),
        f"FocalLossClassifier g={gamma:g}": make_pipeline(
            linear_features(categorical),
            FocalLossClassifier(gamma=gamma, alpha=alpha, max_iter=1000),
        ),
        "LightGBM binary": LGBMClassifier(**trees),
        f"FocalLGBMClassifier g={gamma:g}": FocalLGBMClassifier(
            gamma=gamma, alpha=alpha, **trees
        ),
        SEARCHED: GammaSearchCV(
            FocalLGBMClassifier(alpha=alpha, **trees), SEARCH_GAMMAS, cv=3,
            early_stopping_rounds=20,
        ),
    }  # fmt: skip


def score(y_true, proba):
    """The demo's metrics of positive-class probabilities, by METRICS name."""
    from sklearn.metrics import (
        average_precision_score,
        brier_score_loss,
        log_loss,
        roc_auc_score,
    )

    from .metrics import expected_calibration_error

    return {
        "average precision": average_precision_score(y_true, proba),
        "ROC AUC": roc_auc_score(y_true, proba),
        "log loss": log_loss(y_true, proba, labels=[0, 1]),
        "Brier": brier_score_loss(y_true, proba),
        "ECE": expected_calibration_error(y_true, proba, n_bins=10),
    }


def run(dataset="flights", *, gamma=2.0, alpha=None, seed=0, progress=None):
    """Fit and score the six models; return (results, y_test, probabilities).

    ``results`` maps a model name to its METRICS (the searched model's row also
    holds the fitted search under ``"search"``); ``probabilities`` maps it to
    the held-out positive-class probabilities. ``progress(step, total, name)``
    is called before each fit.
    """
    from sklearn.model_selection import train_test_split

    X, y, categorical = load(dataset, seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    models = make_models(categorical, gamma=gamma, alpha=alpha, seed=seed)
    results, probabilities = {}, {}
    for step, (name, model) in enumerate(models.items(), start=1):
        if progress is not None:
            progress(step, len(models), name)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        elapsed = time.perf_counter() - start
        proba = model.predict_proba(X_test)[:, 1]
        probabilities[name] = proba
        results[name] = {**score(y_test, proba), "fit s": elapsed}
        if name == SEARCHED:
            results[name]["search"] = model
    return results, y_test, probabilities


def search_report(search):
    """What :class:`~skfocal.model_selection.GammaSearchCV` chose, in words."""
    results = search.cv_results_
    if search.gamma_ == 0.0:
        verdict = "plain cross-entropy: focal loss did not help on this data"
    else:
        at_zero = results["mean_test_score"][0] if 0.0 in search.gammas_ else None
        verdict = "focal loss helped on this data"
        if at_zero is not None:
            gain = search.best_score_ - at_zero
            verdict += f" (held-out log loss {gain:.4f} lower than at gamma = 0)"
    per_gamma = ", ".join(
        f"{params['gamma']:g}: {-score:.4f} ({params['n_estimators']} trees)"
        for params, score in zip(
            results["params"], results["mean_test_score"], strict=True
        )
    )
    return (
        f"{SEARCHED}: GammaSearchCV chose gamma = {search.gamma_:g} with "
        f"{search.n_iter_} trees, {verdict}.\nMean held-out log loss over 3 folds "
        f"of the training part, each gamma at its best tree count: {per_gamma}."
    )


def format_table(results):
    """The results as aligned text, the best value of each column marked with *."""
    best = {}
    for metric in METRICS[:-1]:
        values = [row[metric] for row in results.values()]
        best[metric] = max(values) if HIGHER_IS_BETTER.get(metric) else min(values)
    name_width = max(len("model"), *(len(name) for name in results))
    widths = [max(len(metric), 8) for metric in METRICS]
    lines = [
        "  ".join(
            ["model".ljust(name_width)]
            + [m.rjust(w) for m, w in zip(METRICS, widths, strict=True)]
        )
    ]
    for name, row in results.items():
        cells = [name.ljust(name_width)]
        for metric, width in zip(METRICS, widths, strict=True):
            digits = 1 if metric == "fit s" else 4
            mark = "*" if best.get(metric) == row[metric] else " "
            cells.append(f"{row[metric]:.{digits}f}{mark}".rjust(width + 1))
        lines.append(" ".join(cells))
    return "\n".join(lines)


def plot(y_test, probabilities, path, title):
    """Precision-recall curves and a reliability diagram, written to ``path``."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import average_precision_score, precision_recall_curve

    fig, (pr_ax, cal_ax) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
    # The linear models' curves nearly coincide: distinct dashes keep each visible.
    styles = iter([(0, (6, 2)), (0, (2, 2)), (0, (6, 2, 2, 2)), "-", "-"])
    for name, proba in probabilities.items():
        precision, recall, _ = precision_recall_curve(y_test, proba)
        ap = average_precision_score(y_test, proba)
        pr_ax.step(
            recall,
            precision,
            where="post",
            linestyle=next(styles, "-"),
            label=f"{name} (AP {ap:.3f})",
        )
        # Quantile bins: each point holds as many samples, rare high scores included.
        frac, mean = calibration_curve(y_test, proba, n_bins=10, strategy="quantile")
        cal_ax.plot(mean, frac, marker="o", label=name)
    prevalence = y_test.mean()
    pr_ax.axhline(prevalence, color="grey", linestyle=":", label="no skill")
    pr_ax.set(xlabel="recall", ylabel="precision", title="precision-recall")
    pr_ax.legend(fontsize="small")
    cal_ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect")
    cal_ax.set(
        xscale="log",
        yscale="log",
        xlabel="mean predicted probability",
        ylabel="fraction of positives",
        title="reliability (quantile bins, log scale)",
    )
    cal_ax.legend(fontsize="small")
    fig.suptitle(title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.resolve()


def figure_path(output):
    """The file ``--output`` names: a directory gets FIGURE_NAME inside it.

    A name without a suffix gets ``.png`` (matplotlib would add it silently);
    a suffix matplotlib cannot write is an error before any model is fitted.
    """
    from matplotlib.figure import Figure

    path = Path(output)
    if path.is_dir() or str(output).endswith(("/", os.sep)):
        return path / FIGURE_NAME
    if not path.suffix:
        return path.with_suffix(".png")
    formats = Figure().canvas.get_supported_filetypes()
    if path.suffix[1:].lower() not in formats:
        raise ValueError(
            f"--output {output}: matplotlib cannot write {path.suffix} files; use "
            f"one of {', '.join('.' + f for f in sorted(formats))} or a directory."
        )
    return path


def main(args):
    """Run the demo for parsed command-line ``args``; return the exit status."""
    from . import __version__

    def progress(step, total, name):
        print(f"[{step}/{total}] fitting {name} ...", file=sys.stderr, flush=True)

    alpha = "None" if args.alpha is None else f"{args.alpha:g}"
    print(
        f"skfocal {__version__} demo: dataset={args.dataset}, gamma={args.gamma:g}, "
        f"alpha={alpha}, seed={args.seed}",
        flush=True,
    )
    try:
        figure = _figure_or_none(args.output)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        results, y_test, probabilities = run(
            args.dataset,
            gamma=args.gamma,
            alpha=args.alpha,
            seed=args.seed,
            progress=progress,
        )
    except ImportError as exc:  # the flights data without the demo extra
        print(
            f"{exc}\nOr run the demo on synthetic data: --dataset synthetic",
            file=sys.stderr,
        )
        return 1
    print(
        f"\n{y_test.shape[0]} held-out samples, {y_test.mean():.2%} positive; "
        f"{time.perf_counter() - start:.0f} s in all\n"
    )
    print(format_table(results))
    print(
        "\n* best in column. Average precision and ROC AUC rank the samples (higher is"
        "\nbetter); log loss, Brier and ECE (expected calibration error) judge the"
        "\nprobabilities (lower is better). skfocal's models report calibrated"
        "\nprobabilities: FocalLoss.posterior undoes the distortion of focal loss."
        "\nfit s: wall-clock seconds of each fit (the boosters on one thread each)."
    )
    search = results.get(SEARCHED, {}).get("search")
    if search is not None:
        print(f"\n{search_report(search)}")
    if figure is None:
        print('\nNo figure: matplotlib is not installed (pip install "skfocal[demo]").')
        return 0
    title = f"{args.dataset}: {y_test.mean():.2%} positive, gamma = {args.gamma:g}"
    path = plot(y_test, probabilities, figure, title)
    print(f"\nFigure (precision-recall, reliability): {path}")
    return 0


def _figure_or_none(output):
    """:func:`figure_path` of ``--output``, or None without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return None
    return figure_path(output)
