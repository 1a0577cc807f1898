"""Precedence between record classes, after Microsoft Purview's principles of retention.

1. Retention wins over deletion. 2. The longest retention wins. 3. For the
deletion, explicit inclusion (a label) beats implicit (policies), and a scoped
policy beats an organisation-wide one. 4. Then the shortest deletion wins.
The vectors are Purview's documented examples, with a record created on
2020-01-01 in department ``finance``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govkit.calendar import Period
from govkit.errors import InvalidDefinitionError, UnknownNameError
from govkit.retention import (
    Action,
    RecordClass,
    RetentionDecision,
    RetentionStatus,
)

from ._strategies import NAMES, record_classes
from ._world import day, record, schedule, utc

FAST = settings(max_examples=40, deadline=None)
FINANCE = {"dept": "finance"}
ORG_WIDE: dict[str, str] = {}


def policy(name: str, years: int, *, scoped: bool = False, **kwargs: Any) -> RecordClass:
    """A retention policy: scoped to the finance department, or organisation-wide."""
    return RecordClass(
        name, Period(years=years), applies_to=FINANCE if scoped else ORG_WIDE, **kwargs
    )


def label(name: str, years: int, **kwargs: Any) -> RecordClass:
    """A retention label: applies to the records that name it."""
    return RecordClass(name, Period(years=years), **kwargs)


@attrs.frozen
class Vector:
    """One documented example: the classes, the labels the record carries, the outcome."""

    title: str
    classes: tuple[RecordClass, ...]
    labels: tuple[str, ...]
    keep_until: date | None
    dispose_after: date
    action: Action
    governing_class: str
    disposal_class: str | None


VECTORS = [
    Vector(
        "policy deletes after 3 years + label retains 5 years -> retained 5 years, then deleted",
        (policy("delete-3y", 3, retain=False), label("retain-5y", 5, action="none")),
        ("retain-5y",),
        keep_until=day(2025, 1, 1),
        dispose_after=day(2025, 1, 1),
        action=Action.DESTROY,
        governing_class="retain-5y",
        disposal_class="delete-3y",
    ),
    Vector(
        "policies delete after 5 and 10 years + label deletes after 7 -> deleted after 7",
        (
            policy("delete-5y", 5, retain=False),
            policy("delete-10y", 10, retain=False),
            label("delete-7y", 7, retain=False),
        ),
        ("delete-7y",),
        keep_until=None,
        dispose_after=day(2027, 1, 1),
        action=Action.DESTROY,
        governing_class="delete-7y",
        disposal_class="delete-7y",
    ),
    Vector(
        "unscoped policy deletes after 10, scoped policy after 5 -> deleted after 5",
        (policy("org-10y", 10, retain=False), policy("finance-5y", 5, scoped=True, retain=False)),
        (),
        keep_until=None,
        dispose_after=day(2025, 1, 1),
        action=Action.DESTROY,
        governing_class="finance-5y",
        disposal_class="finance-5y",
    ),
    Vector(
        "unscoped policy deletes after 5, scoped policy after 10 -> deleted after 10 (scoped wins)",
        (policy("org-5y", 5, retain=False), policy("finance-10y", 10, scoped=True, retain=False)),
        (),
        keep_until=None,
        dispose_after=day(2030, 1, 1),
        action=Action.DESTROY,
        governing_class="finance-10y",
        disposal_class="finance-10y",
    ),
    Vector(
        "two scoped policies delete after 10 and 7 -> deleted after 7 (shortest wins)",
        (
            policy("finance-10y", 10, scoped=True, retain=False),
            policy("finance-7y", 7, scoped=True, retain=False),
        ),
        (),
        keep_until=None,
        dispose_after=day(2027, 1, 1),
        action=Action.DESTROY,
        governing_class="finance-7y",
        disposal_class="finance-7y",
    ),
    Vector(
        "delete-only 5y policy + retain-and-delete 3y policy + retain-only 7y label"
        " -> retained 7 years, then deleted",
        (
            policy("delete-5y", 5, retain=False),
            policy("retain-delete-3y", 3),
            label("retain-7y", 7, action="none"),
        ),
        ("retain-7y",),
        keep_until=day(2027, 1, 1),
        dispose_after=day(2027, 1, 1),
        action=Action.DESTROY,
        governing_class="retain-7y",
        disposal_class="retain-delete-3y",
    ),
    Vector(
        "org-wide delete-only 10y + scoped retain-and-delete 5y + label retain-and-delete 3y"
        " -> retained 5 years, then deleted by the label's action",
        (
            policy("delete-10y", 10, retain=False),
            policy("finance-5y", 5, scoped=True),
            label("label-3y", 3),
        ),
        ("label-3y",),
        keep_until=day(2025, 1, 1),
        dispose_after=day(2025, 1, 1),
        action=Action.DESTROY,
        governing_class="finance-5y",
        disposal_class="label-3y",
    ),
    Vector(
        "the same, the label reviewing instead -> retained 5 years, then reviewed",
        (
            policy("delete-10y", 10, retain=False),
            policy("finance-5y", 5, scoped=True),
            label("label-3y", 3, action="review"),
        ),
        ("label-3y",),
        keep_until=day(2025, 1, 1),
        dispose_after=day(2025, 1, 1),
        action=Action.REVIEW,
        governing_class="finance-5y",
        disposal_class="label-3y",
    ),
    Vector(
        "retain-and-delete 5y policy + retain-only 7y label -> retained 7 years, then deleted",
        (policy("retain-delete-5y", 5), label("retain-7y", 7, action="none")),
        ("retain-7y",),
        keep_until=day(2027, 1, 1),
        dispose_after=day(2027, 1, 1),
        action=Action.DESTROY,
        governing_class="retain-7y",
        disposal_class="retain-delete-5y",
    ),
    Vector(
        "label deletes after 1 year + retain-only 10y policy -> retention wins: deleted after 10",
        (label("delete-1y", 1, retain=False), policy("retain-10y", 10, action="none")),
        ("delete-1y",),
        keep_until=day(2030, 1, 1),
        dispose_after=day(2030, 1, 1),
        action=Action.DESTROY,
        governing_class="retain-10y",
        disposal_class="delete-1y",
    ),
    Vector(
        "label archives after 3 years, policy retains 6 and destroys -> kept 6, then archived",
        (label("archive-3y", 3, action="archive"), policy("retain-destroy-6y", 6)),
        ("archive-3y",),
        keep_until=day(2026, 1, 1),
        dispose_after=day(2026, 1, 1),
        action=Action.ARCHIVE,
        governing_class="retain-destroy-6y",
        disposal_class="archive-3y",
    ),
    Vector(
        "retain-only policies of 3 and 8 years -> kept 8 years, then nothing to do",
        (
            policy("retain-3y", 3, action="none"),
            policy("finance-8y", 8, scoped=True, action="none"),
        ),
        (),
        keep_until=day(2028, 1, 1),
        dispose_after=day(2028, 1, 1),
        action=Action.NONE,
        governing_class="finance-8y",
        disposal_class=None,
    ),
    Vector(
        "a label outlasting its own deletion date: retain-and-delete 4y label + deletion-only 2y"
        " label -> kept 4 years, deleted by the shorter",
        (label("keep-4y", 4), label("delete-2y", 2, retain=False)),
        ("keep-4y", "delete-2y"),
        keep_until=day(2024, 1, 1),
        dispose_after=day(2024, 1, 1),
        action=Action.DESTROY,
        governing_class="keep-4y",
        disposal_class="delete-2y",
    ),
]


def decide(classes: Sequence[RecordClass], labels: Sequence[str], at: date) -> RetentionDecision:
    """The decision on a finance record of 2020-01-01 labelled ``labels``, at noon on ``at``."""
    rec = record("FIN-1", labels, metadata=FINANCE)
    return schedule(*classes).evaluate(rec, at=utc(at.year, at.month, at.day))


@pytest.mark.parametrize("vector", VECTORS, ids=[v.title for v in VECTORS])
def test_purview_examples(vector: Vector) -> None:
    """R-RET-1: Purview's documented precedence examples give the documented outcome."""
    decision = decide(vector.classes, vector.labels, date(2020, 6, 1))
    assert decision.status is RetentionStatus.RETAIN
    assert decision.keep_until == vector.keep_until
    assert decision.dispose_after == vector.dispose_after
    assert decision.action is vector.action
    assert decision.governing_class == vector.governing_class
    assert decision.disposal_class == vector.disposal_class
    # every vector's keep_until is also its dispose_after: the keeper governs
    assert decision.kept_by == (vector.governing_class if vector.keep_until else None)
    last = decide(vector.classes, vector.labels, vector.dispose_after)
    assert last.status is RetentionStatus.RETAIN
    after = decide(vector.classes, vector.labels, decision.due_on or date.max)
    expected = {
        Action.NONE: RetentionStatus.EXPIRED,
        Action.REVIEW: RetentionStatus.DUE_FOR_REVIEW,
    }.get(vector.action, RetentionStatus.DUE_FOR_DISPOSAL)
    assert after.status is expected


