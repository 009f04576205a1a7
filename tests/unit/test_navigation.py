"""Only paths on this site are followed after an action: hostile ``next`` values fall back to the default."""

from __future__ import annotations

import pytest

from factcheck.web.navigation import is_same_site_path, safe_next

DEFAULT = "/items/7"


@pytest.mark.parametrize("target", [
    "/", "/items/12", "/items/12?tab=evidence#evidence", "/queue?rating=false&age=24", "/reports/articles/3",
    "/search?q=sea level", "/https://example.org", "/items/%2F%2Fexample.org",
])
def test_a_path_on_this_site_is_followed(target: str) -> None:
    assert is_same_site_path(target)
    assert safe_next(target, DEFAULT) == target


@pytest.mark.parametrize("target", [
    None, "", " ", "items/12",                      # nothing, or not a path
    "//example.org", "//example.org/items/1",      # another host, scheme-relative
    "///example.org",                              # browsers read it as //example.org
    "/\\example.org", "\\\\example.org", "/items\\..\\..\\x",  # backslashes become slashes in browsers
    "https://example.org", "http:/example.org", "javascript:alert(1)", "data:text/html,x",
    "/\t/example.org", "/\n/example.org", "/\r\n/example.org", "\t//example.org",  # browsers drop tabs and breaks
    "/items/1\x00", "/\x7f/example.org", "/\u200b/example.org", "/\u2028/example.org", "/\u3000/x",
    " /items/1",                                   # a leading space is no path
])
def test_a_hostile_or_foreign_target_falls_back_to_the_default(target: str | None) -> None:
    assert not is_same_site_path(target)
    assert safe_next(target, DEFAULT) == DEFAULT
