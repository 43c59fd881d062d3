r"""
===============================
Distributed training with Dask
===============================

:class:`~skfocal.lightgbm.DaskFocalLGBMClassifier` trains the focal-loss LightGBM
model on Dask collections through LightGBM's Dask API: each worker trains on the
partitions it holds, and the trees are synchronised over the network. The starting
score is computed from the class totals of *all* partitions (one Dask reduction),
so the model is the one :class:`~skfocal.lightgbm.FocalLGBMClassifier` would fit
on the whole data. Needs ``pip install "skfocal[dask]"``.

This example runs a two-worker cluster inside this process, on data small enough
for a laptop; pointed at a real cluster the code is the same.
"""

# %%
# A local cluster
# ---------------
# Two workers with one thread each; ``processes=False`` keeps them in this process,
# which starts in a second (``processes=True`` would isolate them, as on a real
# cluster).
import warnings

import dask.array as da
import matplotlib.pyplot as plt
from distributed import Client, LocalCluster
from sklearn.metrics import PrecisionRecallDisplay, average_precision_score

from skfocal.datasets import make_imbalanced_classification
from skfocal.lightgbm import DaskFocalLGBMClassifier, FocalLGBMClassifier

cluster = LocalCluster(
    n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
)
client = Client(cluster)
print(client)

# %%
# Data as Dask arrays
# -------------------
# 16,000 training rows in four chunks of 4,000. LightGBM encodes the labels on each
# worker, so every worker must hold rows of every class; with about 3 % positives
# each chunk has more than a hundred.
X, y = make_imbalanced_classification(20_000, random_state=0)
X_train = da.from_array(X[:16_000], chunks=(4_000, -1))
y_train = da.from_array(y[:16_000], chunks=4_000)
X_test, y_test = X[16_000:], y[16_000:]

# %%
# Training
# --------
params = dict(gamma=2.0, n_estimators=100, learning_rate=0.05, verbose=-1)
with warnings.catch_warnings():
    # LightGBM's Dask API warns that it ignores n_jobs, even at its default: each
    # worker uses the threads Dask gives it.
    warnings.filterwarnings("ignore", message="Parameter n_jobs will be ignored")
    dask_model = DaskFocalLGBMClassifier(**params, client=client).fit(X_train, y_train)
print(f"starting score from all partitions: {dask_model.init_score_:.4f}")

# %%
# Prediction
# ----------
# ``predict_proba`` on a Dask array is lazy and returns a Dask array of class
# probabilities (starting score added, focal distortion undone); ``compute()`` runs it.
proba = dask_model.predict_proba(da.from_array(X_test, chunks=2_000))
print(proba)
proba = proba.compute()[:, 1]
print(f"test average precision: {average_precision_score(y_test, proba):.4f}")

# %%
# The same model on one machine
# -----------------------------
# :meth:`~skfocal.lightgbm.DaskFocalLGBMClassifier.to_local` returns a
# :class:`~skfocal.lightgbm.FocalLGBMClassifier` with the same trees and starting
# score, to save or to serve without Dask. For reference, a FocalLGBMClassifier
# trained on one machine on the same rows: the starting score is identical, the
# trees differ a little because distributed LightGBM builds its histograms from
# the workers' bins.
local_copy = dask_model.to_local()
same = (local_copy.predict_proba(X_test)[:, 1] == proba).all()
print(f"to_local() reproduces the predictions: {same}")
single = FocalLGBMClassifier(**params, n_jobs=1).fit(X[:16_000], y[:16_000])
print(f"single-machine starting score: {single.init_score_:.4f}")

fig, ax = plt.subplots(figsize=(5, 4))
PrecisionRecallDisplay.from_predictions(y_test, proba, name="Dask, 2 workers", ax=ax)
PrecisionRecallDisplay.from_estimator(single, X_test, y_test, name="one machine", ax=ax)

# %%
# Close the client and the cluster when done.
client.close()
cluster.close()

plt.show()
