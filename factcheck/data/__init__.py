"""Data shipped with factcheck (see README.md here for sources and licences)."""
