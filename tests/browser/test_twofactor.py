"""In a real browser: a checker sets up an authenticator (the code computed with pyotp), signs out,
and signs in again with the password and a code."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.browser.conftest import ARTIFACTS, PASSWORD

pytestmark = pytest.mark.browser


def test_a_checker_enrols_totp_signs_out_and_signs_in_with_a_code(browser, live_server):
    page = browser.new_page()
    base, email = live_server.url, live_server.emails["checker"]
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()

    page.goto(base + "/account/two-factor")
    assert page.locator("figure.qr svg").count() == 1
    secret = page.locator("#totp-secret").inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "twofactor-enrol.png"), full_page=True)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button:has-text('Confirm')")
    page.wait_for_load_state()
    assert page.locator("#recovery-codes li").count() == 10

    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()
    assert "/auth/login" in page.url

    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    assert page.url.endswith("/auth/code")
    # The next step's code: accepted now (clocks drift by a step), and never the one used to enrol.
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    assert "/auth/" not in page.url
    page.goto(base + "/account")
    assert page.locator("#twofactor-status").inner_text().startswith("An authenticator app is set up")
    page.close()
