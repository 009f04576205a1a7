"""factcheck: a source-credibility fact-check workflow."""

__version__ = "0.1.0"
