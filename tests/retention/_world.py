"""A small records office for the retention tests: its classes, schedule and role matrix.

Actors (all in scope ``org``):

* ``ann`` and ``bob``: records managers, who may approve disposals of every
  class of the office's schedule (``approve_disposal`` on the class name);
* ``lea``: legal counsel, who may approve disposals of contracts and
  approves in the disposal review chain;
* ``olga``: the retention officer, who holds ``bypass_governance`` on ``retention``;
* ``carl``: a clerk with no authority at all.

Times are in UTC unless said otherwise; schedules count days in the zone they name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from govkit.calendar import Period
from govkit.retention import Cutoff, LegalHold, Record, RecordClass, RetentionSchedule
from govkit.roles import Assignment, Grant, Role, RoleMatrix

UTC = ZoneInfo("UTC")
SH = ZoneInfo("Asia/Shanghai")
SCOPE = "org"


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """An instant in UTC (noon unless said otherwise)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def untyped(value: object) -> Any:
    """``value`` typed as Any: for passing what the signature forbids, to test runtime checks."""
    return value


# -- the office's record classes ------------------------------------------------------------

SIGNATURES = RecordClass(
    "signature-records",
    Period(years=5),
    lock="compliance",
    description="R-RET-1: electronic signature records of approvals, kept five years",
)
CONTRACTS = RecordClass(
    "contracts",
    Period(years=10),
    trigger="event:contract_end",
    action="archive",
    access_roles=["legal"],
    flags=["encrypted"],
    description="R-RET-2: archived encrypted, readable by legal only",
)
MINUTES = RecordClass(
    "minutes",
    Period(years=3),
    cutoff=Cutoff("quarter"),
    action="review",
    description="R-RET-4: minutes archived periodically, reviewed after three years",
)
PROJECT_DOCS = RecordClass(
    "project-docs",
    Period(years=10),
    trigger="event:acceptance",
    action="transfer",
    description="R-RET-10: project documents archived after acceptance",
)
REPORTS = RecordClass(
    "reports",
    Period(years=2),
    lock="governance",
    description="R-RET-5: monthly, quarterly and annual reports",
)
CUSTOMER_DATA = RecordClass(
    "customer-data",
    Period(years=3),
    action="none",
    flags=["encrypted"],
    applies_to={"contains": "customer-data"},
    description="R-RET-9: whatever holds customer information is kept encrypted",
)
CERTIFICATES = RecordClass(
    "destruction-certificates",
    Period(years=30),
    action="review",
    description="ISO 15489: the proof of each destruction is kept in its turn",
)

CLASSES = (SIGNATURES, CONTRACTS, MINUTES, PROJECT_DOCS, REPORTS, CUSTOMER_DATA, CERTIFICATES)
OFFICE = RetentionSchedule("office-records", 1, CLASSES, timezone="Asia/Shanghai")


def schedule(
    *classes: RecordClass, version: int = 1, timezone: str = "UTC", name: str = "test-schedule"
) -> RetentionSchedule:
    """A schedule of ``classes`` (in UTC unless said otherwise)."""
    return RetentionSchedule(name, version, classes, timezone=timezone)


def record(
    id: str = "R-1",
    classes: Iterable[str] = (),
    *,
    created: datetime | None = None,
    **kwargs: Any,
) -> Record:
    """A record created at noon UTC on 2020-01-01 unless said otherwise."""
    return Record(id, classes, created=created or utc(2020, 1, 1), **kwargs)


def hold(
    id: str = "H-1",
    *,
    placed: datetime | None = None,
    released: datetime | None = None,
    **kwargs: Any,
) -> LegalHold:
    """A legal hold for the matter ``case-7``, placed on 2021-01-01 unless said otherwise."""
    return LegalHold(id, "case-7", placed=placed or utc(2021, 1, 1), released=released, **kwargs)


def day(year: int, month: int, dom: int) -> date:
    """A calendar date (shorter to read in tables of vectors)."""
    return date(year, month, dom)


# -- the role matrix --------------------------------------------------------------------------

MATRIX = RoleMatrix(
    name="records-office",
    roles=[Role("records-manager"), Role("legal"), Role("retention-officer"), Role("clerk")],
    grants=[
        *(Grant("records-manager", "approve_disposal", c.name) for c in CLASSES),
        Grant("records-manager", "approve", "disposal"),
        Grant("legal", "approve_disposal", "contracts"),
        Grant("legal", "approve", "disposal"),
        Grant("retention-officer", "bypass_governance", "retention"),
    ],
    assignments=[
        Assignment("ann", "records-manager", SCOPE),
        Assignment("bob", "records-manager", SCOPE),
        Assignment("lea", "legal", SCOPE),
        Assignment("olga", "retention-officer", SCOPE),
        Assignment("carl", "clerk", SCOPE),
    ],
)
