"""Rows of a kernel call split over plain threads.

The kernels release the GIL; a shared thread pool (not Numba's threading layer,
which can clash with joblib's workers) runs all chunks but one, which the
calling thread runs itself.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np

# Below this many rows per thread, handing work to another thread costs more than
# it saves (a kernel does 10^5 binary rows in about 0.5 ms).
MIN_ROWS_PER_THREAD = 50_000
_POOL = []  # one shared ThreadPoolExecutor, made on first use


def _thread_pool():
    if not _POOL:
        _POOL.append(
            ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="skfocal")
        )
    return _POOL[0]


def sum_over_chunks(func, n_rows, n_threads):
    """Sum of ``func(start, stop)`` over contiguous chunks of ``n_rows`` rows.

    At most ``n_threads`` chunks of at least ``MIN_ROWS_PER_THREAD`` rows each,
    computed at once; one chunk is ``func(0, n_rows)`` on this thread.
    """
    n_chunks = min(n_threads, n_rows // MIN_ROWS_PER_THREAD)
    if n_chunks <= 1:
        return func(0, n_rows)
    bounds = np.linspace(0, n_rows, n_chunks + 1).astype(np.intp)
    futures = [
        _thread_pool().submit(func, start, stop) for start, stop in pairwise(bounds[1:])
    ]
    first = func(bounds[0], bounds[1])
    return first + sum(future.result() for future in futures)
