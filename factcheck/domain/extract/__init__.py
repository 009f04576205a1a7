"""Article text -> assertions: who claimed what, through whom, hedged how (standard library only).

Use ``extract(text)``; the result's ``to_dict()`` is the JSON of DESIGN §4.
"""

from .model import Assertion, Dropped, Extraction, Link, Relation, Source
from .pipeline import extract

__all__ = ["Assertion", "Dropped", "Extraction", "Link", "Relation", "Source", "extract"]
