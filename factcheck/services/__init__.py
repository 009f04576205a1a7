"""Use cases. Each function takes a Session, does one thing, writes its audit event and flushes.

The caller (a web request or a CLI command) commits once, or rolls back on any error.
"""
