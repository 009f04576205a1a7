"""Errors services raise besides the workflow's refusals."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class; the message is written for the person who caused it."""

    status_code = 400


class NotFound(ServiceError):
    """The thing asked for does not exist."""

    status_code = 404


class InvalidInput(ServiceError):
    """Input that cannot be used, with a message saying why."""

    status_code = 422


class Duplicate(ServiceError):
    """The thing already exists (an article ingested twice, an email taken)."""

    status_code = 409
