"""Every row of the README's table of doors to publishing names the tests that prove its rule,
and each named test exists."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def door_rows():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### The doors to publishing", 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in ("|" + section).splitlines() if line.startswith("| ") and not line.startswith("| **")]
    return [row for row in rows[1:] if not row.startswith("| ---")]


def defined_tests(module):
    tree = ast.parse((ROOT / "tests" / f"{module}.py").read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_door_in_the_readme_names_tests_that_exist():
    rows = door_rows()
    assert len(rows) >= 40
    for row in rows:
        named = re.findall(r"`([\w/]+)::(test_\w+)`", row.rsplit("|", 2)[1])
        assert named, row
        for module, name in named:
            assert name in defined_tests(module), f"{module}::{name}"
