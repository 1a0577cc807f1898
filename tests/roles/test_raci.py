"""RACI matrices (R-ROL-7): one Accountable lead, Responsible parties, an interface person."""

from __future__ import annotations

from typing import Any

import pytest

from govkit.errors import InvalidDefinitionError, UnknownNameError
from govkit.roles import RaciActivity, RaciMatrix

# R-ROL-7: handling a major complaint across departments (policies 001, 002, 003).
RACI = RaciMatrix(
    name="major complaint",
    activities=[
        RaciActivity(
            name="receive",
            parties={"complaints": "AR", "service": "I"},
            interface="wang",
        ),
        RaciActivity(
            name="investigate",
            parties={"complaints": "A", "quality": "R", "legal": "C", "hr": "I"},
            interface="wang",
        ),
        RaciActivity(
            name="rectify",
            parties={"quality": "A", "projects": "R", "resources": "R", "complaints": "CI"},
            interface="guo",
        ),
        RaciActivity(
            name="close",
            parties={"complaints": "A", "service": "R", "director": "I"},
        ),
    ],
)


def test_r_rol_7_lead_department_is_the_accountable_party() -> None:
    """R-ROL-7: the lead department (牵头部门) is the one Accountable party."""
    assert RACI.activity("investigate").lead == "complaints"
    assert RACI.activity("rectify").lead == "quality"


def test_r_rol_7_cooperating_departments_are_responsible_or_consulted() -> None:
    """R-ROL-7: cooperating departments (配合部门) are R or C parties other than the lead."""
    assert RACI.activity("investigate").cooperating == ("quality", "legal")
    assert RACI.activity("rectify").cooperating == ("projects", "resources", "complaints")
    assert RACI.activity("receive").cooperating == ()


def test_r_rol_7_interface_person() -> None:
    """R-ROL-7: each activity may name its interface person (接口人)."""
    assert RACI.activity("investigate").interface == "wang"
    assert RACI.activity("rectify").interface == "guo"
    assert RACI.activity("close").interface is None


def test_r_rol_7_parties_with_a_letter() -> None:
    """R-ROL-7: with_letter lists the parties carrying R, A, C or I, in the order given."""
    rectify = RACI.activity("rectify")
    assert rectify.with_letter("R") == ("projects", "resources")
    assert rectify.with_letter("A") == ("quality",)
    assert rectify.with_letter("C") == ("complaints",)
    assert rectify.with_letter("I") == ("complaints",)


def test_r_rol_7_duties_of_a_party_across_activities() -> None:
    """R-ROL-7: duties_of maps each activity a party takes part in to its letters."""
    assert RACI.duties_of("complaints") == {
        "receive": "RA",
        "investigate": "A",
        "rectify": "CI",
        "close": "A",
    }
    assert RACI.duties_of("legal") == {"investigate": "C"}
    assert RACI.duties_of("finance") == {}


def test_letters_are_normalized_to_raci_order_and_upper_case() -> None:
    """Letters given as "ar" or "IC" are stored upper case in R, A, C, I order."""
    activity = RaciActivity(name="x", parties={"a": "ar", "b": "IC", "c": "r"})
    assert dict(activity.parties) == {"a": "RA", "b": "CI", "c": "R"}


def test_unknown_activity_raises_unknown_name_error() -> None:
    """Asking for an activity the matrix does not have raises UnknownNameError."""
    with pytest.raises(UnknownNameError) as caught:
        RACI.activity("compensate")
    assert (caught.value.kind, caught.value.name) == ("activity", "compensate")


def test_with_letter_accepts_lower_case() -> None:
    """with_letter("r") reads like with_letter("R"), as letters in parties do."""
    assert RACI.activity("close").with_letter("r") == ("service",)


@pytest.mark.parametrize("letter", ["X", "", "RA", "x"])
def test_with_letter_needs_one_of_r_a_c_i(letter: str) -> None:
    """with_letter takes exactly one of R, A, C, I."""
    with pytest.raises(InvalidDefinitionError):
        RACI.activity("close").with_letter(letter)


@pytest.mark.parametrize(
    "parties",
    [
        {"quality": "R", "legal": "C"},  # no Accountable
        {"complaints": "A", "quality": "AR"},  # two Accountable
        {"complaints": "A", "legal": "C", "hr": "I"},  # no Responsible
    ],
)
def test_exactly_one_accountable_and_at_least_one_responsible(parties: dict[str, str]) -> None:
    """R-ROL-7: each activity has exactly one A and at least one R."""
    with pytest.raises(InvalidDefinitionError) as caught:
        RaciActivity(name="investigate", parties=parties)
    assert caught.value.field == "activities[investigate].parties"


@pytest.mark.parametrize(
    "parties",
    [
        {},
        {"complaints": "AX", "quality": "R"},
        {"complaints": "AA", "quality": "R"},
        {"complaints": "", "quality": "AR"},
        {"complaints": 1, "quality": "AR"},
        {"": "A", "quality": "R"},
        [("complaints", "A"), ("quality", "R")],
    ],
)
def test_malformed_parties_are_refused(parties: Any) -> None:
    """Parties map names to letters among R, A, C, I without repeats."""
    with pytest.raises(InvalidDefinitionError):
        RaciActivity(name="investigate", parties=parties)


@pytest.mark.parametrize(
    "activities",
    [
        [],
        "investigate",
        [RaciActivity(name="a", parties={"x": "AR"}), {"name": "b"}],
        [RaciActivity(name="a", parties={"x": "AR"}), RaciActivity(name="a", parties={"y": "AR"})],
    ],
)
def test_malformed_activity_lists_are_refused(activities: Any) -> None:
    """A RACI matrix needs a non-empty list of RaciActivity with unique names."""
    with pytest.raises(InvalidDefinitionError):
        RaciMatrix(name="m", activities=activities)