def test_kept_by_and_governing_class_differ_when_the_disposal_comes_later() -> None:
    """R-RET-1: kept 2 years by a policy, deleted after 5 by a label: each class is named."""
    classes = (policy("retain-2y", 2, action="none"), label("delete-5y", 5, retain=False))
    decision = decide(classes, ["delete-5y"], date(2020, 6, 1))
    assert (decision.keep_until, decision.kept_by) == (day(2022, 1, 1), "retain-2y")
    assert (decision.dispose_after, decision.governing_class) == (day(2025, 1, 1), "delete-5y")
    assert "('retain-2y' until 2022-01-01)" in decision.explain()


def test_kept_by_among_equal_retentions_is_the_best_included_then_the_first_by_name() -> None:
    """R-RET-1: of classes keeping to the same day, a label beats policies, then the name."""
    classes = (
        policy("a-org", 5),
        policy("b-scoped", 5, scoped=True),
        label("z-label", 5),
        label("m-label", 5),
    )
    labelled = decide(classes, ["z-label", "m-label"], date(2021, 1, 1))
    assert (labelled.keep_until, labelled.kept_by) == (day(2025, 1, 1), "m-label")
    assert (labelled.disposal_class, labelled.governing_class) == ("m-label", "m-label")
    policies_only = decide(classes, [], date(2021, 1, 1))
    assert (policies_only.keep_until, policies_only.kept_by) == (day(2025, 1, 1), "b-scoped")
    assert (policies_only.disposal_class, policies_only.governing_class) == (
        "b-scoped",
        "b-scoped",
    )
    reordered = decide(tuple(reversed(classes)), ["m-label", "z-label"], date(2021, 1, 1))
    assert reordered == labelled
    assert "('m-label' until 2025-01-01)" in labelled.explain()


