"""The layer contracts in pyproject.toml ([tool.importlinter]) hold: import-linter checks every import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: The command import-linter installs beside this interpreter.
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def test_the_import_contracts_are_kept():
    result = subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_the_contracts_catch_a_service_importing_a_query(tmp_path):
    """A copy of the package in which a service imports a query must break a contract."""
    copy = tmp_path / "tree"
    shutil.copytree(REPO / "factcheck", copy / "factcheck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    relations = copy / "factcheck" / "services" / "relations.py"
    relations.write_text(relations.read_text() + "\nfrom factcheck.queries import matching  # noqa\n")
    result = subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=copy,
                            capture_output=True, text=True, env={"PYTHONPATH": str(copy), "PATH": ""})
    assert result.returncode != 0
    assert "factcheck.services.relations -> factcheck.queries.matching" in result.stdout
