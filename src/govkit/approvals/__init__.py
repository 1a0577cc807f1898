"""Approval chains: multi-step sign-off with routing, votes, delegation and rounds.

An :class:`ApprovalChain` is policy: ordered :class:`Step` s, each naming its
approvers, a vote rule, an optional condition and time limit. An
:class:`ApprovalPolicy` picks a chain from the facts of a request. An
:class:`ApprovalRequest` is one request moving through its chain as frozen
snapshots; every decision is checked against a role matrix at the moment it
is made and leaves a :class:`SignatureRecord` (R-APV-3).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from govkit.roles import Assignment, Grant, Role, RoleMatrix
>>> matrix = RoleMatrix(
...     name="company", version=1,
...     roles=[Role("head"), Role("staff")],
...     grants=[Grant("head", "approve", "purchase", limit=50_000)],
...     assignments=[Assignment("wang", "head", "company/quality"),
...                  Assignment("li", "staff", "company/quality")],
... )
>>> chain = ApprovalChain(name="purchase", resource="purchase",
...                       steps=[Step(name="head", approvers=ByRole("head"))])
>>> at = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> request, _ = ApprovalRequest.submit(chain, id="PO-1", requester="li",
...     scope="company/quality", amount=8_000, at=at, matrix=matrix)
>>> request.pending_approvers(matrix, at)
('wang',)
>>> request, events = request.approve(actor="wang", at=at, matrix=matrix)
>>> request.state, [e.action for e in events]
('approved', ['approval.step_approved', 'approval.approved'])
"""

from govkit.approvals._approvers import Approvers, ByManager, ByRole, ByUser
from govkit.approvals._chain import BREACH_ACTIONS, ApprovalChain, OnBreach, Step
from govkit.approvals._policy import ApprovalPolicy, Route, RouteChoice
from govkit.approvals._records import Delegation, EmergencyAction, Round, SignatureRecord
from govkit.approvals._request import ApprovalRequest, ApprovalStatus
from govkit.approvals._rules import AllOf, AnyOf, Quorum, VoteRule

__all__ = [
    "BREACH_ACTIONS",
    "AllOf",
    "AnyOf",
    "ApprovalChain",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalStatus",
    "Approvers",
    "ByManager",
    "ByRole",
    "ByUser",
    "Delegation",
    "EmergencyAction",
    "OnBreach",
    "Quorum",
    "Round",
    "Route",
    "RouteChoice",
    "SignatureRecord",
    "Step",
    "VoteRule",
]
