"""The layers point inward: the domain imports no framework."""

from __future__ import annotations

import ast
import re
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


#: The only places that write a check item's status: the lifecycle move, and creating an item in
#: claim. (Archive imports and backup restores insert whole rows, status included, in bulk.)
STATUS_WRITERS = {
    ("services/items.py", "new_item"),
    ("services/items.py", "_move"),
}


def _status_writes(path: Path) -> list[tuple[str, int]]:
    """(function, line) of every write of a ``status``: attribute assignment, setattr, a Core
    UPDATE's ``.values(status=…)`` or ``{"status": …}``, or a model built with ``status=``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    writes: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
            writes.append((function, node.lineno))
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "setattr" and len(node.args) > 1 and getattr(node.args[1], "value", None) == "status":
                writes.append((function, node.lineno))
            if name in ("values", "CheckItem", "insert") and any(k.arg == "status" for k in node.keywords):
                writes.append((function, node.lineno))
            if name == "values" and any(isinstance(a, ast.Dict) and any(getattr(k, "value", None) == "status"
                                                                         for k in a.keys) for a in node.args):
                writes.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return writes


def test_only_the_lifecycle_and_the_creating_actions_write_an_items_status():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = path.relative_to(PACKAGE).as_posix()
        for function, line in _status_writes(path):
            if (module, function) not in STATUS_WRITERS:
                offenders.append(f"{module}:{line} in {function}")
    assert offenders == []


def test_the_status_check_sees_core_updates_and_attribute_writes(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def a(item):\n    item.status = 'published'\n"
        "def b(session):\n    session.execute(update(CheckItem).values(status='published'))\n"
        "def c(session):\n    session.execute(update(CheckItem).values({'status': 'published'}))\n"
        "def d(item):\n    setattr(item, 'status', 'published')\n"
        "def e(item):\n    return item.status == 'published'\n",
        encoding="utf-8")
    assert [f for f, _ in _status_writes(sample)] == ["a", "b", "c", "d"]


def test_the_package_never_creates_the_schema_outside_migrations():
    offenders = [p.name for p in PACKAGE.rglob("*.py") if "create_all(" in p.read_text()]
    assert offenders == []


TEMPLATES = PACKAGE.parent / "templates"


def _role_mentions(path: Path) -> list[int]:
    """Lines of a view module that name a role: who may do what belongs to the domain."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted({node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"})


def test_views_and_templates_hold_no_role_lists():
    """Views say what they do (``permitted(Capability.REVIEW)``); the domain says which roles may."""
    views = {path.name: _role_mentions(path) for path in (PACKAGE / "web").glob("*.py") if path.name != "access.py"}
    assert {name: lines for name, lines in views.items() if lines} == {}
    templates = {str(path.relative_to(TEMPLATES)): n for path in TEMPLATES.rglob("*.html")
                 if (n := len(re.findall(r"\bRole\.|has_role\(", path.read_text(encoding="utf-8"))))}
    assert templates == {}


def test_the_role_check_sees_a_role_named_in_a_view(tmp_path):
    view = tmp_path / "view.py"
    view.write_text("@roles_required(Role.EDITOR)\ndef merge():\n    pass\n", encoding="utf-8")
    assert _role_mentions(view) == [1]
