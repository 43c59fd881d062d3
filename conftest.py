"""Session-wide test configuration (loaded by pytest before any test module)."""

import os

# scikit-learn's estimator checks include an array-API check that runs only when
# SciPy's array API support is switched on, which must happen before SciPy is
# imported. With numpy inputs it changes no result.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
