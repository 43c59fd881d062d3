"""Held-out scores after every boosting iteration, and one gamma's folds run together.

A booster's first ``k`` iterations are its ``k``-iteration model, so one fit
per fold and gamma scores every iteration count: a :class:`HeldOutScorer`
turns the raw scores of the fold's held-out rows after each iteration into a
score, and the :class:`Race` of the gamma collects them. With early stopping
the race decides, after every iteration all folds have reached, whether the
mean held-out score has stopped improving; the folds' fits then end together
(:class:`StopFit`, raised from inside the library's training loop).
"""

import threading
import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .._base import class_probabilities, predicted_labels
from .._cv_scoring import raw_neg_log_loss


class StopFit(Exception):
    """Raised from a fold's metric: its race is over, the fit may end here."""


class Race:
    """The folds of one gamma, scored after every iteration, stopped together.

    Parameters
    ----------
    scores : ndarray of shape (n_folds, n_iterations)
        Filled in place: row ``f``, column ``k - 1`` is fold ``f``'s held-out
        score after ``k`` iterations.
    rounds : int or None
        Early stopping: stop once the mean score over the folds has not
        improved for this many iterations. None: every fit runs to the end.
    lockstep : bool
        The folds' fits run concurrently: a fold that reported iteration ``k``
        waits until every fold has, so that none runs past the stop.

    Attributes
    ----------
    stop_at : int or None
        The iteration count at which every fold stopped (None: none did).
    """

    def __init__(self, scores, rounds, lockstep):
        self.scores, self.rounds, self.lockstep = scores, rounds, lockstep
        n_folds, self.n_iterations = scores.shape
        self._reported = np.zeros(n_folds, dtype=int)
        self._done = np.zeros(n_folds, dtype=bool)
        self._condition = threading.Condition()
        self._decided = 0  # iterations whose mean score was examined
        self._best = (-np.inf, 0)
        self.stop_at = None
        self.failed = False

    def report(self, fold, score):
        """Record fold ``fold``'s score after its next iteration.

        Returns
        -------
        stop : bool
            True when the fit should end here (its race is over).
        """
        with self._condition:
            k = self._reported[fold]
            if self.failed or (self.stop_at is not None and k >= self.stop_at):
                return True
            if k >= self.n_iterations:
                raise RuntimeError(
                    f"the booster trained more than the {self.n_iterations} "
                    "iterations it was given."
                )
            self.scores[fold, k] = score
            self._reported[fold] = k + 1
            self._decide()
            if self.lockstep and self.rounds is not None:
                while not self.failed and self.stop_at is None and self._decided <= k:
                    self._condition.wait()
            return self.failed or (self.stop_at is not None and k + 1 >= self.stop_at)

    def finish(self, fold, error=None):
        """A fold's fit has ended: normally (its last model's score holds for
        the iterations it did not train), or with ``error`` (every fold stops)."""
        with self._condition:
            if error is not None:
                self.failed = True
            else:
                k = self._reported[fold]
                if 0 < k < self.n_iterations and self.stop_at is None:
                    # The library ended training (nothing left to split): the
                    # model of every larger budget is the model it has.
                    self.scores[fold, k:] = self.scores[fold, k - 1]
                    self._reported[fold] = self.n_iterations
                self._done[fold] = True
                self._decide()
            self._condition.notify_all()

    def _decide(self):
        """Examine every iteration all folds have reported; stop if it is time."""
        reached = self._reported.min()
        while self._decided < reached and self.stop_at is None:
            k = self._decided
            mean = self.scores[:, k].mean()
            if mean > self._best[0]:
                self._best = (mean, k + 1)
            self._decided = k + 1
            if self.rounds is not None and self._decided - self._best[1] >= self.rounds:
                self.stop_at = self._decided
        self._condition.notify_all()

    def result(self):
        """The scores, NaN after the iteration the race stopped at."""
        if self.stop_at is not None:
            self.scores[:, self.stop_at :] = np.nan
        return self.scores


class IterationModel(ClassifierMixin, BaseEstimator):
    """What a booster's first ``k`` iterations predict for one fold's held-out rows.

    Scorers call its ``decision_function``, ``predict_proba`` and ``predict``
    with the held-out rows; it answers from the raw scores the fit reported,
    exactly as the ``k``-iteration model would (same loss, same ``proba``).
    """

    def __init__(self, classes, loss, proba, raw):
        self.classes_, self.loss_, self.proba_, self.raw = classes, loss, proba, raw

    def decision_function(self, X):
        return self.raw

    def predict_proba(self, X):
        return class_probabilities(self.loss_, self.raw, self.proba_)

    def predict(self, X):
        return predicted_labels(self.raw, self.classes_)


class HeldOutScorer:
    """Scores one fold's held-out rows from the raw scores after each iteration.

    The fit's metric calls :meth:`observe` with every eval set's labels and
    raw scores (the held-out rows are the only eval set of a fold's fit);
    staged predictions call :meth:`score` directly.

    Parameters
    ----------
    race : Race
        Where the scores go.
    fold : int
        The fold's row in the race.
    X, y : held-out rows and their labels
        What the scorer is called with.
    index : ndarray of shape (n_test,)
        Class index of each held-out label (in the search's ``classes_``).
    sample_weight : ndarray of shape (n_test,) or None
        Weights of the held-out rows, for the scorer.
    scorer : callable or None
        ``scorer(model, X, y[, sample_weight])``; None: ``neg_log_loss``
        computed directly.
    """

    def __init__(self, race, fold, X, y, index, sample_weight, scorer):
        self.race, self.fold = race, fold
        self.X, self.y, self.index = X, y, index
        self.sample_weight, self.scorer = sample_weight, scorer
        self.classes = self.loss = self.proba = None
        self._seen = None  # the labels array last found to be the held-out rows'
        self.score_time = 0.0

    def __deepcopy__(self, memo):
        # LightGBM deep-copies its parameters, the metric among them: every
        # copy reports to this fold's race.
        return self

    def bind(self, classes, loss, proba):
        """The fitted loss and classes of the fold's model, once the fit knows them."""
        self.classes, self.loss, self.proba = classes, loss, proba
        return self

    def observe(self, labels, raw):
        """A metric call: score it if it is the held-out rows'; maybe stop the fit."""
        if labels is not self._seen:  # the libraries pass one label array each round
            if len(labels) != len(self.index) or not np.array_equal(labels, self.index):
                return
            self._seen = labels
        if self.score(raw):
            raise StopFit

    def score(self, raw):
        """Score raw scores of the held-out rows; True when the fit should end."""
        start = time.perf_counter()
        raw = np.asarray(raw, dtype=np.float64)
        if self.scorer is None:
            value = raw_neg_log_loss(
                self.loss, raw, self.index, self.sample_weight, self.proba
            )
        else:
            model = IterationModel(self.classes, self.loss, self.proba, raw)
            weight = self.sample_weight
            kwargs = {} if weight is None else {"sample_weight": weight}
            value = float(self.scorer(model, self.X, self.y, **kwargs))
        self.score_time += time.perf_counter() - start
        return self.race.report(self.fold, value)
