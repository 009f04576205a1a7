"""The layers point inward: the domain imports no framework."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FRAMEWORKS = ("flask", "sqlalchemy", "wtforms", "flask_wtf", "flask_login", "alembic", "bs4", "click")
PACKAGE = Path(__file__).resolve().parents[2] / "factcheck"


def test_importing_the_domain_pulls_in_no_framework():
    code = (
        "import sys, pkgutil, importlib, factcheck.domain as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'factcheck.domain.'): importlib.import_module(m.name)\n"
        f"print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in {FRAMEWORKS!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_view_cli_or_importer_sets_an_items_status_directly():
    offenders = []
    for folder in ("web", "cli", "interchange", "queries"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if ".status =" in line.replace(" ", " ") and "==" not in line:
                    offenders.append(f"{path.name}:{number}")
    assert offenders == []


def test_the_package_never_creates_the_schema_outside_migrations():
    offenders = [p.name for p in PACKAGE.rglob("*.py") if "create_all(" in p.read_text()]
    assert offenders == []
