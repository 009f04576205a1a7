"""docs/api.md's examples, exactly as written there, run in order against a fresh demo database.

The shell blocks are parsed: ``export NAME=$(factcheck …)`` lines run that command (through Click,
against the demo database) and keep its output; each ``curl`` line becomes the same request through
the test client. An example answers 2xx unless the line before it says ``# → STATUS``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from factcheck.app import create_app
from factcheck.cli import main
from factcheck.cli.serve import _create_demo_users, load_seeds
from factcheck.resources import resource_dir
from tests.conftest import REPO, migrated_sqlite_url

DOC = REPO / "docs" / "api.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
EXPECT = re.compile(r"#\s*→\s*(\d{3})")
EXPORT = re.compile(r"export (\w+)=(.*)")


def commands(text: str) -> list[tuple[str, int | None]]:
    """Each command line of the doc's shell blocks (continuations joined) and the status it expects."""
    found = []
    for block in BLOCK.findall(text):
        expected = None
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if match := EXPECT.match(line):
                expected = int(match.group(1))
            elif line:
                found.append((line, expected))
                expected = None
    return found


def _expand(text: str, env: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), m.group(0)), text)


def test_the_doc_has_examples_of_every_kind():
    lines = [line for line, _ in commands(DOC.read_text(encoding="utf-8"))]
    curls = [line for line in lines if line.startswith("curl")]
    assert len(curls) >= 12
    for path in ("/api/v1/items", "/api/v1/articles", "/api/v1/sources", "/api/v1/verdicts", "/take", "/evidence",
                 "/propose", "/vote"):
        assert any(path in line for line in curls), path


@pytest.mark.slow
def test_every_example_in_the_doc_works_against_the_demo(tmp_path: Path, monkeypatch):
    url = migrated_sqlite_url(tmp_path / "demo.sqlite3")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "a-test-secret-" * 4, "TESTING": True,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    load_seeds(app, resource_dir("seeds"))
    _create_demo_users(app)
    client = app.test_client()
    env: dict[str, str] = {}
    ran = 0
    def curl(line: str):  # type: ignore[no-untyped-def]
        """The doc's curl line run against the app: its response."""
        words = shlex.split(_expand(line, env))[1:]
        method, headers, data, target = "GET", {}, None, None
        while words:
            word = words.pop(0)
            if word == "-s":
                continue
            if word == "-X":
                method = words.pop(0)
            elif word == "-H":
                key, _, value = words.pop(0).partition(":")
                headers[key.strip()] = value.strip()
            elif word == "-d":
                data = words.pop(0)
                method = method if method != "GET" else "POST"
            else:
                target = word
        assert target is not None, line
        parts = urlsplit(target)
        return client.open(parts.path + (f"?{parts.query}" if parts.query else ""), method=method,
                           headers=headers, data=data)

    for line, expected in commands(DOC.read_text(encoding="utf-8")):
        if match := EXPORT.fullmatch(line):
            name, value = match.groups()
            if value.startswith("$(factcheck "):
                args = shlex.split(value[2:].split(")", 1)[0].replace("2>/dev/null", ""))[1:]
                result = CliRunner().invoke(main, args)
                assert result.exit_code == 0, (line, result.output)
                value = result.stdout.strip().splitlines()[0]
            elif value.startswith("$(curl "):  # $(curl … | jq -r .a.b): a value of the answer
                command, _, path = value[2:].rstrip(")").partition(" | jq -r ")
                response = curl(command)
                assert response.status_code == 200, (line, response.get_json())
                found = response.get_json()
                for key in path.strip().lstrip(".").split("."):
                    found = found[key]
                value = str(found)
            env[name] = value
            continue
        assert line.startswith("curl"), f"a shell line the test does not know: {line}"
        response = curl(line)
        assert response.is_json, line
        if expected is None:
            assert 200 <= response.status_code < 300, (line, response.status_code, response.get_json())
        else:
            assert response.status_code == expected, (line, response.status_code, response.get_json())
        ran += 1
    assert ran >= 12
    published = client.get("/api/v1/verdicts/1").get_json()
    assert published["rating"]["key"] == "true"
