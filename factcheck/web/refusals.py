"""The HTTP status of each refusal: the domain's refusals carry none, the web layer decides here."""

from __future__ import annotations

from factcheck.domain import workflow as wf
from factcheck.services.errors import ServiceError

#: Refusals that are not a conflict with the item's state (409, the default).
_STATUS: dict[type[wf.WorkflowError], int] = {
    wf.RoleRequired: 403,
    wf.NotAssignee: 403,
    wf.OwnVerdict: 403,
    wf.IncompleteVerdict: 422,
    wf.EvidencePolicyNotMet: 422,
    wf.ReasonRequired: 422,
    wf.CommentRequired: 422,
    wf.CorrectionRequired: 422,
    wf.NotAssignable: 422,
}


def status_for(exc: Exception) -> int:
    """403 for who may not, 422 for what is missing, 409 for the item's state, a service error's own."""
    if isinstance(exc, ServiceError):
        return exc.status_code
    for cls in type(exc).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 409
