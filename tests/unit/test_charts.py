"""The dashboard's bar charts, written in Python (``web.charts``): bars scaled by the busiest, their counts
and labels placed under them, every text escaped."""

from __future__ import annotations

import datetime as dt
import re

from factcheck.queries.dashboard import Day, Week
from factcheck.web.charts import bar_chart
from factcheck.web.dashboard import days_chart, weeks_chart


def _elements(svg: str, tag: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)) | {"text": text}
            for attrs, text in re.findall(rf"<{tag}\b([^>]*)>([^<]*)</{tag}>", svg)]


def test_bars_are_scaled_by_the_busiest_and_placed_a_column_apart():
    svg = bar_chart([0, 2, 4], [("a",), ("b",), ("c",)], title="T", title_id="t", column=40, bar_width=30,
                    height=120, fill="#1a7f37")
    rects = _elements(svg, "rect")
    assert [(r["x"], r["y"], r["height"], r["width"]) for r in rects] == [
        ("6", "122.0", "0.0", "30"), ("46", "70.0", "52.0", "30"), ("86", "18.0", "104.0", "30")]
    texts = _elements(svg, "text")
    counts = [(t["x"], t["y"], t["text"]) for t in texts if t["font-size"] == "11"]
    assert counts == [("21.0", "118.0", "0"), ("61.0", "66.0", "2"), ("101.0", "14.0", "4")]
    labels = [(t["x"], t["y"], t["text"]) for t in texts if t["font-size"] == "10"]
    assert labels == [("21.0", "138", "a"), ("61.0", "138", "b"), ("101.0", "138", "c")]
    assert 'width="130" height="160" viewBox="0 0 130 160" aria-labelledby="t"' in svg


def test_a_chart_of_nothing_has_flat_bars_not_a_division_by_zero():
    svg = bar_chart([0, 0], [(None,), (None,)], title="T", title_id="t", column=28, bar_width=20, height=80, fill="#000")
    assert [r["height"] for r in _elements(svg, "rect")] == ["0.0", "0.0"]
    assert [t["text"] for t in _elements(svg, "text")] == ["0", "0"]  # the counts; no label lines


def test_texts_are_escaped():
    svg = bar_chart([1], [("<b>",)], title='A & "B"', title_id="t", column=40, bar_width=30, height=120, fill="red")
    assert "<title id=\"t\">A &amp; &#34;B&#34;</title>" in svg
    assert ">&lt;b&gt;</text>" in svg and "<b>" not in svg


def test_the_weeks_chart_names_each_week_and_the_days_chart_each_month_once():
    weeks = [Week(dt.date(2026, 11, 16), 3), Week(dt.date(2026, 11, 23), 0)]
    svg = weeks_chart(weeks)
    assert "Items published per week: week of 2026-11-16 3, week of 2026-11-23 0</title>" in svg
    assert [t["text"] for t in _elements(svg, "text") if t["font-size"] == "10"] == ["16 Nov", "23 Nov"]
    days = [Day(dt.date(2026, 11, 29) + dt.timedelta(days=n), n) for n in range(4)]
    labels = [(t["y"], t["text"]) for t in _elements(days_chart(days), "text") if t["font-size"] == "10"]
    assert labels == [("98", "29"), ("111", "Nov"), ("98", "30"), ("98", "01"), ("111", "Dec"), ("98", "02")]
