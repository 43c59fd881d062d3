"""`GammaSearchDisplay`: held-out score against iterations, one curve per gamma."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["GammaSearchDisplay"]


class GammaSearchDisplay:
    """The mean held-out score against boosting iterations, one curve per ``gamma``.

    What :class:`GammaSearchCV` chose, for people who would rather look than
    read: each ``gamma``'s mean score over the folds after every iteration,
    a band of one standard deviation over the folds, and the chosen
    (``gamma_``, ``n_iter_``) marked. Build it with :meth:`from_estimator`
    (or from the arrays), then :meth:`plot`; like scikit-learn's displays it
    keeps the matplotlib objects it drew.

    Parameters
    ----------
    scores : ndarray of shape (n_folds, n_gammas, n_iterations)
        Held-out scores (``GammaSearchCV.scores_``; NaN after an early stop).
    gammas : array-like of shape (n_gammas,)
        The focusing parameter of each curve.
    gamma : float
        The chosen ``gamma``.
    n_iter : int
        The chosen number of iterations.
    score_name : str, default="score"
        The y-axis label.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve of each ``gamma``.
    bands_ : list of matplotlib PolyCollection
        The standard-deviation bands (empty when not drawn).
    choice_ : matplotlib Line2D
        The marker of the chosen point.
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        Its figure.

    See Also
    --------
    GammaSearchCV : The search whose scores it draws.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalLGBMClassifier
    >>> from skfocal.model_selection import GammaSearchCV, GammaSearchDisplay
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> booster = FocalLGBMClassifier(n_estimators=30, verbose=-1)
    >>> search = GammaSearchCV(booster, gammas=[0.0, 2.0], cv=3).fit(X, y)
    >>> display = GammaSearchDisplay.from_estimator(search)
    >>> len(display.lines_)
    2
    """

    def __init__(self, scores, gammas, gamma, n_iter, *, score_name="score"):
        self.scores = np.asarray(scores, dtype=np.float64)
        self.gammas = np.asarray(gammas, dtype=np.float64)
        if self.scores.ndim != 3 or self.scores.shape[1] != len(self.gammas):
            raise ValueError(
                "scores must have shape (n_folds, n_gammas, n_iterations) with one "
                f"gamma per curve; got shape {self.scores.shape} for "
                f"{len(self.gammas)} gammas."
            )
        self.gamma, self.n_iter, self.score_name = gamma, n_iter, score_name

    @classmethod
    def from_estimator(cls, search, *, ax=None, std=True, **kwargs):
        """Draw a fitted :class:`GammaSearchCV`'s scores.

        Parameters
        ----------
        search : GammaSearchCV
            Fitted.
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        std : bool, default=True
            Draw a band of one standard deviation over the folds.
        **kwargs
            Passed to each curve's ``ax.plot``.

        Returns
        -------
        display : GammaSearchDisplay
        """
        check_is_fitted(search, "scores_")
        scoring = search.scoring
        name = "neg_log_loss" if scoring is None else str(getattr(
            scoring, "__name__", scoring
        ))  # fmt: skip
        display = cls(
            search.scores_, search.gammas_, search.gamma_, search.n_iter_,
            score_name=f"mean held-out {name}",
        )  # fmt: skip
        return display.plot(ax=ax, std=std, **kwargs)

    def plot(self, ax=None, *, std=True, **kwargs):
        """Draw the curves, the bands and the choice.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None makes a new figure.
        std : bool, default=True
            Draw a band of one standard deviation over the folds.
        **kwargs
            Passed to each curve's ``ax.plot``.

        Returns
        -------
        display : GammaSearchDisplay
            Itself, with the drawn objects.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as error:
            raise ImportError(
                f"{type(self).__name__}.plot needs matplotlib: pip install "
                'matplotlib (or pip install "skfocal[demo]").'
            ) from error

        if ax is None:
            _, ax = plt.subplots()
        mean = self.scores.mean(axis=0)
        spread = self.scores.std(axis=0)
        iterations = np.arange(1, mean.shape[1] + 1)
        self.lines_, self.bands_ = [], []
        for g, gamma in enumerate(self.gammas):
            (line,) = ax.plot(iterations, mean[g], label=f"gamma={gamma:g}", **kwargs)
            self.lines_.append(line)
            if std and self.scores.shape[0] > 1:
                self.bands_.append(
                    ax.fill_between(
                        iterations, mean[g] - spread[g], mean[g] + spread[g],
                        color=line.get_color(), alpha=0.15, linewidth=0,
                    )
                )  # fmt: skip
        chosen = int(np.flatnonzero(self.gammas == self.gamma)[0])
        (self.choice_,) = ax.plot(
            [self.n_iter], [mean[chosen, self.n_iter - 1]], marker="*",
            markersize=14, color="black", linestyle="none",
            label=f"chosen: gamma={self.gamma:g}, {self.n_iter} iterations",
        )  # fmt: skip
        ax.set_xlabel("boosting iterations")
        ax.set_ylabel(self.score_name)
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self
