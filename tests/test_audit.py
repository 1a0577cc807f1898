"""The hash-chained audit log: append, export, import and tamper detection."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.audit import GENESIS, AuditLog, Event
from govkit.errors import (
    AuditIntegrityError,
    DeserializationError,
    InvalidDefinitionError,
    NaiveDatetimeError,
)

T0 = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _log(n: int) -> AuditLog:
    log = AuditLog()
    for i in range(n):
        log.append(
            Event(
                actor=f"user-{i % 3}",
                action="complaint.step",
                subject="C-2026-017",
                at=T0 + timedelta(minutes=i),
                data={"step": i, "note": "已受理"},
            )
        )
    return log


def _tamper(text: str, index: int, change: dict[str, object]) -> str:
    lines = text.splitlines()
    entry = json.loads(lines[index])
    entry["event"].update(change)
    lines[index] = json.dumps(entry, ensure_ascii=False)
    return "\n".join(lines) + "\n"


def test_entries_chain_by_hash() -> None:
    """Each entry points at the previous entry's hash; the first at GENESIS."""
    log = _log(3)
    entries = log.entries
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert log.head == entries[-1].hash
    assert len({e.hash for e in entries}) == 3
    log.verify(expected_head=log.head)


def test_export_import_round_trip() -> None:
    """JSON lines export and import give the same entries and verify."""
    log = _log(5)
    text = log.to_jsonl()
    assert len(text.splitlines()) == 5
    again = AuditLog.from_jsonl(text)
    assert again.entries == log.entries
    assert again.head == log.head


def test_altered_entry_is_named() -> None:
    """Changing any field of one entry is reported at that entry as altered (R-RET-1 evidence)."""
    text = _log(5).to_jsonl()
    with pytest.raises(AuditIntegrityError) as caught:
        AuditLog.from_jsonl(_tamper(text, 2, {"actor": "mallory"}))
    assert caught.value.index == 2
    assert "altered" in caught.value.reason


def test_removed_entry_is_named() -> None:
    """Dropping an entry is reported at the position where the gap starts."""
    lines = _log(5).to_jsonl().splitlines()
    del lines[1]
    with pytest.raises(AuditIntegrityError) as caught:
        AuditLog.from_jsonl("\n".join(lines))
    assert caught.value.index == 1
    assert "removed" in caught.value.reason


def test_reordered_entries_are_named() -> None:
    """Swapping two entries is reported at the first swapped position."""
    lines = _log(5).to_jsonl().splitlines()
    lines[2], lines[3] = lines[3], lines[2]
    with pytest.raises(AuditIntegrityError) as caught:
        AuditLog.from_jsonl("\n".join(lines))
    assert caught.value.index == 2


def test_rehashed_forgery_still_breaks_chain() -> None:
    """An altered entry whose own hash is recomputed still breaks the next link."""
    log = _log(4)
    forged = list(log.entries)
    bad_event = attrs.evolve(forged[1].event, actor="mallory")
    rebuilt = AuditLog()
    rebuilt.append(forged[0].event)
    rebuilt.append(bad_event)
    forged[1] = rebuilt.entries[1]
    with pytest.raises(AuditIntegrityError) as caught:
        AuditLog(forged).verify()
    assert caught.value.index == 2


def test_truncation_detected_with_kept_head() -> None:
    """Cutting entries off the end is detected when the head hash was kept elsewhere."""
    log = _log(4)
    head = log.head
    short = AuditLog(log.entries[:3])
    short.verify()  # the log alone cannot tell
    with pytest.raises(AuditIntegrityError) as caught:
        short.verify(expected_head=head)
    assert caught.value.index == 3


def test_bad_line_is_a_deserialization_error() -> None:
    """A line that is not an entry is reported with its line number."""
    with pytest.raises(DeserializationError) as caught:
        AuditLog.from_jsonl('{"seq": 0}\n')
    assert all(e.path.startswith("line 1") for e in caught.value.errors)
    with pytest.raises(DeserializationError):
        AuditLog.from_jsonl("not json\n")


def test_event_refuses_naive_time_and_non_json_data() -> None:
    """Events need an aware instant and plain JSON data; the caller's dict is copied."""
    with pytest.raises(NaiveDatetimeError):
        Event(actor="li", action="x", subject="s", at=datetime(2026, 11, 23, 10))
    with pytest.raises(InvalidDefinitionError) as caught:
        Event(actor="li", action="x", subject="s", at=T0, data={"when": T0})
    assert caught.value.field == "data"
    data: dict[str, object] = {"n": 1}
    event = Event(actor="li", action="x", subject="s", at=T0, data=data)
    data["n"] = 2
    assert event.data == {"n": 1}


def test_append_refuses_non_events() -> None:
    """Only events go into the log; a refused append changes nothing."""
    log = _log(1)
    with pytest.raises(InvalidDefinitionError):
        log.append("not an event")  # type: ignore[arg-type]  # deliberately wrong type
    assert len(log) == 1
    log.verify()


@given(st.integers(min_value=1, max_value=12), st.data())
@settings(max_examples=50)
def test_any_single_alteration_is_caught(n: int, data: st.DataObject) -> None:
    """Whatever single entry is altered, verification fails exactly there."""
    text = _log(n).to_jsonl()
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    with pytest.raises(AuditIntegrityError) as caught:
        AuditLog.from_jsonl(_tamper(text, index, {"subject": "C-forged"}))
    assert caught.value.index == index
