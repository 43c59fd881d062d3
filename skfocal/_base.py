"""What every focal classifier shares, whatever model or library fits it.

The focal parameters (``gamma``, ``alpha``, ``proba``) and their constraints,
label encoding with the two-class check, class weights times sample weights and
the class totals they give, the probability switch, and ``score``. The linear
model and every boosting adapter use these, so that each rule has one home.
"""

from numbers import Real

import numpy as np

from ._compat import Interval, StrOptions, validate_parameter_constraints
from ._loss import FocalLoss
from ._validation import alpha_per_class, check_score_labels, class_weight_per_class

# The parameters every focal classifier adds to its model's own.
FOCAL_PARAMETER_CONSTRAINTS = {
    "gamma": [Interval(Real, 0, None, closed="left")],
    "alpha": [None, Interval(Real, 0, 1, closed="neither"), "array-like", dict],
    "proba": [StrOptions({"posterior", "model"})],
}


def check_focal_parameters(estimator):
    """Validate ``gamma``, ``alpha`` and ``proba`` of an estimator; return gamma.

    For estimators whose other parameters belong to a library that validates
    them itself (LightGBM, XGBoost); the linear model declares the same
    constraints in its ``_parameter_constraints``.
    """
    params = {name: getattr(estimator, name) for name in FOCAL_PARAMETER_CONSTRAINTS}
    validate_parameter_constraints(
        FOCAL_PARAMETER_CONSTRAINTS, params, caller_name=type(estimator).__name__
    )
    return FocalLoss(gamma=estimator.gamma).gamma  # finite, as FocalLoss demands


def encode_labels(y, name):
    """``classes_`` and the class index of each label; at least two classes.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels, of any sortable type.
    name : str
        The estimator's name, for the error.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        Sorted unique labels.
    index : ndarray of shape (n_samples,)
        Position of each label in ``classes``.
    """
    # unique + searchsorted allocates less than unique(return_inverse=True).
    classes = np.unique(y)
    check_two_classes(classes, name)
    return classes, np.searchsorted(classes, y)


def check_two_classes(classes, name):
    """Refuse training labels of one class (scikit-learn's checks expect it)."""
    if len(classes) < 2:
        raise ValueError(
            f"{name} needs samples of at least 2 classes in the data, but the data "
            f"contains only one class: {classes[:1].tolist()[0]!r}."
        )


def weigh_classes(index, classes, sample_weight, class_weight, *, balance_on):
    """Class weights times sample weights, and what they total per class.

    Parameters
    ----------
    index : ndarray of shape (n_samples,)
        Class index of each sample (:func:`encode_labels`).
    classes : ndarray of shape (n_classes,)
        The class labels (``class_weight`` dicts are keyed by them).
    sample_weight : float64 ndarray of shape (n_samples,) or None
        Checked, non-negative sample weights.
    class_weight : dict, "balanced" or None
        As in scikit-learn's classifiers.
    balance_on : {"weights", "rows"}
        What "balanced" balances: the weighted class totals (scikit-learn's
        linear models, so that integer weights equal repeated rows) or the row
        counts (LightGBM's ``class_weight``).

    Returns
    -------
    counts : ndarray of shape (n_classes,)
        Rows per class.
    totals : ndarray of shape (n_classes,)
        Total weight per class, class weights included.
    weight : float64 ndarray of shape (n_samples,) or None
        Sample times class weights; None when neither is given.
    """
    n_classes = len(classes)
    counts = np.bincount(index, minlength=n_classes)
    if sample_weight is None and class_weight is None:
        return counts, counts.astype(np.float64), None
    weight = np.ones(len(index)) if sample_weight is None else sample_weight
    totals = np.bincount(index, weights=weight, minlength=n_classes)
    balance = totals if balance_on == "weights" else counts
    per_class = class_weight_per_class(class_weight, classes, balance)
    if class_weight is not None:
        weight = weight * per_class[index]
    return counts, totals * per_class, weight


def check_weighted_classes(totals, classes, name):
    """At least two classes must carry positive weight."""
    if np.count_nonzero(totals) < 2:
        raise ValueError(
            f"{name} needs at least 2 classes with positive sample_weight; the total "
            f"weight per class is {np.asarray(totals).tolist()} for classes "
            f"{classes.tolist()}."
        )


def fitted_loss(gamma, alpha, classes):
    """The :class:`FocalLoss` of a fit, ``alpha`` resolved against ``classes``."""
    return FocalLoss(gamma, alpha=alpha_per_class(alpha, classes))


# Its docstring repeats FocalLoss.predict_proba's Returns on purpose.
def class_probabilities(loss, raw_prediction, proba):
    """The probabilities an estimator's ``proba`` parameter asks for.

    The one home of that switch: ``"posterior"`` gives
    :meth:`FocalLoss.posterior`, ``"model"`` :meth:`FocalLoss.predict_proba`.
    Estimators pass the loss and ``proba`` they stored at fit, never their
    current parameters: a fitted model predicts from what ``fit`` learned.

    Parameters
    ----------
    loss : FocalLoss
        The loss the model was fitted with.
    raw_prediction : array-like of shape (n_samples,) or (n_samples, K)
        Raw scores.
    proba : {"posterior", "model"}
        Which probabilities.

    Returns
    -------
    proba : ndarray of shape (n_samples, 2) or (n_samples, K)
        Rows sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skfocal import FocalLoss
    >>> from skfocal._base import class_probabilities
    >>> raw = np.array([-3.0, 0.5])
    >>> class_probabilities(FocalLoss(gamma=0.0), raw, "posterior")[:, 1].round(3)
    array([0.047, 0.622])
    """
    if proba == "posterior":
        return loss.posterior(raw_prediction)
    return loss.predict_proba(raw_prediction)


def predicted_labels(raw_prediction, classes):
    """The class of the largest raw score: ``raw > 0`` for one score per row."""
    if raw_prediction.ndim == 1:
        return classes[(raw_prediction > 0).astype(int)]
    return classes[raw_prediction.argmax(axis=1)]


class FocalClassifierMixin:
    """``score`` and fitted-state helpers of every focal classifier.

    Expects ``classes_``, and ``loss_`` and ``proba_`` set by ``fit``.
    """

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples,)
            True labels. A label not seen during fit counts as a wrong
            prediction (the classifier cannot predict it), as in scikit-learn's
            classifiers: a cross-validation fold whose training part lacks a
            rare class still gets a score.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy of ``predict``.
        """
        from sklearn.metrics import accuracy_score
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        y = check_score_labels(y, self.classes_)
        return float(accuracy_score(y, self.predict(X), sample_weight=sample_weight))

    def _probabilities(self, raw):
        return class_probabilities(self.loss_, raw, self.proba_)