def test_explicit_naming_makes_a_policy_a_label() -> None:
    """R-RET-1: a record naming a scoped policy is included explicitly, not through its metadata."""
    classes = (
        policy("finance-10y", 10, scoped=True, retain=False),
        policy("org-2y", 2, retain=False),
    )
    named = decide(classes, ["finance-10y"], date(2020, 6, 1))
    assert [(o.record_class, o.inclusion) for o in named.outcomes] == [
        ("finance-10y", "explicit"),
        ("org-2y", "org-wide"),
    ]
    assert named.dispose_after == day(2030, 1, 1)
    elsewhere = schedule(*classes).evaluate(
        record("HR-1", metadata={"dept": "hr"}), at=utc(2020, 6, 1)
    )
    assert [o.record_class for o in elsewhere.outcomes] == ["org-2y"]
    assert elsewhere.dispose_after == day(2022, 1, 1)


def test_scoped_policy_needs_every_key_to_match() -> None:
    """R-RET-1: a policy scoped on two keys reaches only records matching both."""
    two_keys = RecordClass(
        "finance-contracts", Period(years=9), applies_to={"dept": "finance", "kind": "contract"}
    )
    fallback = policy("org-1y", 1)
    both = record("A", metadata={"dept": "finance", "kind": "contract"})
    one = record("B", metadata={"dept": "finance", "kind": "invoice"})
    office = schedule(two_keys, fallback)
    assert office.evaluate(both, at=utc(2021, 1, 1)).keep_until == day(2029, 1, 1)
    assert office.evaluate(one, at=utc(2021, 1, 1)).keep_until == day(2021, 1, 1)


@pytest.mark.parametrize(
    ("b_action", "a_action", "action", "disposer"),
    [
        ("destroy", "review", "review", "a-class"),
        ("review", "destroy", "review", "b-class"),
        ("archive", "transfer", "transfer", "a-class"),
        ("destroy", "archive", "archive", "a-class"),
        ("transfer", "archive", "transfer", "b-class"),
        ("destroy", "destroy", "destroy", "a-class"),
    ],
)
def test_equal_disposal_dates_prefer_the_careful_action(
    b_action: str, a_action: str, action: str, disposer: str
) -> None:
    """R-RET-1: ties on the disposal date go review < transfer < archive < destroy, then name."""
    b_class = label("b-class", 3, action=b_action)
    a_class = label("a-class", 3, action=a_action)
    decision = decide([b_class, a_class], ["b-class", "a-class"], date(2021, 1, 1))
    assert decision.action is Action(action)
    assert decision.disposal_class == disposer


def test_no_class_applies_is_refused_and_unknown_label_raises() -> None:
    """R-RET-1: only scoped policies that miss, and no label: no rule applies; refused."""
    classes = [policy("finance-5y", 5, scoped=True)]
    with pytest.raises(InvalidDefinitionError):
        schedule(*classes).evaluate(record("HR-1", metadata={"dept": "hr"}), at=utc(2021, 1, 1))
    with pytest.raises(UnknownNameError):
        decide(classes, ["finance-6y"], date(2021, 1, 1))


# -- precedence as properties -------------------------------------------------------------------


