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
html_theme = "pydata_sphinx_theme"
html_title = f"skfocal {release}"
