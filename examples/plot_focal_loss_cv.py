r"""
=======================================================
Choosing gamma and C at once with FocalLossClassifierCV
=======================================================

:class:`~skfocal.FocalLossClassifierCV` cross-validates a grid of ``gamma`` and
``C`` values the way :class:`~sklearn.linear_model.LogisticRegressionCV` does for
``C``: each fold fits the grid along warm-started paths instead of starting every
fit from zero, so it makes the choice of a
:class:`~sklearn.model_selection.GridSearchCV` over
:class:`~skfocal.FocalLossClassifier` in a fraction of its time. Here it tunes a
model on a synthetic problem with about 3 % positives.
"""

# %%
# Data and the search
# -------------------
# ``gamma = 0`` (logistic regression) is in the default grid, so the first
# question, "does focal loss help at all?", is part of the answer. The default
# scoring is the log loss of the predicted probabilities: with
# ``proba="posterior"`` these are calibrated for every ``gamma``, so the
# comparison between the values of ``gamma`` is fair.
import time

import matplotlib.pyplot as plt
from sklearn.metrics import average_precision_score, log_loss
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.preprocessing import StandardScaler

from skfocal import FocalLossClassifier, FocalLossClassifierCV
from skfocal.datasets import make_imbalanced_classification

X, y = make_imbalanced_classification(20_000, random_state=0)
X = StandardScaler().fit_transform(X)  # on all rows, for brevity
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
folds = StratifiedKFold(5, shuffle=True, random_state=0)
gammas, Cs = [0.0, 0.5, 1.0, 2.0, 5.0], [0.001, 0.01, 0.1, 1.0, 10.0]

start = time.perf_counter()
cv_model = FocalLossClassifierCV(gammas, Cs, cv=folds).fit(X_train, y_train)
cv_seconds = time.perf_counter() - start
print(f"FocalLossClassifierCV: gamma = {cv_model.gamma_}, C = {cv_model.C_}")

# %%
# The same search with GridSearchCV
# ---------------------------------
# Same folds, same scoring: the mean scores agree to the solvers' tolerance. Where
# two grid points score within that tolerance of each other, the two searches may
# pick different ones of them; here they do, and the grid search's own score of
# the pair FocalLossClassifierCV chose is within 1e-3 of its best.
start = time.perf_counter()
search = GridSearchCV(
    FocalLossClassifier(), {"gamma": gammas, "C": Cs}, cv=folds, scoring="neg_log_loss"
).fit(X_train, y_train)
search_seconds = time.perf_counter() - start
print(f"GridSearchCV:          {search.best_params_}")
grid_scores = search.cv_results_["mean_test_score"].reshape(len(Cs), len(gammas)).T
difference = abs(cv_model.scores_.mean(axis=0) - grid_scores).max()
print(f"largest difference between the mean scores: {difference:.1e}")
ours = grid_scores[gammas.index(cv_model.gamma_), Cs.index(cv_model.C_)]
best = grid_scores.max()
print(f"GridSearchCV's score of that choice: {ours:.5f}, of its best: {best:.5f}")
print(
    f"{cv_seconds:.1f} s against {search_seconds:.1f} s "
    f"({search_seconds / cv_seconds:.1f} times faster); "
    f"{cv_model.n_iter_.sum()} L-BFGS iterations for the whole grid"
)

# %%
# The cross-validated log loss over the grid
# ------------------------------------------
# ``scores_`` holds every fold's score, of shape (folds, gammas, Cs).
mean_log_loss = -cv_model.scores_.mean(axis=0)
fig, ax = plt.subplots(figsize=(6, 4))
for gamma, row in zip(cv_model.gammas_, mean_log_loss, strict=True):
    ax.plot(cv_model.Cs_, row, marker="o", label=rf"$\gamma$ = {gamma:g}")
ax.set(xscale="log", xlabel="C", ylabel="log loss (5-fold CV)")
ax.set_title("Cross-validated log loss of FocalLossClassifier")
ax.legend()

# %%
# Held out
# --------
# The refitted model (``refit=True``, the default) on the test half.
proba = cv_model.predict_proba(X_test)[:, 1]
print(
    f"average precision {average_precision_score(y_test, proba):.4f}, "
    f"log loss {log_loss(y_test, proba):.4f}"
)

# %%
# The log loss curves of the different ``gamma`` lie close together: on this
# problem the penalty matters more than ``gamma``, and the search says so in one
# fit. ``scoring="average_precision"`` (or any scikit-learn scorer) ranks by
# another criterion; ``n_jobs`` fits the folds in parallel.

plt.show()
