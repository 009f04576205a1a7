"""An item's history lines, written in Python rather than by a template macro.

An item's history grows with its life (every move, edit, vote, note and priority change), and each
line in the template macro cost a dozen tests of its payload through Jinja's attribute lookup.
``history_line`` writes the elements the former macro ``event_line`` wrote (the item, review and
conflict pages call it as ``history_line_html``), every text escaped, times as the ``timestamp``
filter writes them, notes through the ``markdown`` filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from factcheck.web.templating import markdown, timestamp


def history_line(e: Any) -> Markup:
    """One ``<li>`` of the history list: ``e`` is a ``queries.items.HistoryEvent`` (or anything with its fields)."""
    action = str(e.action)
    p: Mapping[str, Any] = e.payload or {}
    out = [f'<li class="event event-{escape(action)}"><time datetime="{e.created_at.isoformat()}">'
           f'{timestamp(e.created_at)}</time> <strong>{escape(action.replace("_", " "))}</strong>']
    if e.from_status or e.to_status:
        arrow = " → " if e.from_status else ""
        out.append(f' <span class="muted">{escape(e.from_status or "")}{arrow}{escape(_text(e.to_status))}</span>')
    out.append(f' <span class="muted">· {escape(e.actor.display_name if e.actor else "system")}</span>')
    if p.get("reason"):
        out.append(f' <div class="payload">Reason: {escape(p["reason"])}</div>')
    if p.get("comment"):
        out.append(f' <div class="payload">Comment: {escape(p["comment"])}</div>')
    if p.get("note"):
        tier = escape(_text(p.get("tier")).replace("_", " "))
        out.append(f' <div class="payload">Note ({tier}): {escape(p["note"])}</div>')
    if action == "vote":
        if p.get("deciding"):
            said = f"deciding vote for {escape(_text(p.get('rating')))}"
        else:
            said = escape(_text(p.get("decision"))) + (Markup(" as {}").format(p["rating"]) if p.get("rating") else "")
        out.append(f' <div class="payload">{said}</div>')
    if action == "priority":
        before, after = p["priority"]
        out.append(f' <div class="payload">priority <del>{before:.2f}</del> → <ins>{after:.2f}</ins> '
                   f'({escape(_text(p.get("because")))})</div>')
    if action in ("propose", "publish") and p.get("rating"):
        out.append(f' <div class="payload">Rating: {escape(p["rating"])}</div>')
    if action == "assign":
        out.append(f' <div class="payload">to {escape(_text(p.get("assignee")))}</div>')
    if action == "note":
        out.append(f' <div class="payload prose">{markdown(p.get("body"))}</div>')
    if action == "relate":
        out.append(f' <div class="payload">{escape(_text(p.get("type")))} #{escape(_text(p.get("target_id")))}</div>')
    if action == "edit":
        for key, change in p.items():
            shown = (f"<del>{history_value(change[0])}</del> → <ins>{history_value(change[1])}</ins>"
                     if _is_sequence(change) and len(change) == 2 else "")
            out.append(f' <div class="payload">{escape(str(key).replace("_", " "))}: {shown}</div>')
    if action in ("add_evidence", "edit_evidence"):
        title = p.get("title")
        named = f": {escape(title if isinstance(title, str) else title[1])}" if title else ""
        out.append(f' <div class="payload">evidence #{escape(_text(e.entity_id))}{named}</div>')
    out.append("</li>")
    return Markup("".join(out))


def history_value(value: Any) -> Markup:
    """A value an edit changed, in words: "(empty)"; a chain (a list of (name, verb) pairs) as "A said ▸ B
    reported"; a mapping as "key: value, …"; a list as "a, b"."""
    if value is None or value == "" or value == []:
        return Markup("(empty)")
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, Mapping):
        return Markup(", ".join(f"{escape(k)}: {escape(v)}" for k, v in value.items()))
    if _is_sequence(value):
        parts = list(value)
        out = []
        for n, part in enumerate(parts):
            nested = _is_sequence(part) and not isinstance(part, str)
            out.append(str(escape(" ".join(str(x) for x in part)) if nested else escape(part)))
            if n < len(parts) - 1:
                out.append(" ▸ " if nested else ", ")
        return Markup("".join(out))
    return escape(value)


def _text(value: Any) -> str:
    """What a template writes for a value: nothing for a missing one."""
    return "" if value is None else str(value)


def _is_sequence(value: Any) -> bool:
    """Jinja's ``sequence`` test: anything with a length that can be indexed (strings and mappings too)."""
    try:
        len(value)
        value.__getitem__  # noqa: B018 - the test is whether it exists
    except Exception:  # noqa: BLE001 - any failure means "not a sequence", as in Jinja
        return False
    return True
