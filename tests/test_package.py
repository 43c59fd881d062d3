"""The package's import surface: what `import skfocal` loads and exports."""

import ast
import pathlib
import re
import subprocess
import sys

import skfocal


def test_import_skfocal_does_not_load_sklearn():
    # scikit-learn's import takes 0.6 s; FocalLoss must not pay for it (cold start).
    code = "import sys, skfocal; skfocal.FocalLoss(); print('sklearn' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_public_names_resolve():
    from skfocal.linear_model import FocalLossClassifier

    assert skfocal.FocalLossClassifier is FocalLossClassifier
    assert set(skfocal.__all__) <= set(dir(skfocal))
    try:
        skfocal.not_a_name  # noqa: B018
    except AttributeError as exc:
        assert "not_a_name" in str(exc)
    else:
        raise AssertionError("unknown attribute did not raise")


PACKAGE = pathlib.Path(skfocal.__file__).parent


def code_lines(node, source_lines):
    """Lines of code of a function: no blank lines, comments or docstrings."""
    skip = set()
    for inner in ast.walk(node):
        body = getattr(inner, "body", None)
        if (
            isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            skip.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = range(node.lineno, node.end_lineno + 1)
    return sum(
        1
        for n in lines
        if n not in skip
        and source_lines[n - 1].strip()
        and not source_lines[n - 1].strip().startswith("#")
    )


def test_modules_and_functions_stay_small():
    """At most 700 lines a module and 60 lines of code a function (tests/ aside)."""
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text()
        lines = source.splitlines()
        if len(lines) > 700:
            too_long.append(f"{path.name}: {len(lines)} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = code_lines(node, lines)
                if n > 60:
                    too_long.append(f"{path.name}:{node.lineno} {node.name}: {n}")
    assert not too_long, too_long


def test_no_file_outside_the_repository_is_cited():
    """Comments and docs point to files in the repository, not to design notes."""
    root = PACKAGE.parent
    cited = []
    for folder in ("skfocal", "tests", "docs", "examples", "benchmarks"):
        for path in (root / folder).rglob("*"):
            built = {"_build", "generated", "auto_examples"} & set(path.parts)
            if path.suffix in {".py", ".rst", ".md"} and not built:
                if path == pathlib.Path(__file__):
                    continue
                if re.search(r"DESIGN\.md|design notes", path.read_text()):
                    cited.append(str(path.relative_to(root)))
    assert not cited, cited