@st.composite
def cases(
    draw: st.DrawFn, *, created_only: bool = False
) -> tuple[list[RecordClass], list[str], dict[str, str], dict[str, date]]:
    """Classes of a schedule, a record's labels, metadata and known events."""
    count = draw(st.integers(1, len(NAMES)))
    classes = [draw(record_classes(name, created_only=created_only)) for name in NAMES[:count]]
    labels = draw(st.lists(st.sampled_from(NAMES[:count]), unique=True, max_size=count))
    metadata = draw(st.sampled_from([{}, {"dept": "finance"}, {"dept": "hr"}]))
    events = draw(
        st.dictionaries(
            st.sampled_from(["closed", "signed"]),
            st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        )
    )
    return classes, labels, metadata, events


def applies(
    classes: Sequence[RecordClass], labels: Sequence[str], metadata: dict[str, str]
) -> bool:
    """Whether some class applies to the record (else evaluation refuses it)."""
    return bool(labels) or any(
        c.applies_to is not None and all(metadata.get(k) == v for k, v in c.applies_to.items())
        for c in classes
    )


@FAST
@given(
    case=cases(),
    data=st.data(),
    at=st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31)),
)
def test_decision_does_not_depend_on_order(
    case: tuple[list[RecordClass], list[str], dict[str, str], dict[str, date]],
    data: st.DataObject,
    at: date,
) -> None:
    """R-RET-1: permuting the record's labels or the schedule's classes changes nothing."""
    classes, labels, metadata, known = case
    assume(applies(classes, labels, metadata))
    waited_for = {c.event for c in classes}
    events = {name: when for name, when in known.items() if name in waited_for}
    rec = record("R", labels, metadata=metadata, events=events, modified=utc(2020, 7, 15))
    moment = utc(at.year, at.month, at.day)
    expected = schedule(*classes).evaluate(rec, at=moment)
    shuffled_classes = data.draw(st.permutations(classes))
    shuffled_labels = data.draw(st.permutations(labels))
    again = schedule(*shuffled_classes).evaluate(
        attrs.evolve(rec, classes=tuple(shuffled_labels)), at=moment
    )
    assert again == expected


def reference(
    classes: Sequence[RecordClass], labels: Sequence[str], metadata: dict[str, str]
) -> tuple[date | None, str | None, date | None, Action, str | None]:
    """Purview's principles, plainly: keep_until, kept_by, dispose_after, action, disposer."""
    created = date(2020, 1, 1)
    rank = {"explicit": 0, "scoped": 1, "org-wide": 2}
    careful = {Action.REVIEW: 0, Action.TRANSFER: 1, Action.ARCHIVE: 2, Action.DESTROY: 3}
    applying: list[tuple[RecordClass, str]] = []
    for c in classes:
        if c.name in labels:
            applying.append((c, "explicit"))
        elif c.applies_to == {}:
            applying.append((c, "org-wide"))
        elif c.applies_to and all(metadata.get(k) == v for k, v in c.applies_to.items()):
            applying.append((c, "scoped"))
    ends = {c.name: c.ends(created) for c, _ in applying}
    retaining = [ends[c.name] for c, _ in applying if c.retain]
    keep_until = max(retaining) if retaining else None
    keepers = [(rank[i], c.name) for c, i in applying if c.retain and ends[c.name] == keep_until]
    kept_by = min(keepers)[1] if keepers else None
    disposing = [(c, inclusion) for c, inclusion in applying if c.action is not Action.NONE]
    if not disposing:
        return keep_until, kept_by, keep_until, Action.NONE, None
    best = min(rank[inclusion] for _, inclusion in disposing)
    winner = min(
        (c for c, inclusion in disposing if rank[inclusion] == best),
        key=lambda c: (ends[c.name], careful[c.action], c.name),
    )
    dispose_after = max(ends[winner.name], keep_until or ends[winner.name])
    return keep_until, kept_by, dispose_after, winner.action, winner.name


@FAST
@given(case=cases(created_only=True))
def test_precedence_agrees_with_a_plain_reading_of_the_principles(
    case: tuple[list[RecordClass], list[str], dict[str, str], dict[str, date]],
) -> None:
    """R-RET-1: keep_until, kept_by, dispose_after, action and disposer follow the principles."""
    classes, labels, metadata, _ = case
    assume(applies(classes, labels, metadata))
    decision = schedule(*classes).evaluate(
        record("R", labels, metadata=metadata), at=utc(2020, 1, 2)
    )
    keep_until, kept_by, dispose_after, action, disposer = reference(classes, labels, metadata)
    assert decision.keep_until == keep_until
    assert decision.kept_by == kept_by
    assert decision.dispose_after == dispose_after
    assert decision.action is action
    assert decision.disposal_class == disposer
