"""``python -m skfocal distortion``: what the focal loss does to a rare class, in
one table.

For a class with prior ``--prior`` and each gamma, the report shows

- the optimal constant raw score (where boosting should start) next to the
  log-odds that plain cross-entropy would start from;
- how a model trained with that gamma reports true probabilities of
  ``--eta`` (the population minimiser's ``sigmoid(z)``) and what
  ``FocalLoss.posterior`` recovers from it;
- that gradient and curvature stay finite and positive at raw scores of 1e4.
"""

import numpy as np
from scipy.optimize import minimize_scalar

from . import FocalLoss, __version__


def population_score(eta, gamma):
    """Raw score minimising the expected focal loss when P(y=1) = eta."""
    loss = FocalLoss(gamma=gamma)
    y = np.array([0, 1])
    weights = np.array([1 - eta, eta])

    def risk(z):
        return loss.loss(y, np.full(2, z), sample_weight=weights).sum()

    bound = 2 * abs(np.log(eta / (1 - eta))) + 1
    return minimize_scalar(
        risk, bounds=(-bound, bound), method="bounded", options={"xatol": 1e-12}
    ).x


def report(prior, etas, gammas, n_samples=100_000):
    """Rows of the demo table, one per gamma, as dictionaries."""
    n_pos = max(1, round(prior * n_samples))
    y = np.r_[np.ones(n_pos), np.zeros(n_samples - n_pos)]
    extreme_y = np.array([0, 0, 1, 1])
    extreme_z = np.array([-1e4, 1e4, -1e4, 1e4])
    rows = []
    for gamma in gammas:
        loss = FocalLoss(gamma=gamma)
        z0 = loss.init_score(y)
        # Total gradient at the start score: zero when z0 is optimal.
        total_grad = loss.gradient(y, np.full(n_samples, z0)).sum()
        row = {"gamma": gamma, "init_score": z0, "total_gradient": total_grad}
        for eta in etas:
            z = population_score(eta, gamma)
            row[f"model_p({eta:g})"] = loss.predict_proba(np.array([z]))[0, 1]
            row[f"posterior({eta:g})"] = loss.posterior(np.array([z]))[0, 1]
        grad, curvature = loss.gradient_hessian(extreme_y, extreme_z)
        row["finite_at_1e4"] = bool(np.isfinite(grad).all() and (curvature >= 0).all())
        rows.append(row)
    return rows


def add_arguments(parser):
    """The options of ``python -m skfocal distortion``."""
    parser.add_argument(
        "--prior",
        type=float,
        default=0.01,
        help="frequency of the rare class (default: 0.01)",
    )
    parser.add_argument(
        "--eta",
        type=float,
        nargs="+",
        default=[0.001, 0.99],
        help="true probabilities to push through training (default: 0.001 0.99)",
    )
    parser.add_argument(
        "--gamma",
        type=float,
        nargs="+",
        default=[0, 0.5, 1, 2, 5],
        help="focusing parameters to compare (default: 0 0.5 1 2 5)",
    )


def main(args, parser):
    """Print the table for parsed ``args``; return the exit status."""
    if not 0 < args.prior < 1 or not all(0 < e < 1 for e in args.eta):
        parser.error("--prior and --eta must lie strictly between 0 and 1")
    if not all(0 <= g < np.inf for g in args.gamma):
        parser.error("--gamma values must be finite and >= 0")

    rows = report(args.prior, args.eta, args.gamma)
    log_odds = np.log(args.prior / (1 - args.prior))
    print(f"skfocal {__version__}: focal loss on a class with prior {args.prior:g}")
    print(f"log-odds (the cross-entropy start score): {log_odds:.6f}\n")
    header = ["gamma", "init score", "sum grad"]
    for eta in args.eta:
        header += [f"model@{eta:g}", f"posterior@{eta:g}"]
    header.append("finite@1e4")
    table = []
    for row in rows:
        cells = [
            f"{row['gamma']:g}",
            f"{row['init_score']:.6f}",
            f"{row['total_gradient']:.0e}",
        ]
        for eta in args.eta:
            cells += [
                f"{row[f'model_p({eta:g})']:.6f}",
                f"{row[f'posterior({eta:g})']:.6f}",
            ]
        cells.append("yes" if row["finite_at_1e4"] else "NO")
        table.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
    for cells in [header, *table]:
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    print(
        "\nmodel@eta: the probability a model trained with this gamma reports when the"
        "\ntrue probability is eta; posterior@eta: what FocalLoss.posterior recovers."
    )
    print(
        "init score: the optimal constant raw score (not the log-odds when gamma > 0);"
        "\nsum grad: the total gradient there (0 at the optimum)."
    )
    return 0
