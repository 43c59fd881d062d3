"""Session-wide test configuration (loaded by pytest before any test module)."""

import os

# scikit-learn's estimator checks include an array-API check that runs only when
# SciPy's array API support is switched on, which must happen before SciPy is
# imported. With numpy inputs it changes no result.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


def _find_method_doctests():
    """Collect the doctests of methods of classes named by their public package.

    skfocal's public classes say their public package in ``__module__`` (pickle,
    skops and reprs show ``skfocal.lightgbm.FocalObjective``), so doctest
    collects them from that package's ``__init__``; their methods keep the
    defining module's globals, which doctest takes for another module's and
    skips. Methods of a class the module holds under its public name are the
    module's.
    """
    import doctest
    import inspect

    from_module = doctest.DocTestFinder._from_module

    def _from_module(self, module, obj):
        if module is not None and inspect.isfunction(obj) and "." in obj.__qualname__:
            owner = getattr(module, obj.__qualname__.split(".")[0], None)
            if inspect.isclass(owner) and owner.__module__ == module.__name__:
                return getattr(owner, obj.__name__, None) is obj
        return from_module(self, module, obj)

    doctest.DocTestFinder._from_module = _from_module


_find_method_doctests()
