"""Bad input to every public entry point: a clear error naming the problem (issue #7).

A matrix of entry points x bad inputs; every cell asserts the exception type and a
message that says what is wrong. Where the right answer is "accepted" (NaN as
LightGBM's missing value, zero weights in per-sample outputs) a test says so and
checks the result instead. Single cases that other test modules already pin down
(e.g. ``test_loss.test_bad_arrays_get_clear_errors``) are extended here to every
method and front end, not repeated one by one.
"""

import re

import lightgbm as lgb
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.utils._param_validation import InvalidParameterError

from skfocal import FocalLoss, FocalLossClassifier
from skfocal._threads import MIN_ROWS_PER_THREAD
from skfocal.catboost import FocalCatBoostClassifier
from skfocal.ensemble import FocalHistGradientBoostingClassifier
from skfocal.lightgbm import (
    DaskFocalLGBMClassifier,
    FocalLGBMClassifier,
    FocalMetric,
    FocalObjective,
)
from skfocal.metrics import expected_calibration_error, focal_loss

N = 120
X, Y = make_classification(n_samples=N, n_features=5, n_informative=3, random_state=0)
X3, Y3 = make_classification(
    n_samples=N, n_features=5, n_informative=3, n_classes=3, random_state=0
)
P = np.linspace(0.05, 0.95, N)  # binary probabilities of class 1
LGBM_SMALL = {"n_estimators": 5, "verbose": -1}


def with_value(array, index, value, dtype=float):
    out = np.array(array, dtype=dtype)
    out[index] = value
    return out


def make_linear(**params):
    return FocalLossClassifier(**params)


def make_lgbm(**params):
    return FocalLGBMClassifier(**params, **LGBM_SMALL)


def make_hgb(**params):
    return FocalHistGradientBoostingClassifier(**params, max_iter=5)


def make_catboost(**params):
    return FocalCatBoostClassifier(**params, iterations=5)


ESTIMATORS = {
    "FocalCatBoostClassifier": make_catboost,
    "FocalLossClassifier": make_linear,
    "FocalLGBMClassifier": make_lgbm,
    "FocalHistGradientBoostingClassifier": make_hgb,
}


@pytest.fixture(scope="module", params=sorted(ESTIMATORS))
def fitted(request):
    return ESTIMATORS[request.param]().fit(X, Y)


