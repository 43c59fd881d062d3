"""`skfocal.metrics`: focal_loss against log_loss and a direct per-sample
computation; expected_calibration_error against calibration_curve."""

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, make_scorer
from sklearn.model_selection import KFold, cross_val_score
from sklearn.utils._param_validation import InvalidParameterError

from skfocal.metrics import expected_calibration_error, focal_loss


def direct_focal_loss(y_index, proba, gamma, class_weight, sample_weight=None):
    """One sample at a time, straight from the definition."""
    values = []
    for k, row in zip(y_index, proba, strict=True):
        p = min(max(row[k], np.finfo(float).eps), 1 - np.finfo(float).eps)
        values.append(-class_weight[k] * (1 - p) ** gamma * np.log(p))
    return np.average(values, weights=sample_weight)


@pytest.fixture
def multiclass_case():
    rng = np.random.default_rng(0)
    labels = np.array(["cat", "dog", "eel"])
    y_index = rng.integers(0, 3, 200)
    proba = rng.dirichlet([1.0, 2.0, 0.5], size=200)
    return labels[y_index], y_index, proba, rng.uniform(0.1, 2.0, 200)


@pytest.mark.parametrize("weighted", [False, True])
def test_gamma_zero_equals_log_loss(multiclass_case, weighted):
    y_true, _, proba, sw = multiclass_case
    sw = sw if weighted else None
    assert focal_loss(y_true, proba, gamma=0.0, sample_weight=sw) == pytest.approx(
        log_loss(y_true, proba, sample_weight=sw), rel=1e-14
    )


def test_binary_one_dimensional_probabilities_equal_log_loss():
    y_true = np.array([3, 7, 7, 3, 7])  # the larger label is the positive class
    p = np.array([0.2, 0.9, 0.6, 0.0, 1.0])  # 0 and 1 are clipped as in log_loss
    assert focal_loss(y_true, p, gamma=0.0) == pytest.approx(
        log_loss(y_true, p), rel=1e-14
    )
    two_columns = np.column_stack([1 - p, p])
    assert focal_loss(y_true, p, gamma=1.5, alpha=0.3) == pytest.approx(
        focal_loss(y_true, two_columns, gamma=1.5, alpha=0.3), rel=1e-14
    )


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
def test_matches_direct_computation_with_alpha_and_weights(multiclass_case, gamma):
    y_true, y_index, proba, sw = multiclass_case
    alpha = np.array([0.2, 1.0, 3.0])
    expected = direct_focal_loss(y_index, proba, gamma, alpha, sw)
    got = focal_loss(y_true, proba, gamma=gamma, alpha=alpha, sample_weight=sw)
    assert got == pytest.approx(expected, rel=1e-13)
    # Focal loss down-weights confident samples: never above the log loss.
    assert got <= focal_loss(y_true, proba, gamma=0.0, alpha=alpha, sample_weight=sw)


def test_binary_float_alpha_weights_the_positive_class():
    y_true = np.array(["no", "yes", "yes", "no"])
    proba = np.array([[0.7, 0.3], [0.4, 0.6], [0.1, 0.9], [0.5, 0.5]])
    expected = direct_focal_loss([0, 1, 1, 0], proba, 2.0, [0.75, 0.25])
    assert focal_loss(y_true, proba, alpha=0.25) == pytest.approx(expected, rel=1e-14)


def test_labels_argument_supplies_a_missing_class():
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    with pytest.raises(ValueError, match="labels argument"):
        focal_loss([0, 1], proba)
    got = focal_loss([0, 1], proba, labels=[0, 1, 2], gamma=1.0)
    assert got == pytest.approx(direct_focal_loss([0, 1], proba, 1.0, [1, 1, 1]))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"y_true": [0, 0], "y_prob": [0.2, 0.3]}, "only one label"),
        ({"y_true": [0, 1], "y_prob": [0.2, 1.3]}, "greater than 1"),
        ({"y_true": [0, 1], "y_prob": [-0.2, 0.3]}, "lower than 0"),
        ({"y_true": [0, 1, 1], "y_prob": [0.2, 0.3]}, "inconsistent numbers"),
        ({"y_true": [0, 5], "y_prob": [0.2, 0.3], "labels": [0, 1]}, "not in labels"),
    ],
)
def test_bad_input_is_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        focal_loss(**kwargs)


