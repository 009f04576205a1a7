"""Delete a feature, run its tests, expect a failure: the suite must notice each of these mutations.

Each mutation replaces one piece of code in a copy of the tree (never in the working tree) and runs
the tests that should catch it. A mutation the tests do not catch ("survived") means a feature
can be removed with every test green; the script then exits 1.

    python bench/mutations.py             # all mutations, SQLite
    python bench/mutations.py --list      # what they are
    python bench/mutations.py nh3 stale   # some of them
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    """One feature taken out: the file, the code it replaces and with what, the tests that must fail."""

    name: str
    what: str
    path: str
    before: str
    after: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "nh3", "the Markdown renderer no longer sanitises its HTML (nh3.clean removed)",
        "factcheck/web/templating.py",
        'nh3.clean(html, tags=_ALLOWED_TAGS, url_schemes=_ALLOWED_SCHEMES, link_rel="noopener noreferrer nofollow")',
        "html",
        ("tests/unit/test_markdown.py",),
    ),
    Mutation(
        "stale", "a lost optimistic-lock race at flush is no longer turned into the conflict refusal",
        "factcheck/services/items.py",
        "    try:\n        session.flush()\n    except StaleDataError as exc:\n        raise wf.StaleEdit(\n"
        "            f\"Somebody else changed this {what} at the same moment. Reload it and try again.\"\n"
        "        ) from exc",
        "    session.flush()",
        ("tests/integration/test_items_service.py",),
    ),
    Mutation(
        "review-next", "SQLite's review-next claims by select-then-update instead of one conditional UPDATE",
        "factcheck/services/queue.py",
        ".where(CheckItem.id == candidates.limit(1).correlate(None).scalar_subquery(), lease_is_free(now))",
        ".where(CheckItem.id == session.scalar(candidates.limit(1)))",
        ("tests/integration/test_queue_claims.py",),
    ),
    Mutation(
        "propose-guard", "the item page no longer asks the domain whether the viewer may propose",
        "factcheck/queries/items.py",
        "perm.may_propose(item, viewer, policy, assessment)", "perm.ALLOWED",
        ("tests/e2e/test_items.py",),
    ),
    Mutation(
        "inbox-trap", "the public claim inbox no longer refuses a form whose trap field is filled in",
        "factcheck/web/submit.py", "            if form.website.data:", "            if False:",
        ("tests/e2e/test_submit.py",),
    ),
    Mutation(
        "one-answer", "a reader who asked twice gets an answer mail for each request",
        "factcheck/services/answers.py", "        if key not in mails:", "        if True:",
        ("tests/integration/test_submissions.py",),
    ),
)


def copy_tree(target: Path) -> None:
    """The tracked tree (and untracked, unignored files) as it is now, without the virtual environment."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def run(mutation: Mutation, python: str) -> str:
    """``killed`` when a test fails with the mutation, ``survived`` when all pass, or what went wrong."""
    with tempfile.TemporaryDirectory(prefix=f"mutation-{mutation.name}-") as tmp:
        root = Path(tmp)
        copy_tree(root)
        path = root / mutation.path
        code = path.read_text(encoding="utf-8")
        if code.count(mutation.before) != 1:
            return f"not applied: the code to replace is not (exactly once) in {mutation.path}"
        path.write_text(code.replace(mutation.before, mutation.after), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_TEST_DATABASE_URL"}
        env["PYTHONPATH"] = str(root)
        # -p no:randomly etc. are not used; -x stops at the first failure: one is enough.
        result = subprocess.run([python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                                 "-o", "addopts=", *mutation.tests], cwd=root, env=env, capture_output=True,
                                text=True)
        if result.returncode == 1:
            return "killed"
        if result.returncode == 0:
            return "survived"
        return f"error (pytest exit {result.returncode}): {result.stdout[-400:]}{result.stderr[-400:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    args = parser.parse_args(argv)
    if args.list:
        for m in MUTATIONS:
            print(f"{m.name:14} {m.what}")
        return 0
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTATIONS}
    if unknown:
        parser.error(f"unknown mutation(s): {', '.join(sorted(unknown))}")
    # The harness itself: the copied tree, unchanged, must pass, or "killed" would mean nothing.
    control = Mutation("control", "nothing changed", "factcheck/web/templating.py", "import nh3", "import nh3",
                       ("tests/unit/test_markdown.py",))
    if (outcome := run(control, sys.executable)) != "survived":
        print(f"the unchanged copy does not pass its tests ({outcome}); fix that first")
        return 2
    outcomes = {m.name: run(m, sys.executable) for m in chosen}
    for m in chosen:
        print(f"{outcomes[m.name]:>9}  {m.name}: {m.what}")
    bad = [name for name, outcome in outcomes.items() if outcome != "killed"]
    # "killed" is a pass for the suite: it noticed the feature was gone.
    print(f"mutations: {len(chosen) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
