"""scikit-learn's callback API where the installed scikit-learn has it (1.9+).

Before 1.9 the mixin adds nothing: estimators then lack
``_init_callback_context``, and their fits skip every hook.
"""

try:
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # scikit-learn < 1.9

    class CallbackSupportMixin:
        """No callbacks before scikit-learn 1.9."""


__all__ = ["CallbackSupportMixin"]
