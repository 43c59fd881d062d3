"""Sphinx configuration of the skfocal documentation."""

from sphinx_gallery.sorting import ExplicitOrder

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
    "myst_parser",  # the benchmark report is markdown
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
templates_path = ["_templates"]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
exclude_patterns = ["_build", "generated/*.examples", "sg_execution_times.rst"]
# Our estimators inherit scikit-learn and LightGBM methods; their docstrings use
# labels of those projects' own sites (no intersphinx offline) and LightGBM's
# __init__ docstring is not numpydoc. Document what skfocal writes.
autodoc_inherit_docstrings = False
suppress_warnings = ["ref.ref"]
# $...$ in the included benchmark report
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    # reading order: the loss, a linear model and its CV, LightGBM, calibration, Dask
    "within_subsection_order": ExplicitOrder(
        [
            "plot_loss_curves.py",
            "plot_grid_search_gamma.py",
            "plot_focal_loss_cv.py",
            "plot_lightgbm_train.py",
            "plot_gamma_search.py",
            "plot_calibration.py",
            "plot_dask.py",
            "*",  # new examples go last
        ]
    ),
    # "Examples using ..." at the end of every API page
    "doc_module": ("skfocal",),
    "backreferences_dir": "generated",
    "reference_url": {"skfocal": None},
    "remove_config_comments": True,
    "capture_repr": (),  # examples print what they mean to show
    "show_memory": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skfocal {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {"index": [], "getting_started": [], "benchmarks": []}


def _skip_members_of_other_packages(app, what, name, obj, skip, options):
    # Members inherited from skfocal's own mixins (the boosters' predictions,
    # score, init_score) are skfocal's API; those of LightGBM, XGBoost and
    # scikit-learn are documented on their sites. That includes the
    # set_{method}_request methods scikit-learn generates for metadata routing.
    if what != "class":
        return None
    function = getattr(obj, "fget", obj)  # a property's getter
    module = getattr(function, "__module__", None) or ""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    if callable(function) and not module.startswith("skfocal"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_members_of_other_packages)
