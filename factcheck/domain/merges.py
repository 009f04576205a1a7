"""Where a chain of source merges ends: A merged into B, later B into C, names C."""

from __future__ import annotations

from collections.abc import Mapping

#: How many merges a name is followed through to the source it now belongs to. Merges form short
#: chains (A into B, later B into C); a longer one, or a circle, means damaged data.
MAX_MERGE_DEPTH = 50


def merge_end(merged_into: Mapping[int, int], source_id: int) -> int | None:
    """The source ``source_id`` now stands for, given where each merged source went (``merged_into``: merged source →
    the one it was merged into; a source not in it was not merged): itself, or the end of its chain of merges.
    None when the chain goes round in a circle or is longer than ``MAX_MERGE_DEPTH``."""
    seen = [source_id]
    while source_id in merged_into:
        source_id = merged_into[source_id]
        if source_id in seen or len(seen) > MAX_MERGE_DEPTH:
            return None
        seen.append(source_id)
    return source_id
