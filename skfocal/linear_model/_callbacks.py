"""scikit-learn's callback API (1.9 and later) for the linear models.

``set_callbacks`` with :class:`sklearn.callback.ProgressBar`, ``ScoringMonitor``
or any ``FitCallback`` sees the tasks ``LogisticRegression(solver="lbfgs")``
reports: the fit, then one subtask per solver iteration whose hooks receive a
fitted estimator with the coefficients of that iteration. With an older
scikit-learn there is no ``set_callbacks`` and nothing here runs.
"""

from .._callbacks import CallbackSupportMixin  # noqa: F401


class FitCallbacks:
    """The callback hooks of one fit, in ``LogisticRegression``'s task layout.

    Parameters
    ----------
    estimator : estimator instance
        The estimator being fitted (a ``CallbackSupportMixin``).
    X, y, sample_weight
        The fit's data, passed on to the hooks.
    max_iter : int
        The solver's iteration limit (the number of subtasks, plus one).
    fitted_attributes : callable
        ``fitted_attributes(coef) -> {"coef_": ..., "intercept_": ...}`` for the
        solver's flat coefficients.
    solver : str, default="lbfgs"
        Names the iteration subtasks: ``"<solver>-iter"``.
    """

    def __init__(
        self, estimator, X, y, sample_weight, max_iter, fitted_attributes,
        solver="lbfgs",
    ):  # fmt: skip
        # Without the callback API (scikit-learn < 1.9) every hook does nothing.
        self._context = self._iteration = None
        self.has_callbacks = False
        if not hasattr(estimator, "_init_callback_context"):
            return
        self._estimator, self._X, self._y = estimator, X, y
        self._metadata = (
            None if sample_weight is None else {"sample_weight": sample_weight}
        )
        self._fitted_attributes = fitted_attributes
        self._task_name = f"{solver}-iter"
        # One subtask per iteration (at least one) and the empty one scipy leaves.
        self._context = estimator._init_callback_context(
            max_subtasks=max(max_iter, 1) + 1
        )
        self._hook(self._context.call_on_fit_task_begin)
        self.has_callbacks = hasattr(estimator, "_skl_callbacks")

    def _hook(self, call, coef=None, **attributes):
        if coef is not None:  # built only if a callback asks for a fitted model
            attributes["reconstruction_attributes"] = lambda: self._fitted_attributes(
                coef
            )
        return call(
            estimator=self._estimator,
            X=self._X,
            y=self._y,
            metadata=self._metadata,
            **attributes,
        )

    def start(self, coef0):
        """Begin the first iteration's subtask."""
        if self._context is not None and self.has_callbacks:
            self._iteration = self._context.subcontext(task_name=self._task_name)
            self._hook(self._iteration.call_on_fit_task_begin, coef0)

    def after_iteration(self, coef):
        """End the iteration the solver finished and begin the next one."""
        if self._iteration is not None:
            self._hook(self._iteration.call_on_fit_task_end, coef)
            self.start(coef)

    def finish(self):
        """End the subtask of the iteration that never ran, then the fit."""
        if self._iteration is not None:
            self._iteration.call_on_fit_task_end(estimator=self._estimator)
        if self._context is not None:
            self._hook(self._context.call_on_fit_task_end, reconstruction_attributes={})
