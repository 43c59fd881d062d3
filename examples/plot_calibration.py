r"""
=================================================
Calibration: undoing the focal loss's distortion
=================================================

A model trained with focal loss reports probabilities that are pulled towards 1/2:
the loss rewards confident predictions less, so the fitted sigmoid is less
extreme than the truth. At ``gamma = 2`` a true probability of 0.001 is learned as
0.073. The distortion is a known, monotone function of ``gamma``, and
:meth:`skfocal.FocalLoss.posterior` inverts it. This example measures both on real
data with reliability diagrams and the expected calibration error (ECE).
"""

# %%
# Data and models
# ---------------
# 30,000 flights to train on and 30,000 to evaluate, about 2.5 % cancelled.
# :class:`~skfocal.lightgbm.FocalLGBMClassifier` returns the posterior from
# ``predict_proba`` (``proba="posterior"``, the default); the sigmoid of its
# :meth:`~skfocal.lightgbm.FocalLGBMClassifier.decision_function` is what the model
# itself fitted.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

from skfocal import FocalLoss
from skfocal.datasets import load_flight_cancellations
from skfocal.lightgbm import FocalLGBMClassifier
from skfocal.metrics import expected_calibration_error

X, y = load_flight_cancellations()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=30_000, test_size=30_000, stratify=y, random_state=0
)

gammas = [0.0, 1.0, 2.0, 5.0]
model_proba, posterior_proba = {}, {}
for gamma in gammas:
    clf = FocalLGBMClassifier(
        gamma=gamma, n_estimators=150, learning_rate=0.05, n_jobs=1, verbose=-1
    ).fit(X_train, y_train)  # n_jobs=1: small data, more threads only wait
    model_proba[gamma] = FocalLoss(gamma).predict_proba(clf.decision_function(X_test))
    posterior_proba[gamma] = clf.predict_proba(X_test)

# %%
# Expected calibration error and log loss
# ---------------------------------------
# At ``gamma = 0`` (log loss) both are the same. The model's own probabilities get
# worse as ``gamma`` grows; the posterior stays close to the calibration of
# log loss.
print("gamma  ECE model  ECE posterior  log loss model  log loss posterior")
for gamma in gammas:
    m, p = model_proba[gamma][:, 1], posterior_proba[gamma][:, 1]
    print(
        f"{gamma:5.1f}  {expected_calibration_error(y_test, m):9.4f}"
        f"  {expected_calibration_error(y_test, p):13.4f}"
        f"  {log_loss(y_test, m):14.4f}  {log_loss(y_test, p):18.4f}"
    )

# %%
# Reliability diagrams
# --------------------
# Each point is a bin of test flights with similar predicted probability (equal
# numbers of flights per bin): its mean prediction against the fraction actually
# cancelled. A calibrated model lies on the diagonal. Log axes, because almost
# every prediction is small.
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharex=True, sharey=True)
for ax, (title, proba) in zip(
    axes,
    [
        ("sigmoid of the raw score", model_proba),
        ("FocalLoss.posterior", posterior_proba),
    ],
    strict=True,
):
    for gamma in gammas:
        observed, predicted = calibration_curve(
            y_test, proba[gamma][:, 1], n_bins=10, strategy="quantile"
        )
        ax.plot(predicted, observed, marker="o", label=f"$\\gamma$ = {gamma:g}")
    ax.plot([1e-3, 1], [1e-3, 1], color="grey", linestyle=":", label="calibrated")
    ax.set(xscale="log", yscale="log", title=title, xlabel="mean predicted probability")
axes[0].set_ylabel("fraction cancelled")
axes[1].legend()
fig.tight_layout()

# %%
# The transform in one picture
# ----------------------------
# :meth:`~skfocal.FocalLoss.posterior` is a fixed, increasing function of the raw
# score for a given ``gamma`` (it does not look at the data), the identity at
# ``gamma = 0``: it keeps the ranking of the samples and the arg-max class.
raw = np.linspace(-6, 6, 241)
fig, ax = plt.subplots(figsize=(5, 4))
for gamma in gammas:
    loss = FocalLoss(gamma)
    ax.plot(
        loss.predict_proba(raw)[:, 1],
        loss.posterior(raw)[:, 1],
        label=f"$\\gamma$ = {gamma:g}",
    )
ax.set(
    xlabel="model probability (sigmoid of the raw score)",
    ylabel="recovered probability (posterior)",
)
ax.legend()

plt.show()
