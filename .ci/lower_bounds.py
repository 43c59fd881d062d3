"""Print pip constraints that pin every dependency of skfocal to its lower bound.

Reads the ``>=`` bounds of pyproject.toml (the runtime dependencies and every
extra) and pins each to the newest patch release of that bound (``numpy>=1.26``
becomes ``numpy==1.26.*``), so that CI's second run tests what the bounds
promise and the two cannot drift apart. Usage:

    python .ci/lower_bounds.py > constraints.txt
    python -m pip install -e ".[test]" -c constraints.txt
"""

import pathlib
import re

try:
    import tomllib
except ImportError:  # Python 3.10
    from pip._vendor import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([0-9][0-9.]*)\s*$"
)


def lower_bounds(pyproject):
    """``{name: version}`` of every ``name>=version`` requirement but skfocal's own."""
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    bounds = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement.split(";")[0])
        if match is None:
            if not requirement.startswith(project["name"]):
                raise ValueError(f"no lower bound to pin in {requirement!r}")
            continue
        name, _, version = match.groups()
        bounds[name.lower()] = version
    return bounds


if __name__ == "__main__":
    for name, version in sorted(lower_bounds(ROOT / "pyproject.toml").items()):
        print(f"{name}=={version}.*")