def test_bad_parameters_are_rejected():
    with pytest.raises(InvalidParameterError, match="'gamma'"):
        focal_loss([0, 1], [0.2, 0.8], gamma=-1)
    with pytest.raises(InvalidParameterError, match="'alpha'"):
        focal_loss([0, 1], [0.2, 0.8], alpha=2.0)
    with pytest.raises(ValueError, match="one weight per class"):
        focal_loss([0, 1, 2], np.full((3, 3), 1 / 3), alpha=0.5)


def test_unnormalised_probabilities_warn():
    with pytest.warns(UserWarning, match="do not sum to one"):
        focal_loss([0, 1], [[0.5, 0.1], [0.2, 0.3]])


def test_usable_as_a_scorer_in_cross_validation():
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    scorer = make_scorer(
        focal_loss, greater_is_better=False, response_method="predict_proba", gamma=2.0
    )
    model = LogisticRegression()
    scores = cross_val_score(model, X, y, scoring=scorer, cv=KFold(3))
    # The scorer negates the loss; recompute one fold by hand.
    fold_model = model.fit(X[100:], y[100:])
    by_hand = focal_loss(y[:100], fold_model.predict_proba(X[:100]), gamma=2.0)
    assert np.all(scores < 0)
    assert -scores[0] == pytest.approx(by_hand, rel=1e-12)


# ------------------------------------------------------- expected calibration error
@pytest.mark.parametrize("n_bins", [1, 5, 10, 15])
def test_ece_is_the_weighted_gap_of_calibration_curve(n_bins):
    rng = np.random.default_rng(0)
    proba = rng.beta(0.5, 3.0, size=5000)
    y = (rng.uniform(size=5000) < proba**0.8).astype(int)
    frac, mean = calibration_curve(y, proba, n_bins=n_bins, strategy="uniform")
    # the share of samples in each non-empty bin, with calibration_curve's edges
    edges = np.linspace(0, 1, n_bins + 1)
    counts = np.bincount(
        np.searchsorted(edges[1:-1], proba, side="right"), minlength=n_bins
    )
    share = counts[counts > 0] / proba.shape[0]
    expected = np.sum(share * np.abs(frac - mean))
    assert expected_calibration_error(y, proba, n_bins=n_bins) == pytest.approx(
        expected, rel=1e-12
    )


def test_ece_of_perfect_and_of_reversed_predictions():
    y = np.array([0, 0, 1, 1])
    assert expected_calibration_error(y, [0.0, 0.0, 1.0, 1.0]) == 0.0
    assert expected_calibration_error(y, [1.0, 1.0, 0.0, 0.0]) == 1.0
    # two columns of predict_proba, string labels: the larger is positive
    labels = np.array(["no", "no", "yes", "yes"])
    two_columns = np.column_stack([[0.9, 0.6, 0.3, 0.1], [0.1, 0.4, 0.7, 0.9]])
    assert expected_calibration_error(labels, two_columns) == pytest.approx(
        expected_calibration_error(y, two_columns[:, 1])
    )


def test_ece_integer_weights_equal_repeated_rows():
    rng = np.random.default_rng(1)
    proba = rng.uniform(size=300)
    y = (rng.uniform(size=300) < proba).astype(int)
    weights = rng.integers(0, 4, size=300)
    repeated = np.repeat(np.arange(300), weights)
    assert expected_calibration_error(y, proba, sample_weight=weights) == pytest.approx(
        expected_calibration_error(y[repeated], proba[repeated])
    )


def test_ece_pos_label_for_a_single_class():
    assert expected_calibration_error([0, 0], [0.25, 0.25]) == 0.25
    assert expected_calibration_error(["a", "a"], [0.25, 0.25], pos_label="a") == 0.75
    with pytest.raises(ValueError, match="pos_label"):
        expected_calibration_error(["a", "a"], [0.25, 0.25])


@pytest.mark.parametrize(
    "y, proba, kwargs, error, match",
    [
        ([0, 1], [0.2, 0.8], {"n_bins": 0}, InvalidParameterError, "n_bins"),
        ([0, 1], [0.2, 0.8], {"n_bins": 2.5}, InvalidParameterError, "n_bins"),
        ([0, 1], [0.2, 1.8], {}, ValueError, r"\[0, 1\]"),
        ([0, 1], [0.2, np.nan], {}, ValueError, "NaN"),
        ([0, 1, 2], [0.2, 0.5, 0.8], {}, ValueError, "binary"),
        ([0, 1], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], {}, ValueError, "shape"),
        ([0, 1, 1], [0.2, 0.8], {}, ValueError, "inconsistent"),
    ],
)
def test_ece_rejects_bad_input(y, proba, kwargs, error, match):
    with pytest.raises(error, match=match):
        expected_calibration_error(y, proba, **kwargs)
