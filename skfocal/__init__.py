"""skfocal: focal loss for scikit-learn and LightGBM.

Exact Numba kernels of the focal loss (Lin et al., 2017), its gradient and a
positive Newton curvature with respect to raw scores, binary and softmax, and
the :class:`FocalLoss` object every skfocal estimator is built on, and
:class:`FocalLossClassifier`, a scikit-learn linear classifier trained with it,
and :class:`FocalLossClassifierCV`, which chooses its gamma and C by
cross-validation.
"""

from ._loss import FocalLoss

FocalLoss.__module__ = __name__  # the public name: pickle, skops and reprs show it

__version__ = "0.1.0.dev0"

__all__ = ["FocalLoss", "FocalLossClassifier", "FocalLossClassifierCV", "__version__"]


def __getattr__(name):
    # The linear classifier needs scikit-learn, whose import takes 0.6 s: load it on
    # first use, so that `import skfocal` and FocalLoss start fast.
    if name in ("FocalLossClassifier", "FocalLossClassifierCV"):
        from . import linear_model

        return getattr(linear_model, name)
    raise AttributeError(f"module 'skfocal' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
