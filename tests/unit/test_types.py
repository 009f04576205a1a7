"""The package type-checks: mypy as configured in pyproject.toml (strict for the domain and services)."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "factcheck"
#: ``# type: ignore[code]  # reason``: an ignore names what it silences and says why.
EXPLAINED_IGNORE = re.compile(r"#\s*type:\s*ignore\[[a-z0-9-]+(,\s*[a-z0-9-]+)*\]  # \S")


#: mypy's incremental cache for this checkout, kept between runs outside the working tree. mypy checks
#: every cached file against its source (and its own version and options), so a stale entry is redone.
MYPY_CACHE = Path(tempfile.gettempdir()) / f"factcheck-mypy-cache-{hashlib.sha256(bytes(ROOT)).hexdigest()[:12]}"


@pytest.mark.slow
def test_mypy_finds_no_type_errors_in_the_package(monkeypatch):
    # From the repository root, so the config's `packages` finds this checkout; the cache lives in
    # the system's temporary folder, so a run leaves nothing in the working tree.
    monkeypatch.chdir(ROOT)
    report, errors, status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(MYPY_CACHE)]
    )
    assert status == 0, f"mypy found type errors:\n{report}{errors}"


def test_every_type_ignore_names_its_error_code_and_gives_a_reason():
    unexplained = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"#\s*type:\s*ignore", line) and not EXPLAINED_IGNORE.search(line)
    ]
    assert unexplained == [], "Write `# type: ignore[code]  # reason`:\n" + "\n".join(unexplained)
