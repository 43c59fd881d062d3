"""Helpers shared by the benchmark scripts: timing and a description of the run.

Not a benchmark itself. The scripts import it as ``_common`` (``benchmarks/`` is
on ``sys.path`` when a script in it runs).
"""

import datetime
import importlib.metadata
import os
import platform
import sys
import time

PACKAGES = (
    "skfocal",
    "numpy",
    "scipy",
    "numba",
    "scikit-learn",
    "pandas",
    "lightgbm",
    "catboost",
    "matplotlib",
)
# The note of a row whose model needs the optional catboost package.
CATBOOST_MISSING = "skipped: catboost is not installed (pip install catboost)"


def timed(func):
    """``func()``'s result and its wall time in seconds (the scripts' one clock)."""
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def best_time(func, repeat, *, warmup=False):
    """Best wall time of ``repeat`` calls of ``func``, and the last call's result.

    ``warmup`` makes one untimed call first (compilation, cache load, imports).
    """
    if warmup:
        func()
    times, result = [], None
    for _ in range(max(1, repeat)):
        result, seconds = timed(func)
        times.append(seconds)
    return min(times), result


def interleaved_best(funcs, repeat):
    """Best of ``repeat`` rounds of each of ``funcs``, the rounds interleaved.

    A slow phase of the machine then hits every function alike instead of all
    the repeats of one. Each function returns ``(seconds, ...)``; the result
    maps each name to its tuple of least seconds.
    """
    runs = {name: [] for name in funcs}
    for _ in range(max(1, repeat)):
        for name, func in funcs.items():
            runs[name].append(func())
    return {name: min(values, key=lambda run: run[0]) for name, values in runs.items()}


def cpu_model():
    """The CPU's model name, from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    """What the run is on and when, as ordered (label, value) pairs."""
    # sched_getaffinity: the cores this process may use, not those of the host.
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = f"{os.cpu_count()} logical"
    if usable is not None and usable != os.cpu_count():
        cores += f", {usable} usable"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    now = datetime.datetime.now(datetime.timezone.utc)
    return [
        ("date", now.strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", cores),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", sys.version.split()[0]),
        ("packages", ", ".join(versions)),
    ]
