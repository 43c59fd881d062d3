r"""
==========================================
Focal loss, its gradient and its curvature
==========================================

The focal loss :math:`\mathrm{FL}(p_t) = -(1 - p_t)^\gamma \log p_t` for several
values of :math:`\gamma`, as in figure 1 of Lin et al. (2017), and what a
gradient-boosting library sees of it: the derivatives with respect to the raw
score. Every curve is computed by :class:`skfocal.FocalLoss`.
"""

# %%
# The loss against the probability of the true class
# ---------------------------------------------------
# A sample of class 1 with raw score :math:`z` has :math:`p_t = \mathrm{sigmoid}(z)`,
# so the loss of ``p_t`` is the loss of ``y = 1`` at ``z = logit(p_t)``.
# ``gamma = 0`` is the cross-entropy; larger ``gamma`` shrinks the loss of the
# well-classified samples (``p_t > 0.5``) towards zero, so training spends its effort
# on the hard ones.
import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import brentq
from scipy.special import logit

from skfocal import FocalLoss

gammas = [0, 0.5, 1, 2, 5]
p_t = np.linspace(0.01, 0.99, 197)
raw = logit(p_t)
y = np.ones_like(raw)

fig, ax = plt.subplots(figsize=(6, 4))
for gamma in gammas:
    ax.plot(p_t, FocalLoss(gamma=gamma).loss(y, raw), label=f"$\\gamma$ = {gamma}")
ax.set(xlabel="probability of the true class $p_t$", ylabel="loss", ylim=(0, 5))
ax.legend()
ax.set_title("Focal loss (Lin et al., 2017, figure 1)")

# %%
# How much an easy sample still counts
# ------------------------------------
# The ratio of focal loss to cross-entropy is :math:`(1 - p_t)^\gamma`: at
# ``gamma = 2`` a sample classified with :math:`p_t = 0.9` contributes 100 times less
# than under log loss, one with :math:`p_t = 0.99` 10,000 times less.
cross_entropy = FocalLoss(gamma=0).loss([1, 1], logit([0.9, 0.99]))
focal = FocalLoss(gamma=2).loss([1, 1], logit([0.9, 0.99]))
print("cross-entropy / focal loss at p_t = 0.9, 0.99:", (cross_entropy / focal).round())

# %%
# Gradient and curvature with respect to the raw score
# ----------------------------------------------------
# Newton-type learners (LightGBM, XGBoost, second-order solvers) need the first and
# second derivative with respect to the raw score. For ``gamma > 0`` the exact second
# derivative (:meth:`~skfocal.FocalLoss.hessian_exact`) is *negative* for badly
# misclassified samples (margin below about -3): the focal loss is not convex there,
# and a Newton step with it would go uphill. :meth:`~skfocal.FocalLoss.gradient_hessian`
# returns the curvature :math:`c = (1 + \gamma)\, p_t\, |l'|` instead, which is
# positive everywhere and never below the exact value (see :ref:`curvature`).
margin = np.linspace(-8, 8, 1601)  # raw score of a class-1 sample
y = np.ones_like(margin)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
for gamma, color in zip([0, 2, 5], ["C0", "C3", "C4"], strict=True):
    loss = FocalLoss(gamma=gamma)
    grad, curvature = loss.gradient_hessian(y, margin)
    name = f"$\\gamma$ = {gamma}"
    axes[0].plot(margin, grad, color=color, label=name)
    axes[1].plot(margin, curvature, color=color, label=f"curvature, {name}")
    if gamma > 0:
        exact = loss.hessian_exact(y, margin)
        axes[1].plot(margin, exact, color=color, ls="--", label=f"exact, {name}")
axes[0].set(xlabel="raw score $z$ of a class-1 sample", ylabel="gradient")
axes[1].axhline(0, color="grey", linewidth=0.8)
axes[1].set(xlabel="raw score $z$ of a class-1 sample", ylabel="second derivative")
axes[0].legend()
axes[1].legend(fontsize="small")
fig.tight_layout()

# %%
# Where the exact Hessian is negative, and by how much. The grid brackets the sign
# change; a root finder then locates it to machine precision (the grid's last
# negative point would be up to one step, 0.01, off).
for gamma in [1, 2, 5]:
    loss = FocalLoss(gamma=gamma)
    exact = loss.hessian_exact(y, margin)
    last_negative = np.flatnonzero(exact < 0).max()
    threshold = brentq(
        lambda z, loss=loss: loss.hessian_exact([1.0], [z])[0],
        margin[last_negative],
        margin[last_negative + 1],
        xtol=1e-12,
    )
    print(
        f"gamma = {gamma}: negative for z < {threshold:.2f}, minimum {exact.min():.3f}"
    )

plt.show()
