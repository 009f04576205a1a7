"""Every page, for every role, in Chromium: no axe-core violation of WCAG 2.1 A and AA, no
aria-describedby pointing at nothing, and no sideways scroll at 390 px.

The pages are the authorisation matrix's GET routes (tests/e2e/authz/) that answer HTML, visited as
each role (error pages included: a refused role sees the 403 page), plus pages the matrix reaches
only through its placeholders' other states (a published report with rating chips, a dismissed item,
the evidence edit page) and forms in their error state (sent empty; a 422 page). axe-core comes
vendored in the axe-playwright-python package: nothing is downloaded at test time.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in_as
from tests.e2e.authz import ROLES
from tests.e2e.test_authorisation_matrix import ROUTES

pytestmark = pytest.mark.browser

#: WCAG 2.1 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
#: Answers that are not HTML pages (feeds, exports, the source picker's suggestions; the JSON API,
#: whose reference page /api/v1/docs is checked).
NOT_PAGES = (".json", ".csv", "/sources/search", "/favicon.ico")
PHONE_WIDTH = 390

#: Ids that aria-describedby or aria-labelledby name but no element has, and whether the page
#: scrolls sideways at its current width.
PAGE_PROBE = """() => {
  const missing = [];
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) { missing.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}=${id}`); }
      }
    }
  }
  const s = document.scrollingElement;
  const wide = [];
  if (s.scrollWidth > window.innerWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > window.innerWidth + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1)) {
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(box.right)} px)`);
      }
    }
  }
  return {missing, scrollWidth: s.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 5)};
}"""


def pages_for(role: str) -> list[str]:
    """The URL templates of every HTML page ``role`` reaches by GET (its refusals' error pages too)."""
    urls = [r.url for r in ROUTES if r.method == "GET" and r.status_for(role) != 302
            and not any(part in r.url.split("?")[0] for part in NOT_PAGES)
            and (not r.url.startswith("/api/") or r.url.split("?")[0] == "/api/v1/docs")]
    extra = ["/reports/articles/{report_article_id}", "/verdicts/{report_published_id}", "/sources/{putin_id}",
             "/no-such-page", "/items/999999"]
    if role != "anonymous":
        extra += ["/items/{dismissed_item_id}", "/items/{published_item_id}", "/items/{claim_item_id}",
                  "/items/{verdict_item_id}", "/verdicts/{report_draft_id}", "/items/{report_draft_id}",
                  "/sources/{other_source_id}"]
    return list(dict.fromkeys(urls + extra))


#: What a page is, for skipping a second axe run on a page already checked: its main content without
#: the per-request CSRF tokens (a refused role's 403 page is the same page for every such role).
PAGE_KEY = """() => document.querySelector('main').innerHTML.replace(/name="csrf_token"[^>]*>/g, '')"""

#: Where the focus is after a 422 and what its aria-describedby names.
FOCUS_PROBE = """() => {
  const a = document.activeElement;
  const ids = (a.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  return {tag: a.tagName.toLowerCase(), id: a.id, invalid: a.getAttribute('aria-invalid'),
          classes: [...a.classList], described: ids.map(id => document.getElementById(id)).filter(Boolean)
            .map(el => ({classes: [...el.classList], text: el.textContent.trim()}))};
}"""

#: Forms sent empty (the browser's own checks switched off, as a script-free client might), by role:
#: (the page, the form's CSS selector). Each answers 4xx with its errors.
ERROR_FORMS = {
    "anonymous": [("/auth/login", "main form"), ("/auth/reset", "main form")],
    "checker": [("/articles/new", "main form"), ("/items/{item_id}", "#evidence-form form"),
                ("/items/{item_id}", "form[action$='/relations']"), ("/items/{item_id}", "#dismiss-form form"),
                ("/account", "form[action$='/account/password']")],
    "reviewer": [("/queue/review/{verdict_item_id}", "#vote-return")],
    "editor": [("/sources/{source_id}", "form[action$='/merge']"), ("/items/{published_item_id}", "#reopen-form")],
    "admin": [("/admin/users", "form[action$='/admin/users']")],
}


class Auditor:
    """Runs the page probes on every page, and axe-core and the 390 px check once per distinct page (its
    main content without CSRF tokens; each role's first page checks that role's navigation)."""

    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.seen: set[str] = set()
        self.roles_seen: set[str] = set()
        self.axe_runs = 0
        self.pages = 0

    def audit(self, page, label: str) -> list[str]:
        """What is wrong with the page now: axe's violations, dangling aria ids, sideways scroll at 390 px."""
        self.pages += 1
        problems = []
        probe = page.evaluate(PAGE_PROBE)
        problems += [f"{label}: dangling {m}" for m in probe["missing"]]
        key = page.evaluate(PAGE_KEY)
        role = label.split()[0]
        if key in self.seen and role in self.roles_seen:
            return problems  # this role's navigation and this main content were both checked already
        self.roles_seen.add(role)
        if key not in self.seen:
            self.seen.add(key)
            self.axe_runs += 1
            results = self.axe.run(page, options=AXE_OPTIONS).response
            for violation in results["violations"]:
                for node in violation["nodes"]:
                    problems.append(f"{label}: {violation['id']} at {node['target']}: {node['failureSummary']}")
        size = page.viewport_size
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
        probe = page.evaluate(PAGE_PROBE)
        if probe["scrollWidth"] > probe["innerWidth"]:
            problems.append(f"{label}: scrolls sideways at {PHONE_WIDTH} px ({probe['scrollWidth']} px wide): "
                            + ", ".join(probe["wide"]))
        page.set_viewport_size(size)
        return problems


def send_empty(page, selector: str) -> int:
    """Send the form at ``selector`` as it stands, past the browser's own checks; the answer's status."""
    assert page.locator(selector).count() == 1, f"no single form {selector} on {page.url}"
    with page.expect_navigation() as navigation:
        page.evaluate("""(selector) => {
          const form = document.querySelector(selector);
          form.noValidate = true;
          for (const el of form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]), textarea')) { el.value = ''; }
          form.querySelector('button[type=submit], button:not([type])').click();
        }""", selector)
    return navigation.value.status


def focus_problems(page, label: str) -> list[str]:
    """The focus after a 422 must be on an invalid field tied to its message, or on the error summary."""
    focus = page.evaluate(FOCUS_PROBE)
    if focus["invalid"] == "true":
        if not any("error" in d["classes"] and d["text"] for d in focus["described"]):
            return [f"{label}: the focused field {focus['tag']}#{focus['id']} names no error message: {focus}"]
        return []
    if {"error-summary", "flash-error"} & set(focus["classes"]):
        return []
    return [f"{label}: after the error the focus is on {focus['tag']}#{focus['id']}, not on the error: {focus}"]


def test_every_page_of_every_role_passes_axe_and_fits_a_phone(desk, browser):
    auditor = Auditor()
    problems: list[str] = []
    errors_seen = 0
    for role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # confirmations (data-confirm) are answered yes
        if role != "anonymous":
            sign_in_as(page, desk, role)
        for template in pages_for(role):
            url = template.format(**desk.ids)
            page.goto(desk.url + url)
            problems += auditor.audit(page, f"{role} {url}")
        for template, selector in ERROR_FORMS.get(role, []):
            url = template.format(**desk.ids)
            page.goto(desk.url + url)
            status = send_empty(page, selector)
            label = f"{role} {url} {selector} sent empty ({status})"
            assert 400 <= status < 500, label
            errors_seen += 1
            problems += auditor.audit(page, label) + focus_problems(page, label)
        if role == "checker":  # "Did you mean …?" for a near source name, focused on its first choice
            page.goto(desk.url + "/items/{item_id}".format(**desk.ids))
            page.locator(".item-actions a", has_text="Add evidence").click()
            page.fill("#title", "A harbour notice")
            page.fill("#source", "Harbour Official")  # near "A Harbour Official"
            with page.expect_navigation():
                page.click("#evidence-add button[type=submit]")
            assert page.locator("#source-choice").count() == 1
            problems += auditor.audit(page, "checker did-you-mean") + focus_problems(page, "checker did-you-mean")
        if role == "editor":  # the merge's confirmation step
            page.goto(desk.url + "/sources/{source_id}".format(**desk.ids))
            page.fill("#into", "#{other_source_id}".format(**desk.ids))
            with page.expect_navigation():
                page.click("form[action$='/merge'] button[type=submit]")
            assert page.locator("#merge-moves").count() == 1
            problems += auditor.audit(page, "editor merge confirmation")
        context.close()
    (ARTIFACTS / "axe-problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    (ARTIFACTS / "axe-counts.txt").write_text(f"{auditor.pages} pages, {auditor.axe_runs} axe runs\n")
    assert auditor.pages > 100 and errors_seen == sum(map(len, ERROR_FORMS.values()))
    assert not problems, (f"{len(problems)} problems on {auditor.pages} pages ({auditor.axe_runs} distinct):\n"
                          + "\n".join(problems))
