"""Role matrices: who may do what, where and until when.

>>> from datetime import UTC, datetime
>>> matrix = RoleMatrix(
...     name="complaint-office",
...     roles=[Role("specialist"), Role("director", inherits=["specialist"]), Role("legal")],
...     grants=[Grant("director", "read", "contract-archive"),
...             Grant("legal", "read", "contract-archive")],
...     assignments=[Assignment("zhang", "director", "company"),
...                  Assignment("li", "specialist", "company/complaints")],
... )
>>> now = datetime(2026, 11, 23, 2, tzinfo=UTC)
>>> matrix.allows("zhang", "read", "contract-archive", scope="company/archive", at=now)
True
>>> decision = matrix.check("li", "read", "contract-archive", scope="company/complaints", at=now)
>>> print(decision.reason)  # doctest: +NORMALIZE_WHITESPACE
no grant of read contract-archive through li's roles here (specialist);
it is granted to director, legal
"""

from govkit.roles._decision import Decision, Permission
from govkit.roles._matrix import MatrixDiff, RoleMatrix
from govkit.roles._model import (
    Assignment,
    DynamicSeparation,
    Effect,
    Grant,
    Role,
    StaticSeparation,
)
from govkit.roles._raci import RaciActivity, RaciMatrix
from govkit.roles._review import AccessReview, Finding

__all__ = [
    "AccessReview",
    "Assignment",
    "Decision",
    "DynamicSeparation",
    "Effect",
    "Finding",
    "Grant",
    "MatrixDiff",
    "Permission",
    "RaciActivity",
    "RaciMatrix",
    "Role",
    "RoleMatrix",
    "StaticSeparation",
]
