"""The focal loss as the loss object of scikit-learn's HistGradientBoosting.

``HistGradientBoostingClassifier.fit`` asks ``_get_loss`` for a ``BaseLoss``
and calls only ``fit_intercept_only`` (the start), ``init_gradient_and_hessian``
(float32, F-ordered buffers), ``gradient_hessian`` on every iteration,
``__call__`` (the mean loss, for ``scoring="loss"``) and ``predict_proba``.
:class:`HistFocalLoss` answers each with :class:`skfocal.FocalLoss`'s public
methods. scikit-learn hands binary problems raw scores of shape
``(n_samples, 1)``; FocalLoss takes ``(n_samples,)``, hence the squeezes.
"""

import numpy as np

from .._base import check_weighted_classes, class_probabilities
from ._compat import BaseLoss, LogitLink, MultinomialLogit


def _one_column(array):
    """A binary problem's ``(n, 1)`` array as ``(n,)`` (a view)."""
    if array is not None and array.ndim == 2 and array.shape[1] == 1:
        return array[:, 0]
    return array


class HistFocalLoss(BaseLoss):
    """A fitted :class:`skfocal.FocalLoss` in the interface HGB's fit calls.

    :class:`FocalHistGradientBoostingClassifier` builds one at every fit and
    keeps it (HGB's ``_loss``); public so that pickles and skops files name a
    public type. Binary problems take raw scores of shape ``(n_samples,)`` or
    ``(n_samples, 1)``.

    Parameters
    ----------
    focal : FocalLoss
        The loss, ``alpha`` in the order of ``classes``.
    classes : ndarray of shape (n_classes,)
        The estimator's ``classes_``.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns.
    name : str, default=None
        The estimator's name, for the error messages.

    Examples
    --------
    >>> import numpy as np
    >>> from skfocal import FocalLoss
    >>> from skfocal.ensemble import HistFocalLoss
    >>> loss = HistFocalLoss(FocalLoss(gamma=0.0), classes=np.array(["a", "b"]))
    >>> loss.fit_intercept_only(np.array([0.0, 0.0, 0.0, 1.0]))  # log(1 / 3)
    array([-1.09861229])
    >>> loss.predict_proba(np.zeros((1, 1)))
    array([[0.5, 0.5]])
    """

    def __init__(self, focal, classes, proba="posterior", name=None):
        n_classes = len(classes)
        link = LogitLink() if n_classes == 2 else MultinomialLogit()
        super().__init__(closs=None, link=link, n_classes=n_classes)
        # One score per row for two classes, as HalfBinomialLoss.
        self.is_multiclass = n_classes > 2
        self.focal = focal
        self.classes = classes
        self.proba = proba
        self.name = type(self).__name__ if name is None else name

    def __repr__(self):
        return (
            f"{type(self).__name__}({self.focal!r}, classes={self.classes.tolist()!r}, "
            f"proba={self.proba!r})"
        )

    def loss(
        self, y_true, raw_prediction, sample_weight=None, loss_out=None, n_threads=1
    ):
        return self.focal.loss(
            y_true, _one_column(raw_prediction), sample_weight, loss_out, n_threads
        )

    def loss_gradient(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        loss_out=None,
        gradient_out=None,
        n_threads=1,
    ):
        return self.focal.loss_gradient(
            y_true,
            _one_column(raw_prediction),
            sample_weight,
            loss_out,
            _one_column(gradient_out),
            n_threads,
        )

    def gradient(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        gradient_out=None,
        n_threads=1,
    ):
        return self.focal.gradient(
            y_true,
            _one_column(raw_prediction),
            sample_weight,
            _one_column(gradient_out),
            n_threads,
        )

    def gradient_hessian(
        self,
        y_true,
        raw_prediction,
        sample_weight=None,
        gradient_out=None,
        hessian_out=None,
        n_threads=1,
    ):
        # The positive curvature, unscaled: HGB's leaves are -G / (H + l2), as
        # the multinomial loss's p (1 - p) diagonal gives at gamma = 0.
        return self.focal.gradient_hessian(
            y_true,
            _one_column(raw_prediction),
            sample_weight,
            _one_column(gradient_out),
            _one_column(hessian_out),
            n_threads,
        )

    def fit_intercept_only(self, y_true, sample_weight=None):
        """The optimal constant score, shape (1,) or (K,), from the class totals.

        ``sample_weight`` already holds ``class_weight`` (HGB multiplies it in).
        """
        labels = np.asarray(y_true).astype(np.intp)
        totals = np.bincount(labels, weights=sample_weight, minlength=self.n_classes)
        check_weighted_classes(totals, self.classes, self.name)
        return np.atleast_1d(self.focal.init_score_from_totals(totals))

    def predict_proba(self, raw_prediction):
        return class_probabilities(self.focal, _one_column(raw_prediction), self.proba)
