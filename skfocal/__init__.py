"""skfocal: focal loss for scikit-learn and LightGBM.

Exact Numba kernels of the focal loss (Lin et al., 2017), its gradient and a
positive Newton curvature with respect to raw scores, binary and softmax, and
the :class:`FocalLoss` object every skfocal estimator is built on, and
:class:`FocalLossClassifier`, a scikit-learn linear classifier trained with it.
"""

from ._loss import FocalLoss
from .linear_model import FocalLossClassifier

__version__ = "0.1.0.dev0"

__all__ = ["FocalLoss", "FocalLossClassifier", "__version__"]
