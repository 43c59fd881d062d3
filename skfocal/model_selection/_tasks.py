"""GammaSearchCV's scikit-learn callback hooks, in GridSearchCV's task layout."""

import contextlib

__all__ = ["Tasks"]


class Tasks:
    """scikit-learn's callback hooks, in ``GridSearchCV``'s task layout.

    The fit, a "search" task with one "gamma-fold-evaluation" subtask per fold
    and gamma (begun and ended in the threads that fit them), then the refit.
    Without the callback API (scikit-learn < 1.9) every hook does nothing.
    """

    def __init__(self, search, X, y, sample_weight, n_evaluations):
        self.root = None
        if not hasattr(search, "_init_callback_context"):
            return
        self.search = search
        self.X, self.y = X, y
        self.metadata = _metadata(sample_weight)
        self.root = search._init_callback_context(
            max_subtasks=1 + bool(search.refit)
        ).call_on_fit_task_begin(estimator=search, X=X, y=y, metadata=self.metadata)
        self.search_task = self.root.subcontext(
            task_name="search", max_subtasks=n_evaluations, sequential_subtasks=False
        ).call_on_fit_task_begin(estimator=search)
        # Made here, not in the threads (as GridSearchCV makes them ahead).
        self.evaluations = [
            self.search_task.subcontext(task_name="gamma-fold-evaluation", task_id=i)
            for i in range(n_evaluations)
        ]

    def evaluation(self, i, X, y, fit_params):
        """Begin evaluation task ``i``; its ``end()`` ends it."""
        if self.root is None:
            return _NoTask()
        return _Task(
            self.evaluations[i], self.search, X, y,
            _metadata(fit_params.get("sample_weight")),
        )  # fmt: skip

    def end_search(self):
        if self.root is not None:
            self.search_task.call_on_fit_task_end(estimator=self.search)

    @contextlib.contextmanager
    def refit(self, estimator):
        if self.root is None:
            yield
            return
        task = self.root.subcontext(task_name="refit-with-best-params")
        # No booster takes callbacks yet: propagating would only warn so.
        propagate = (
            task.propagate_callback_context(estimator)
            if hasattr(estimator, "set_callbacks")
            else contextlib.nullcontext()
        )
        with propagate:
            task.call_on_fit_task_begin(
                estimator=self.search, X=self.X, y=self.y, metadata=self.metadata
            )
            yield
        task.call_on_fit_task_end(
            estimator=self.search, X=self.X, y=self.y, metadata=self.metadata
        )

    def end(self):
        if self.root is not None:
            self.root.call_on_fit_task_end(
                estimator=self.search, X=self.X, y=self.y, metadata=self.metadata
            )


class _Task:
    """One begun evaluation task of the callback API."""

    def __init__(self, context, search, X, y, metadata):
        self.context, self.search = context, search
        self.X, self.y, self.metadata = X, y, metadata
        context.call_on_fit_task_begin(estimator=search, X=X, y=y, metadata=metadata)

    def end(self):
        self.context.call_on_fit_task_end(
            estimator=self.search, X=self.X, y=self.y, metadata=self.metadata
        )


class _NoTask:
    def end(self):
        pass


def _metadata(sample_weight):
    return None if sample_weight is None else {"sample_weight": sample_weight}
