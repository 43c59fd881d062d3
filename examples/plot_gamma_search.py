r"""
=========================================================
Does focal loss help? Gamma and trees by cross-validation
=========================================================

Focal loss helps a booster on some data sets and not on others, so ``gamma``
is a hyperparameter to choose, with ``gamma = 0`` (the library's own
cross-entropy) among the candidates. :class:`~skfocal.model_selection.GammaSearchCV`
chooses it together with the number of boosting iterations: one fit per fold
and ``gamma`` scores the held-out rows after every iteration, where a
:class:`~sklearn.model_selection.GridSearchCV` over ``gamma`` and
``n_estimators`` would refit every tree count from scratch.
"""

# %%
# The search
# ----------
# Real data: flights out of New York City in 2013, 2.45 % of them cancelled
# (a sample of 30,000 here, to keep the example fast). LightGBM reads the
# categorical columns as they are. The default scoring is the log loss of the
# posterior probabilities: a proper scoring rule on calibrated probabilities,
# fair to every ``gamma``.
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.metrics import average_precision_score, log_loss
from sklearn.model_selection import train_test_split

from skfocal.datasets import load_flight_cancellations
from skfocal.lightgbm import FocalLGBMClassifier
from skfocal.model_selection import GammaSearchCV, GammaSearchDisplay

X, y = load_flight_cancellations()
for column in ("carrier", "origin", "dest"):
    X[column] = X[column].astype("category")
X, _, y, _ = train_test_split(X, y, train_size=30_000, stratify=y, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

booster = FocalLGBMClassifier(
    n_estimators=120, learning_rate=0.1, num_leaves=15, verbose=-1, random_state=0
)
search = GammaSearchCV(booster, gammas=(0.0, 0.5, 1.0, 2.0, 5.0), cv=3)
search.fit(X_train, y_train)
print(f"chosen: gamma = {search.gamma_:g}, {search.n_iter_} trees")

# %%
# Every gamma's held-out score against the number of trees
# ---------------------------------------------------------
# One curve per ``gamma`` (the mean over the folds, with a band of one
# standard deviation), the choice marked with a star. Larger ``gamma`` learns
# more slowly: its best tree count comes later.
fig, ax = plt.subplots(figsize=(7, 4.5))
GammaSearchDisplay.from_estimator(search, ax=ax)
ax.set_ylim(search.best_score_ - 0.015, search.best_score_ + 0.002)
ax.set_title("GammaSearchCV on flight cancellations")

# %%
# Each gamma at its best tree count
# ---------------------------------
# ``cv_results_`` is :class:`~sklearn.model_selection.GridSearchCV`'s format,
# one row per ``gamma``.
results = pd.DataFrame(search.cv_results_)
columns = ["param_gamma", "param_n_estimators", "mean_test_score", "rank_test_score"]
print(results[columns].to_string(index=False))

# %%
# Faster: early stopping
# ----------------------
# ``early_stopping_rounds`` stops each ``gamma``'s folds once their mean score
# has not improved for that many trees. It no longer sees a later
# improvement, but here it makes the same choice in a fraction of the trees.
stopped = GammaSearchCV(
    booster, gammas=(0.0, 0.5, 1.0, 2.0, 5.0), cv=3, early_stopping_rounds=20
).fit(X_train, y_train)
trained = (~pd.isna(stopped.scores_[0])).sum(axis=1)
print(f"chosen: gamma = {stopped.gamma_:g}, {stopped.n_iter_} trees")
print(
    "trees fitted per gamma:",
    dict(zip(stopped.gammas_.tolist(), trained.tolist(), strict=True)),
)

# %%
# On held-out data
# ----------------
# The search refitted the chosen model on all the training rows. Against the
# booster at ``gamma = 0`` and at ``gamma = 2`` with all 120 trees:
models = {
    "GammaSearchCV's choice": search,
    "gamma = 0, 120 trees": booster.set_params(gamma=0.0).fit(X_train, y_train),
    "gamma = 2, 120 trees": FocalLGBMClassifier(**{
        **booster.get_params(), "gamma": 2.0
    }).fit(X_train, y_train),
}  # fmt: skip
for name, model in models.items():
    proba = model.predict_proba(X_test)[:, 1]
    print(
        f"{name:24s} log loss {log_loss(y_test, proba):.4f}  "
        f"AP {average_precision_score(y_test, proba):.4f}"
    )
