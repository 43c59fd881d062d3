"""Shared test configuration."""


def pytest_collection_modifyitems(items):
    """Substitute parameter values a test module names in ``PARAMETER_SUBSTITUTES``.

    tests/test_sklearn_logistic.py collects scikit-learn's tests, some of which
    are parametrised with scikit-learn's classes themselves; the shim must stand
    in for those values too.
    """
    for item in items:
        module = getattr(item, "module", None)
        substitutes = getattr(module, "PARAMETER_SUBSTITUTES", None)
        callspec = getattr(item, "callspec", None)
        if not substitutes or callspec is None:
            continue
        for name, value in callspec.params.items():
            if isinstance(value, type) and value in substitutes:
                callspec.params[name] = substitutes[value]
