"""Article text -> assertions: who claimed what, through whom, hedged how (standard library only).

Use ``extract(text)``; the result's ``to_dict()`` is the JSON of DESIGN §4.
"""

from .model import (RELATION_TYPES, SOURCE_KINDS, Assertion, Dropped, Extraction, Hedge, Link, Relation,
                    Source)
from .pipeline import extract

__all__ = ["RELATION_TYPES", "SOURCE_KINDS", "Assertion", "Dropped", "Extraction", "Hedge", "Link", "Relation",
           "Source", "extract"]
