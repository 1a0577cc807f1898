r"""Retention: how long records are kept, what happens after, and the files themselves.

A :class:`RetentionSchedule` is a versioned set of :class:`RecordClass`\ es
(period, trigger, cutoff, action, lock, access roles, flags, naming rule).
``schedule.evaluate(record, at=..., holds=...)`` returns a
:class:`RetentionDecision` that says whether a :class:`Record` is kept, on
hold, waiting for its trigger event, or due, until when, and why (R-RET-1,
R-RET-2); ``evaluate_many`` does the same for millions of records. A due
record goes through a :class:`Disposition` that ends in a
:class:`DestructionCertificate`.

A :class:`NamingRule` checks and builds file names such as
``complaint number-department-date`` (R-RET-3). A :class:`RedactionRule`
desensitizes a report before release and returns a :class:`Redaction` that
records what was masked (R-RET-6). :func:`sample_for_audit` draws a quarter's
audit sample reproducibly (R-RET-8).

>>> from datetime import date
>>> rule = NamingRule("{complaint_no}-{dept}-{date:%Y%m%d}",
...                   patterns={"complaint_no": r"C-\d{4}-\d{4}", "dept": "[a-z]+"})
>>> rule.format(complaint_no="C-2026-1123", dept="complaints", date=date(2026, 11, 23))
'C-2026-1123-complaints-20261123'
>>> rule.validate("C-2026-1123-complaints-2026113")
Traceback (most recent call last):
  ...
govkit.errors.InvalidDefinitionError: date: expected %Y%m%d such as 20261123, got '2026113'
"""

from govkit.retention._class import Action, Cutoff, LockMode, RecordClass
from govkit.retention._decision import ClassOutcome, RetentionDecision, RetentionStatus
from govkit.retention._disposition import DestructionCertificate, Disposition
from govkit.retention._naming import NamingRule
from govkit.retention._record import LegalHold, Record, RetentionLock
from govkit.retention._redaction import Redaction, RedactionRule
from govkit.retention._sampling import AuditSample, quarter_seed, sample_for_audit
from govkit.retention._schedule import RetentionSchedule

__all__ = [
    "Action",
    "AuditSample",
    "ClassOutcome",
    "Cutoff",
    "DestructionCertificate",
    "Disposition",
    "LegalHold",
    "LockMode",
    "NamingRule",
    "Record",
    "RecordClass",
    "Redaction",
    "RedactionRule",
    "RetentionDecision",
    "RetentionLock",
    "RetentionSchedule",
    "RetentionStatus",
    "quarter_seed",
    "sample_for_audit",
]
