"""The built wheel carries templates, static files, migrations, seeds and data, and works installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True)
    return next(out.glob("factcheck-*.whl"))


@pytest.mark.slow
def test_the_wheel_packages_everything_the_app_reads_at_run_time(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("factcheck/templates/base.html", "factcheck/templates/auth/login.html",
                     "factcheck/static/style.css", "factcheck/migrations/env.py",
                     "factcheck/migrations/script.py.mako", "factcheck/seeds/000_577d28931b450a74.txt",
                     "factcheck/domain/extract/checkworthy_model.json"):
        assert required in names, required
    assert any(n.startswith("factcheck/migrations/versions/") and n.endswith(".py") for n in names)


@pytest.mark.slow
def test_the_installed_wheel_migrates_a_database_and_serves_the_login_page(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    script = (
        "import factcheck, factcheck.migrate as m\n"
        f"assert factcheck.__file__.startswith({str(target)!r}), factcheck.__file__\n"
        "from factcheck.domain.extract.checkworthy import score\n"
        "assert 0 < score('Taxes rose 9 percent in 2023.', attributed=True) <= 1\n"
        "from factcheck.app import create_app\n"
        "m.upgrade()\n"
        "app = create_app({'SECRET_KEY': 'x' * 32})\n"
        "page = app.test_client().get('/auth/login')\n"
        "print(page.status_code, b'Sign in' in page.data)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target),
           "FACTCHECK_DATABASE_URL": f"sqlite:///{tmp_path / 'wheel.sqlite3'}"}
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "200 True"
