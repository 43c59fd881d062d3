"""Sphinx configuration of the skfocal documentation."""

import skfocal

project = "skfocal"
author = "The skfocal developers"
copyright = "2026, The skfocal developers"
release = skfocal.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
exclude_patterns = ["_build", "generated/*.examples"]
# Our estimators inherit scikit-learn and LightGBM methods; their docstrings use
# labels of those projects' own sites (no intersphinx offline) and LightGBM's
# __init__ docstring is not numpydoc. Document what skfocal writes.
autodoc_inherit_docstrings = False
suppress_warnings = ["ref.ref"]
html_theme = "pydata_sphinx_theme"
html_title = f"skfocal {release}"
