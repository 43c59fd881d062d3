r"""
====================================================
LightGBM with ``lgb.train``, early stopping included
====================================================

:class:`~skfocal.lightgbm.FocalObjective` and :class:`~skfocal.lightgbm.FocalMetric`
plug the focal loss into LightGBM's native API. LightGBM treats a callable
objective as a black box, which has three consequences this example handles:

1. it does not compute a starting score, so we pass the optimal one
   (:meth:`skfocal.FocalLoss.init_score`) to every :class:`lightgbm.Dataset`;
2. its built-in metrics would be evaluated on raw scores, so we switch them off
   (``"metric": "None"``) and evaluate :class:`~skfocal.lightgbm.FocalMetric`;
3. its trees do not hold the starting score, so we fold it into the trained
   booster with :func:`~skfocal.lightgbm.fold_init_score` (then the booster alone
   is the model, saved or reloaded) and turn raw scores into probabilities with
   :meth:`skfocal.FocalLoss.posterior`.

:class:`~skfocal.lightgbm.FocalLGBMClassifier` does all three for you; this is what
it does underneath.
"""

# %%
# Data: 60,000 flights from New York City, 2.5 % of them cancelled
# ----------------------------------------------------------------
# :func:`~skfocal.datasets.load_flight_cancellations` holds 336,776 flights; a
# stratified subsample keeps this example fast. Three columns are pandas
# categoricals, which LightGBM uses as categorical features as they are.
import lightgbm as lgb
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import average_precision_score, log_loss
from sklearn.model_selection import train_test_split

from skfocal import FocalLoss
from skfocal.datasets import load_flight_cancellations
from skfocal.lightgbm import FocalMetric, FocalObjective, fold_init_score
from skfocal.metrics import expected_calibration_error

X, y = load_flight_cancellations()
X, _, y, _ = train_test_split(X, y, train_size=60_000, stratify=y, random_state=0)
X_train, X_rest, y_train, y_rest = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
X_valid, X_test, y_valid, y_test = train_test_split(
    X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=0
)
print(f"train {len(y_train)}, valid {len(y_valid)}, test {len(y_test)} flights")
print(f"cancelled: {y_train.mean():.2%} of the training flights")

# %%
# The starting score
# ------------------
# With ``gamma > 0`` the best constant raw score is not the log-odds of the prior:
# starting from the log-odds puts the model far on the flat side of the focal loss.
gamma = 2.0
loss = FocalLoss(gamma=gamma)
init_score = loss.init_score(y_train)
print(f"optimal starting score {init_score:.3f}")
print(f"log-odds of the prior   {np.log(y_train.mean() / (1 - y_train.mean())):.3f}")

# %%
# Training with early stopping
# ----------------------------
# Both data sets get the same starting score (it is part of the model, learned from
# the training labels). ``early_stopping`` skips the training data and stops when
# FocalMetric, the only metric, has not improved on ``valid`` for 50 rounds.
train = lgb.Dataset(X_train, y_train, init_score=np.full(len(y_train), init_score))
valid = lgb.Dataset(
    X_valid, y_valid, init_score=np.full(len(y_valid), init_score), reference=train
)
params = {
    "objective": FocalObjective(gamma=gamma),
    "metric": "None",  # built-in metrics would see raw scores
    "learning_rate": 0.05,
    "num_threads": 1,  # small data; more threads only wait on a busy machine
    "verbose": -1,
}
history = {}
booster = lgb.train(
    params,
    train,
    num_boost_round=1000,
    valid_sets=[train, valid],
    valid_names=["train", "valid"],
    feval=FocalMetric(gamma=gamma),
    callbacks=[
        lgb.early_stopping(50),
        lgb.log_evaluation(50),
        lgb.record_evaluation(history),
    ],
)

fig, ax = plt.subplots(figsize=(6, 4))
for name, metrics in history.items():
    ax.plot(metrics["focal_loss"], label=name)
ax.axvline(booster.best_iteration - 1, color="grey", linestyle=":", label="best")
ax.set(xlabel="boosting round", ylabel=f"focal loss ($\\gamma$ = {gamma})")
ax.legend()

# %%
# From raw scores to probabilities
# --------------------------------
# The trees were fitted on top of the Datasets' starting score but do not hold it:
# fold it in, once. :meth:`~skfocal.FocalLoss.predict_proba` (the sigmoid) gives the
# probabilities the focal loss was fitted on, which ``gamma`` pulls towards 1/2;
# :meth:`~skfocal.FocalLoss.posterior` undoes that pull. Both rank the flights
# identically, so the average precision is the same; only the posterior is
# calibrated.
fold_init_score(booster, init_score)
raw = booster.predict(X_test, raw_score=True, num_iteration=booster.best_iteration)
probabilities = {
    "sigmoid of the raw score": loss.predict_proba(raw)[:, 1],
    "FocalLoss.posterior": loss.posterior(raw)[:, 1],
}
print(f"observed cancellation rate on the test set: {y_test.mean():.4f}")
for name, proba in probabilities.items():
    print(
        f"{name:25s} mean {proba.mean():.4f}"
        f"  average precision {average_precision_score(y_test, proba):.4f}"
        f"  log loss {log_loss(y_test, proba):.4f}"
        f"  ECE {expected_calibration_error(y_test, proba):.4f}"
    )

# %%
# For comparison: LightGBM's own ``binary`` objective (log loss) on the same split.
# Compare the average precision with the focal model's above: focal loss is an
# option to validate, not a guaranteed gain (see :ref:`when-focal-loss-helps`).
reference = lgb.train(
    {"objective": "binary", "learning_rate": 0.05, "num_threads": 1, "verbose": -1},
    lgb.Dataset(X_train, y_train),
    num_boost_round=1000,
    valid_sets=[lgb.Dataset(X_valid, y_valid)],
    callbacks=[lgb.early_stopping(50, verbose=False)],
)
proba = reference.predict(X_test, num_iteration=reference.best_iteration)
print(
    f"binary objective: {reference.best_iteration} rounds,"
    f" average precision {average_precision_score(y_test, proba):.4f},"
    f" log loss {log_loss(y_test, proba):.4f}"
)

plt.show()