# ================================================================ parameters
# Every constructor / fit-time parameter check of every entry point: skfocal's
# parameter errors are scikit-learn's InvalidParameterError, naming the parameter
# and the value.
def _fit_dask(**params):
    da = pytest.importorskip("dask.array", reason="dask is in the test extra")
    # Parameters are checked before the data is touched: no cluster needed.
    X_dask = da.from_array(X, chunks=(N // 2, X.shape[1]))
    y_dask = da.from_array(Y, chunks=N // 2)
    return DaskFocalLGBMClassifier(**params, **LGBM_SMALL).fit(X_dask, y_dask)


PARAMETER_ENTRY_POINTS = {
    "FocalLoss": lambda **p: FocalLoss(**p),
    "FocalObjective": lambda **p: FocalObjective(**p),
    "FocalMetric": lambda **p: FocalMetric(**p),
    "FocalLossClassifier.fit": lambda **p: make_linear(**p).fit(X, Y),
    "FocalLGBMClassifier.fit": lambda **p: make_lgbm(**p).fit(X, Y),
    "FocalHistGradientBoostingClassifier.fit": lambda **p: make_hgb(**p).fit(X, Y),
    "FocalCatBoostClassifier.fit": lambda **p: make_catboost(**p).fit(X, Y),
    "DaskFocalLGBMClassifier.fit": _fit_dask,
    "metrics.focal_loss": lambda **p: focal_loss(Y, P, **p),
}

BAD_PARAMETERS = [
    # (parameter, value, pattern the message must match)
    ("gamma", -1.0, r"'gamma' parameter.*Got -1\.0 instead"),
    ("gamma", -1e-9, r"'gamma' parameter.*Got -1e-09 instead"),
    ("gamma", np.nan, r"'gamma' parameter.*Got nan instead"),
    ("gamma", "2", r"'gamma' parameter.*Got '2' instead"),
    ("alpha", 0.0, r"'alpha' parameter.*\(0(\.0)?, 1(\.0)?\).*Got 0\.0 instead"),
    ("alpha", 1.0, r"'alpha' parameter.*\(0(\.0)?, 1(\.0)?\).*Got 1\.0 instead"),
    ("alpha", 1.5, r"'alpha' parameter.*\(0(\.0)?, 1(\.0)?\).*Got 1\.5 instead"),
    ("alpha", np.nan, r"'alpha' parameter.*\(0(\.0)?, 1(\.0)?\).*Got nan instead"),
    ("alpha", [1.0, -1.0], r"weights in 'alpha' must be finite and > 0.*-1\.0"),
    ("alpha", [0.0, 1.0], r"weights in 'alpha' must be finite and > 0.*\[0\.0, 1"),
    ("alpha", [1.0, np.nan], r"weights in 'alpha' must be finite and > 0.*nan"),
    ("alpha", [1.0, np.inf], r"weights in 'alpha' must be finite and > 0.*inf"),
]


@pytest.mark.parametrize("entry", sorted(PARAMETER_ENTRY_POINTS))
@pytest.mark.parametrize(
    "name, value, match",
    BAD_PARAMETERS,
    ids=[f"{n}={v!r}" for n, v, _ in BAD_PARAMETERS],
)
def test_bad_gamma_and_alpha_are_invalid_parameter_errors(entry, name, value, match):
    with pytest.raises(InvalidParameterError, match=match):
        PARAMETER_ENTRY_POINTS[entry](**{name: value})


@pytest.mark.parametrize("cls", [FocalObjective, FocalMetric])
@pytest.mark.parametrize("n_threads", [0, 1.5, True, "4"])
def test_bad_n_threads_is_an_invalid_parameter_error(cls, n_threads):
    # Negative counts are joblib's n_jobs (-1: every CPU), as the estimators take.
    match = (
        r"'n_threads' parameter must be an int >= 1, or a negative int as joblib's "
        rf"n_jobs \(-1: every CPU\)\. Got {re.escape(repr(n_threads))}"
    )
    with pytest.raises(InvalidParameterError, match=match):
        cls(n_threads=n_threads)


# Alpha that is valid on its own but not for the number of classes of the data.
ALPHA_CLASS_MISMATCH = {
    "FocalLoss.loss": lambda a, y, raw: FocalLoss(alpha=a).loss(y, raw),
    "FocalLoss.init_score": lambda a, y, raw: FocalLoss(alpha=a).init_score(y),
    "FocalObjective": lambda a, y, raw: FocalObjective(alpha=a)(y, raw),
    "FocalMetric": lambda a, y, raw: FocalMetric(alpha=a)(y, raw),
    "FocalLossClassifier.fit": lambda a, y, raw: make_linear(alpha=a).fit(
        X3 if y is Y3F else X, y
    ),
    "FocalLGBMClassifier.fit": lambda a, y, raw: make_lgbm(alpha=a).fit(
        X3 if y is Y3F else X, y
    ),
    "FocalHistGradientBoostingClassifier.fit": lambda a, y, raw: make_hgb(alpha=a).fit(
        X3 if y is Y3F else X, y
    ),
    "FocalCatBoostClassifier.fit": lambda a, y, raw: make_catboost(alpha=a).fit(
        X3 if y is Y3F else X, y
    ),
    "metrics.focal_loss": lambda a, y, raw: focal_loss(
        y, P if raw.ndim == 1 else np.full(raw.shape, 1 / 3), alpha=a
    ),
}
YF, Y3F = Y.astype(float), Y3.astype(float)


@pytest.mark.parametrize("entry", sorted(ALPHA_CLASS_MISMATCH))
@pytest.mark.parametrize(
    "alpha, y, raw, match",
    [
        ([1.0, 2.0, 3.0], YF, np.zeros(N), r"3 per-class weights but .* 2 classes"),
        ([1.0, 2.0], Y3F, np.zeros((N, 3)), r"2 per-class weights but .* 3 classes"),
        (0.25, Y3F, np.zeros((N, 3)), r"alpha=0\.25.* 3 classes.*one weight per"),
    ],
    ids=["3 weights, 2 classes", "2 weights, 3 classes", "float alpha, 3 classes"],
)
def test_alpha_that_does_not_fit_the_classes_is_named(entry, alpha, y, raw, match):
    with pytest.raises(ValueError, match=match):
        ALPHA_CLASS_MISMATCH[entry](alpha, y, raw)


def test_float_alpha_with_a_multiclass_lgbmclassifier_objective():
    model = lgb.LGBMClassifier(objective=FocalObjective(alpha=0.3), **LGBM_SMALL)
    with pytest.raises(ValueError, match=r"alpha=0\.3 .* 3 classes"):
        model.fit(X3, Y3)


# ======================================================== FocalLoss arrays
LOSS_METHODS = [
    "loss",
    "loss_gradient",
    "gradient",
    "gradient_hessian",
    "hessian_exact",
]
RAW2 = np.linspace(-3, 3, N)
RAW3 = np.column_stack([RAW2, -RAW2, np.zeros(N)])
LABEL_INDEX = r"integer class indices in \{0, \.\.\., %d\}.*found \[%s\]"

BAD_LOSS_ARRAYS = {
    # id: (y, raw, sample_weight, match)
    "y NaN": (with_value(Y, 3, np.nan), RAW2, None, LABEL_INDEX % (1, "nan")),
    "y inf": (with_value(Y, 3, np.inf), RAW2, None, LABEL_INDEX % (1, "inf")),
    "y non-integer": (with_value(Y, 3, 0.5), RAW2, None, LABEL_INDEX % (1, "0.5")),
    "y negative": (with_value(Y, 3, -1), RAW2, None, LABEL_INDEX % (1, "-1.0")),
    "y >= 2, binary": (with_value(Y, 3, 2), RAW2, None, LABEL_INDEX % (1, "2.0")),
    "y >= K, softmax": (with_value(Y3, 3, 3), RAW3, None, LABEL_INDEX % (2, "3.0")),
    "y strings": (Y.astype(str), RAW2, None, "dtype <U.*LabelEncoder"),
    "y 2-d": (Y[:, None], RAW2, None, r"y_true must have shape \(120,\)"),
    "y too short": (Y[:-1], RAW2, None, r"y_true must have shape \(120,\).*\(119,\)"),
    "raw NaN": (Y, with_value(RAW2, 3, np.nan), None, "raw_prediction contains NaN"),
    "raw -inf": (Y, with_value(RAW2, 3, -np.inf), None, "raw_prediction .*infinity"),
    "raw softmax NaN": (Y3, with_value(RAW3, 3, np.nan), None, "raw_pred.* NaN"),
    "raw 3-d": (Y, RAW2[:, None, None], None, r"raw_prediction must have shape"),
    "raw (n, 1)": (Y, RAW2[:, None], None, r"shape \(n_samples, 1\) is ambiguous"),
    "raw strings": (Y, RAW2.astype(str), None, "raw_prediction must be numeric"),
    "raw objects": (Y, RAW2.astype(object), None, "raw_prediction must be numeric"),
    "w NaN": (Y, RAW2, with_value(np.ones(N), 3, np.nan), "sample_weight .*NaN"),
    "w inf": (Y, RAW2, with_value(np.ones(N), 3, np.inf), "sample_weight .*infinity"),
    "w negative": (Y, RAW2, with_value(np.ones(N), 3, -1), "must be non-negative"),
    "w too long": (Y, RAW2, np.ones(N + 1), r"sample_weight must have shape \(120,\)"),
    "w strings": (Y, RAW2, np.ones(N).astype(str), "sample_weight must be numeric"),
}


@pytest.mark.parametrize("method", LOSS_METHODS)
@pytest.mark.parametrize("case", list(BAD_LOSS_ARRAYS))
def test_focal_loss_methods_name_the_bad_array(method, case):
    y, raw, sample_weight, match = BAD_LOSS_ARRAYS[case]
    with pytest.raises(ValueError, match=match):
        getattr(FocalLoss(gamma=2.0), method)(y, raw, sample_weight=sample_weight)


@pytest.mark.parametrize("method", LOSS_METHODS)
def test_all_zero_weights_give_zero_per_sample_outputs(method):
    # Per-sample outputs are weight * value, no mean: all-zero weights are a valid
    # (if useless) input, and must give zeros, not NaN. Means refuse them (below).
    outputs = getattr(FocalLoss(gamma=2.0), method)(Y, RAW2, sample_weight=np.zeros(N))
    for out in outputs if isinstance(outputs, tuple) else (outputs,):
        np.testing.assert_array_equal(out, 0.0)


@pytest.mark.parametrize("method", ["predict_proba", "posterior"])
@pytest.mark.parametrize(
    "raw, match",
    [
        (with_value(RAW2, 0, np.nan), "raw_prediction contains NaN"),
        (with_value(RAW3, 0, np.inf), "raw_prediction contains NaN or infinity"),
        (RAW2[:, None, None], r"got shape \(120, 1, 1\)"),
        (RAW2[:, None], "ambiguous"),
        (RAW2.astype(str), "raw_prediction must be numeric"),
    ],
    ids=["NaN", "inf", "3-d", "(n, 1)", "strings"],
)
def test_link_functions_name_the_bad_scores(method, raw, match):
    with pytest.raises(ValueError, match=match):
        getattr(FocalLoss(gamma=2.0), method)(raw)


@pytest.mark.parametrize("n_classes", [1, 0, 2.0, "3", True])
def test_class_weights_needs_an_int_number_of_classes(n_classes):
    with pytest.raises(InvalidParameterError, match="n_classes must be"):
        FocalLoss().class_weights(n_classes)


# The kernels count invalid labels and non-finite scores in the pass that computes
# the outputs; the methods then raise what checking each array in turn raised.
# Rows: the first, the middle (the first row of the second chunk with two threads,
# see skfocal/_threads.py) and the last (in a partial softmax block).
BIG = 2 * MIN_ROWS_PER_THREAD + 1
BIG_RAW2 = np.linspace(-3, 3, BIG)
BIG_DATA = {
    2: (np.arange(BIG) % 2, BIG_RAW2),
    3: (np.arange(BIG) % 3, np.column_stack([BIG_RAW2, -BIG_RAW2, np.zeros(BIG)])),
}
RAW_ERROR = "raw_prediction contains NaN or infinity."
SPOILED = {
    # id: (array, value); labels stay int64 where the value is an integer
    "raw NaN": ("raw", np.nan),
    "raw inf": ("raw", np.inf),
    "raw -inf": ("raw", -np.inf),
    "y NaN": ("y", np.nan),
    "y non-integer": ("y", 0.5),
    "y negative": ("y", -1),
    "y = n_classes": ("y", None),
}


def label_error(n_classes, found):
    return (
        f"y_true must hold integer class indices in {{0, ..., {n_classes - 1}}} "
        f"for {n_classes} classes; found [{found}]."
    )


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("method", LOSS_METHODS)
@pytest.mark.parametrize("case", list(SPOILED))
def test_invalid_values_found_by_the_kernels_raise_the_checks_errors(
    case, method, n_classes
):
    array, value = SPOILED[case]
    value = n_classes if value is None else value
    y, raw = BIG_DATA[n_classes]
    message = RAW_ERROR if array == "raw" else label_error(n_classes, float(value))
    for row in (0, BIG // 2, BIG - 1):
        bad_y, bad_raw = y, raw
        if array == "raw":
            bad_raw = raw.copy()
            bad_raw[row, ...] = value  # softmax: every score of the row
        else:
            bad_y = with_value(y, row, value, type(value))
        for n_threads in (1, 2):
            with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
                getattr(FocalLoss(), method)(bad_y, bad_raw, n_threads=n_threads)


OUT_NAME = {
    "loss": "loss_out",
    "loss_gradient": "loss_out",
    "gradient": "gradient_out",
    "gradient_hessian": "gradient_out",
    "hessian_exact": "hessian_out",
}


@pytest.mark.parametrize("method", LOSS_METHODS)
@pytest.mark.parametrize(
    "y, raw, kwargs, message",
    [
        (with_value(Y, 3, 2), with_value(RAW2, 5, np.nan), {}, RAW_ERROR),
        (Y[:-1], with_value(RAW2, 5, np.nan), {}, RAW_ERROR),
        (with_value(Y, 3, 2), RAW2, {"sample_weight": np.ones(N + 1)}, "found"),
        (Y, with_value(RAW2, 5, np.inf), {"sample_weight": -np.ones(N)}, RAW_ERROR),
        (with_value(Y, 3, 0.5), RAW2, {"out": np.empty(N + 1)}, "found"),
        (Y, with_value(RAW2, 5, np.nan), {"n_threads": 0}, RAW_ERROR),
        (Y, RAW2, {"sample_weight": -np.ones(N), "n_threads": 0}, "non-negative"),
    ],
    ids=[
        "labels, scores",
        "label shape, scores",
        "labels, weight shape",
        "scores, weights",
        "labels, buffer",
        "scores, n_threads",
        "weights, n_threads",
    ],
)
def test_the_first_of_several_errors_is_raised_as_before(
    method, y, raw, kwargs, message
):
    # Before the kernels counted, the arrays were checked in turn (scores, labels,
    # weights), then the buffers and n_threads: the same error comes first.
    kwargs = dict(kwargs)
    if "out" in kwargs:
        kwargs[OUT_NAME[method]] = kwargs.pop("out")
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(FocalLoss(), method)(y, raw, **kwargs)


# ============================================================== init_score
INIT_SCORES = {
    "FocalLoss.init_score": lambda *a, **k: FocalLoss().init_score(*a, **k),
    "FocalObjective.init_score": lambda *a, **k: FocalObjective().init_score(*a, **k),
    "FocalMetric.init_score": lambda *a, **k: FocalMetric().init_score(*a, **k),
}
ONE_CLASS = r"at least two classes with positive total weight.*class totals"


@pytest.mark.parametrize("entry", sorted(INIT_SCORES))
@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        (np.ones(N), {}, ONE_CLASS + r" \[0\.0, 120\.0\]"),
        (np.full(N, 2), {"n_classes": 3}, ONE_CLASS + r" \[0\.0, 0\.0, 120\.0\]"),
        (Y, {"sample_weight": 1.0 * (Y == 0)}, ONE_CLASS),
        (Y, {"sample_weight": np.zeros(N)}, ONE_CLASS + r" \[0\.0, 0\.0\]"),
        (Y, {"sample_weight": with_value(np.ones(N), 0, -1)}, "must be non-negative"),
        (Y, {"sample_weight": with_value(np.ones(N), 0, np.nan)}, "weight .*NaN"),
        (with_value(Y, 0, 0.5), {}, r"found \[0\.5\]"),
        (with_value(Y, 0, 5), {"n_classes": 3}, r"\{0, \.\.\., 2\}.*found \[5\.0\]"),
        (Y.astype(str), {}, "integer class indices"),
    ],
    ids=[
        "only class 1",
        "one of 3 classes",
        "one class with weight",
        "all-zero weights",
        "negative weight",
        "NaN weight",
        "non-integer y",
        "y >= n_classes",
        "string y",
    ],
)
def test_init_score_names_the_problem(entry, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        INIT_SCORES[entry](y, **kwargs)


@pytest.mark.parametrize("entry", sorted(INIT_SCORES))
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["NaN", "inf"])
def test_init_score_names_non_finite_labels(entry, bad):
    with pytest.raises(ValueError, match=r"y_true.*(NaN|nan|inf)"):
        INIT_SCORES[entry](with_value(Y, 0, bad))


# ================================================= FocalObjective / FocalMetric
def _train_form(callable_, labels, raw, weight):
    """Call as lgb.train does: (raw scores, Dataset)."""
    data = lgb.Dataset(
        np.random.default_rng(0).standard_normal((len(labels), 2)),
        label=labels,
        weight=weight,
        params={"verbose": -1},
    ).construct()
    return callable_(raw, data)


def _sklearn_form(callable_, labels, raw, weight):
    """Call as LGBMClassifier does: (y_true, y_pred, weight)."""
    return callable_(np.asarray(labels), raw, weight)


FORMS = {"(y_true, y_pred, weight)": _sklearn_form, "(preds, Dataset)": _train_form}
CALLABLES = {"FocalObjective": FocalObjective, "FocalMetric": FocalMetric}
SHAPE = r"raw scores of shape \(%s\) for 120 labels"
ONES = np.ones(N)

# id: (labels, raw, weight, match, forms). LightGBM's Dataset stores labels and
# weights as float32 and turns NaN into 0 before a callable sees them, and takes
# no strings: those cases exist only in the scikit-learn form.
LGB_CASES = {
    "y non-integer": (with_value(Y, 3, 0.5), RAW2, None, LABEL_INDEX % (1, "0.5")),
    "y negative": (with_value(Y, 3, -1), RAW2, None, LABEL_INDEX % (1, "-1.0")),
    "y >= 2, binary": (with_value(Y, 3, 2), RAW2, None, LABEL_INDEX % (1, "2.0")),
    "y >= num_class": (with_value(Y3, 3, 3), RAW3, None, LABEL_INDEX % (2, "3.0")),
    "y NaN": (with_value(Y, 3, np.nan), RAW2, None, LABEL_INDEX % (1, "nan")),
    "y strings": (Y.astype(str), RAW2, None, "dtype <U.*LabelEncoder"),
    "raw flat n*K": (Y3, RAW3.ravel(), None, (SHAPE % "360,") + ".*flat array"),
    "raw too short": (Y, RAW2[:-1], None, SHAPE % "119,"),
    "raw 3-d": (Y, RAW2[:, None, None], None, SHAPE % "120, 1, 1"),
    "raw (n, 1)": (Y, RAW2[:, None], None, SHAPE % "120, 1"),
    "raw NaN": (Y, with_value(RAW2, 3, np.nan), None, "raw scores contains NaN"),
    "raw inf": (Y3, with_value(RAW3, 3, np.inf), None, "raw scores .*infinity"),
    "w negative": (Y, RAW2, with_value(ONES, 3, -1), "weight must be non-negative"),
    "w NaN": (Y, RAW2, with_value(ONES, 3, np.nan), "sample_weight contains NaN"),
    "w too short": (Y, RAW2, ONES[:-1], r"sample_weight must have shape \(120,\)"),
}
FORMS_OF = {
    case: ["(y_true, y_pred, weight)"]
    for case in ["y NaN", "y strings", "w NaN", "w too short"]
}


@pytest.mark.parametrize("name", sorted(CALLABLES))
@pytest.mark.parametrize(
    "form, case",
    [
        (form, case)
        for case in LGB_CASES
        for form in sorted(FORMS)
        if form in FORMS_OF.get(case, FORMS)
    ],
)
def test_objective_and_metric_name_the_bad_input(name, form, case):
    labels, raw, weight, match = LGB_CASES[case]
    with pytest.raises(ValueError, match=match):
        FORMS[form](CALLABLES[name](), labels, raw, weight)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_metric_refuses_all_zero_weights_instead_of_nan(form):
    with pytest.raises(ValueError, match="sample_weight sums to zero"):
        FORMS[form](FocalMetric(), Y, RAW2, np.zeros(N))


def test_metric_sums_the_weights_once_per_array():
    metric = FocalMetric(gamma=1.0)
    calls = []
    check = metric._total_weight._check
    metric._total_weight._check = lambda *a: calls.append(1) or check(*a)
    weight = np.linspace(0.5, 2.0, N)
    values = {metric(YF, RAW2, weight)[1] for _ in range(4)}
    assert len(calls) == 1 and len(values) == 1
    expected = np.sum(FocalLoss(1.0).loss(Y, RAW2, weight)) / weight.sum()
    assert values.pop() == pytest.approx(expected, rel=1e-14)


def test_objective_accepts_all_zero_weights_with_zero_gradients():
    # A Dask worker may hold only zero-weight rows: no error, no NaN, no step.
    grad, hess = FocalObjective()(YF, RAW2, np.zeros(N))
    np.testing.assert_array_equal(grad, 0.0)
    np.testing.assert_array_equal(hess, 0.0)


@pytest.mark.parametrize(
    "labels, params, match",
    [
        (with_value(Y, 0, 2), {}, LABEL_INDEX % (1, "2.0")),
        (with_value(Y, 0, 0.5), {}, LABEL_INDEX % (1, "0.5")),
        (with_value(Y3, 0, 3), {"num_class": 3}, LABEL_INDEX % (2, "3.0")),
        (Y3, {}, LABEL_INDEX % (1, "2.0")),  # multiclass labels, num_class unset
    ],
    ids=["y >= 2", "y non-integer", "y >= num_class", "num_class missing"],
)
def test_objective_in_lgb_train_names_bad_labels(labels, params, match):
    params = {"objective": FocalObjective(), "metric": "None", "verbose": -1, **params}
    with pytest.raises(ValueError, match=match):
        lgb.train(params, lgb.Dataset(X, labels), num_boost_round=2)


@pytest.mark.parametrize(
    "labels, weight, match",
    [
        (with_value(Y, 0, 2), None, LABEL_INDEX % (1, "2.0")),
        (Y, with_value(ONES, 0, -1.0), "sample_weight must be non-negative"),
        (Y, np.zeros(N), "sample_weight sums to zero"),
    ],
    ids=["y >= 2", "negative weight", "all-zero weights"],
)
def test_metric_as_feval_in_lgb_train_names_bad_input(labels, weight, match):
    params = {"objective": FocalObjective(), "metric": "None", "verbose": -1}
    train = lgb.Dataset(X, Y)
    valid = lgb.Dataset(X.copy(), labels, weight=weight, reference=train)
    with pytest.raises(ValueError, match=match):
        lgb.train(
            params, train, num_boost_round=2, valid_sets=[valid], feval=FocalMetric()
        )


# ================================================================ estimators
X_NAN, X_INF = with_value(X, (0, 0), np.nan), with_value(X, (0, 0), -np.inf)
X_STR = X.astype(str)
X_OBJ = with_value(X, (0, 0), "a", dtype=object)
ESTIMATOR_FIT_CASES = {
    # id: (X, y, sample_weight, match)
    "y NaN": (X, with_value(Y, 0, np.nan), None, "Input y contains NaN"),
    "y inf": (X, with_value(Y, 0, np.inf), None, "Input y contains infinity"),
    "y continuous": (X, np.linspace(0, 1, N), None, "Unknown label type: continuous"),
    "one class": (X, np.zeros(N), None, r"only one class: 0\.0\."),
    "one class with weight": (
        X,
        Y,
        1.0 * (Y == 1),
        r"at least (2|two) classes with positive .*weight",
    ),
    "w NaN": (X, Y, with_value(ONES, 0, np.nan), "Input sample_weight contains NaN"),
    "w inf": (X, Y, with_value(ONES, 0, np.inf), "sample_weight contains infinity"),
    "w negative": (X, Y, with_value(ONES, 0, -1), "Negative values .*sample_weight"),
    "w negative class": (X, Y, np.where(Y == 1, -1.0, 1.0), "Negative values"),
    "w all zero": (X, Y, np.zeros(N), "at least one non-zero"),
    "w too short": (X, Y, ONES[:-1], r"sample_weight.*\(119,\).*\(120,\)"),
    "X 3-d": (X[:, :, None], Y, None, "Found array with dim 3"),
    "X strings": (X_STR, Y, None, "(?i)string"),
    "X object with a string": (X_OBJ, Y, None, "could not convert string to float"),
    "X and y lengths": (X[:-1], Y, None, r"inconsistent numbers of samples: \[119"),
}
LINEAR_ONLY_FIT_CASES = {
    "X NaN": (X_NAN, Y, None, "Input X contains NaN"),
    "X inf": (X_INF, Y, None, "Input X contains infinity"),
}


# scikit-learn's HistGradientBoostingClassifier reads an array of numeric
# strings as numbers (its own behaviour, kept by its focal subclass).
READS_NUMERIC_STRINGS = {"FocalHistGradientBoostingClassifier"}


def applies(estimator, case):
    return not (case == "X strings" and estimator in READS_NUMERIC_STRINGS)


@pytest.mark.parametrize(
    "estimator, case",
    [
        (estimator, case)
        for case in ESTIMATOR_FIT_CASES
        for estimator in sorted(ESTIMATORS)
        if applies(estimator, case)
    ],
)
def test_fit_names_the_bad_input(estimator, case):
    X_bad, y_bad, sample_weight, match = ESTIMATOR_FIT_CASES[case]
    with pytest.raises(ValueError, match=match):
        ESTIMATORS[estimator]().fit(X_bad, y_bad, sample_weight=sample_weight)


@pytest.mark.parametrize("case", list(LINEAR_ONLY_FIT_CASES))
def test_linear_fit_names_non_finite_x(case):
    X_bad, y_bad, sample_weight, match = LINEAR_ONLY_FIT_CASES[case]
    with pytest.raises(ValueError, match=match):
        make_linear().fit(X_bad, y_bad, sample_weight=sample_weight)


PREDICT_CASES = {
    # id: (X, match)
    "X 3-d": (X[:, :, None], "Found array with dim 3"),
    "X strings": (X_STR, "(?i)string"),
    "X object with a string": (X_OBJ, "could not convert string to float"),
    "fewer features": (X[:, :4], "X has 4 features, but .* expecting 5 features"),
    "more features": (np.hstack([X, X]), "X has 10 features, but .* 5 features"),
    # NaN is LightGBM's missing value (test_lightgbm_takes_nan_and_inf_in_x_...):
    # refused by the linear model only.
    "X NaN": (X_NAN, "Input X contains NaN"),
    "X inf": (X_INF, "Input X contains infinity"),
}
LINEAR_ONLY = {"X NaN", "X inf"}


@pytest.fixture(scope="module")
def fitted_models():
    return {name: make().fit(X, Y) for name, make in ESTIMATORS.items()}


@pytest.mark.parametrize(
    "method", ["predict", "predict_proba", "decision_function", "score"]
)
@pytest.mark.parametrize(
    "estimator, case",
    [
        (estimator, case)
        for case in PREDICT_CASES
        for estimator in sorted(ESTIMATORS)
        if (estimator == "FocalLossClassifier" or case not in LINEAR_ONLY)
        and applies(estimator, case)
    ],
)
def test_predict_methods_name_the_bad_x(fitted_models, estimator, method, case):
    fitted = fitted_models[estimator]
    X_bad, match = PREDICT_CASES[case]
    args = (X_bad, Y[: len(X_bad)]) if method == "score" else (X_bad,)
    with pytest.raises(ValueError, match=match):
        getattr(fitted, method)(*args)


@pytest.mark.parametrize(
    "y_bad, match",
    [
        (np.where(Y == 1, "b", "a"), r"Mix of label input types \(string and number\)"),
        (with_value(Y, 0, np.nan), "Input y contains NaN"),
        (np.column_stack([Y, Y]), r"y should be a 1d array.*\(120, 2\)"),
    ],
    ids=["string labels", "NaN", "2-d y"],
)
def test_score_names_bad_labels(fitted, y_bad, match):
    with pytest.raises(ValueError, match=match):
        fitted.score(X, y_bad)


def test_score_counts_labels_not_seen_at_fit_as_wrong(fitted):
    # As scikit-learn's classifiers: the model cannot predict label 7, so those
    # rows are wrong; a test fold with a class its training part lacks still
    # gets a score (cross-validation would otherwise give NaN).
    y_seen_and_unseen = np.where(np.arange(N) < 30, 7, Y)
    expected = np.mean(fitted.predict(X) == y_seen_and_unseen)
    assert fitted.score(X, y_seen_and_unseen) == pytest.approx(expected)
    assert expected < np.mean(fitted.predict(X) == Y)


def test_score_on_a_subset_of_the_classes_is_fine():
    # Labels must be seen at fit, not all present: a test fold without a class.
    model = make_linear().fit(X3, Y3)
    subset = Y3 != 2
    expected = np.mean(model.predict(X3[subset]) == Y3[subset])
    assert model.score(X3[subset], Y3[subset]) == expected


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["NaN", "inf", "-inf"])
def test_lightgbm_takes_nan_and_inf_in_x_as_values(value):
    # LightGBM treats NaN as missing and +-inf as beyond every threshold: accepted
    # (its allow_nan tag), but never a NaN probability.
    X_bad = with_value(X, (slice(0, 30), 0), value)
    model = make_lgbm().fit(X_bad, Y)
    proba = model.predict_proba(X_bad)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.isfinite(model.score(X_bad, Y))


@pytest.mark.parametrize(
    "eval_kwargs, match",
    [
        ({"eval_set": [(X, np.where(Y == 1, 7, 0))]}, r"unseen labels: \[.*7"),
        ({"eval_set": [(X, with_value(Y, 0, np.nan))]}, "Input y contains NaN"),
        ({"eval_set": [(X[:, :4], Y)]}, r"X of eval_set\[0\] has 4 features.* 5"),
        (
            {"eval_set": [(X.copy(), Y)], "eval_sample_weight": [np.zeros(N)]},
            r"eval_sample_weight\[0\] sums to zero",
        ),
        (
            {
                "eval_set": [(X.copy(), Y)] * 2,
                "eval_sample_weight": [None, with_value(ONES, 0, np.nan)],
            },
            r"eval_sample_weight\[1\] contains NaN",
        ),
        (
            {"eval_set": [(X.copy(), Y)], "eval_sample_weight": {0: -ONES}},
            r"eval_sample_weight\[0\] must be non-negative",
        ),
    ],
    ids=[
        "unseen label",
        "NaN label",
        "fewer features",
        "all-zero weights",
        "NaN weight",
        "negative weights",
    ],
)
def test_lgbm_eval_sets_name_the_bad_input(eval_kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_lgbm().fit(X, Y, **eval_kwargs)


# =================================================================== metrics
METRICS = {
    "focal_loss": focal_loss,
    "expected_calibration_error": expected_calibration_error,
}
METRIC_CASES = {
    # id: (y_true, y_prob, kwargs, match)
    "y_true NaN": (with_value(Y, 0, np.nan), P, {}, "Input y_true contains NaN"),
    "y_true inf": (with_value(Y, 0, np.inf), P, {}, "y_true contains infinity"),
    "y_prob NaN": (Y, with_value(P, 0, np.nan), {}, "Input y_prob contains NaN"),
    "y_prob inf": (Y, with_value(P, 0, np.inf), {}, "y_prob contains infinity"),
    "y_prob 3-d": (Y, P[:, None, None], {}, "Found array with dim 3"),
    "y_prob strings": (Y, np.full(N, "x"), {}, "could not convert string to float"),
    "y_prob > 1": (Y, with_value(P, 0, 1.5), {}, r"greater than 1|\[0, 1\]"),
    "w NaN": (Y, P, {"sample_weight": with_value(ONES, 0, np.nan)}, "weight.* NaN"),
    "w negative": (Y, P, {"sample_weight": -ONES}, "must be non-negative"),
    "w all zero": (Y, P, {"sample_weight": np.zeros(N)}, "sums to zero"),
    "w too short": (Y, P, {"sample_weight": ONES[:-1]}, "inconsistent numbers"),
    "lengths": (Y[:-1], P, {}, r"inconsistent numbers of samples: \[(119|120)"),
}


@pytest.mark.parametrize("metric", sorted(METRICS))
@pytest.mark.parametrize("case", list(METRIC_CASES))
def test_metrics_name_the_bad_input(metric, case):
    y_true, y_prob, kwargs, match = METRIC_CASES[case]
    with pytest.raises(ValueError, match=match):
        METRICS[metric](y_true, y_prob, **kwargs)


@pytest.mark.parametrize(
    "metric, y_true, y_prob, kwargs, match",
    [
        (focal_loss, np.zeros(N), P, {}, "only one label"),
        (focal_loss, Y3, P, {}, r"2 columns but there are 3 classes"),
        (focal_loss, Y, P, {"labels": [0, 2]}, r"labels that are not in labels: \[1\]"),
        (
            expected_calibration_error,
            Y,
            P,
            {"pos_label": 7},
            r"pos_label=7 is not a label of y_true.*\[0, 1\]",
        ),
        (expected_calibration_error, Y3, P, {}, "binary problems; y_true has 3"),
    ],
    ids=[
        "focal_loss one class",
        "focal_loss missing class",
        "focal_loss unseen label",
        "ece unseen pos_label",
        "ece multiclass",
    ],
)
def test_metrics_name_bad_labels(metric, y_true, y_prob, kwargs, match):
    with pytest.raises(ValueError, match=match):
        metric(y_true, y_prob, **kwargs)


def test_ece_pos_label_absent_from_a_single_class_y_is_allowed():
    # All negatives: pos_label need not occur (documented); the error above is for
    # a pos_label that is neither of two labels present.
    ece = expected_calibration_error(np.zeros(N), P, pos_label=1)
    assert ece == pytest.approx(np.mean(P))
