"""RACI matrices: who is Responsible, Accountable, Consulted and Informed (R-ROL-7)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from govkit.errors import InvalidDefinitionError, UnknownNameError

__all__ = ["RaciActivity", "RaciMatrix"]

_LETTERS = frozenset("RACI")


def _parties(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise InvalidDefinitionError(
            "parties", "a mapping of party -> letters ('R', 'A', …)", value
        )
    out = {}
    for party, letters in value.items():
        if not isinstance(party, str) or not party:
            raise InvalidDefinitionError("parties", "party names as text", party)
        text = letters.upper() if isinstance(letters, str) else ""
        if not text or not set(text) <= _LETTERS or len(set(text)) != len(text):
            raise InvalidDefinitionError(f"parties.{party}", "letters among R, A, C, I", letters)
        out[party] = "".join(sorted(text, key="RACI".index))
    return MappingProxyType(out)  # read-only: a frozen activity stays valid


@attrs.frozen(kw_only=True)
class RaciActivity:
    """One activity of a cross-department piece of work and who does what in it.

    Args:
        name: The activity, e.g. ``"investigate complaint"``.
        parties: Each party (a role or a department) with its letters, e.g.
            ``{"complaints": "A", "quality": "R", "legal": "C", "hr": "I"}``.
        interface: The interface person (接口人) who coordinates it, if named.

    Exactly one party is Accountable and at least one is Responsible.
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    parties: Mapping[str, str] = attrs.field(converter=_parties, hash=False)
    interface: str | None = None

    def __attrs_post_init__(self) -> None:
        accountable = [p for p, letters in self.parties.items() if "A" in letters]
        if len(accountable) != 1:
            raise InvalidDefinitionError(
                f"activities[{self.name}].parties", "exactly one Accountable party", accountable
            )
        if not any("R" in letters for letters in self.parties.values()):
            raise InvalidDefinitionError(
                f"activities[{self.name}].parties", "at least one Responsible party", self.parties
            )

    @property
    def lead(self) -> str:
        """The lead party (牵头部门): the one Accountable."""
        return next(p for p, letters in self.parties.items() if "A" in letters)

    @property
    def cooperating(self) -> tuple[str, ...]:
        """Cooperating parties (配合部门): Responsible or Consulted, other than the lead."""
        return tuple(
            p
            for p, letters in self.parties.items()
            if p != self.lead and ("R" in letters or "C" in letters)
        )

    def with_letter(self, letter: str) -> tuple[str, ...]:
        """The parties carrying ``letter`` (R, A, C or I)."""
        letter = letter.upper() if isinstance(letter, str) else letter
        if letter not in _LETTERS:
            raise InvalidDefinitionError("letter", "one of R, A, C, I", letter)
        return tuple(p for p, letters in self.parties.items() if letter in letters)


def _activities(value: object) -> tuple[RaciActivity, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise InvalidDefinitionError("activities", "a non-empty list of RaciActivity", value)
    names = set()
    for i, item in enumerate(value):
        if not isinstance(item, RaciActivity):
            raise InvalidDefinitionError(f"activities[{i}]", "a RaciActivity", item)
        if item.name in names:
            raise InvalidDefinitionError(f"activities[{i}].name", "a unique name", item.name)
        names.add(item.name)
    return tuple(value)


@attrs.frozen(kw_only=True)
class RaciMatrix:
    """Activities × parties with R/A/C/I letters (R-ROL-7).

    >>> raci = RaciMatrix(name="major complaint", activities=[
    ...     RaciActivity(name="investigate", interface="wang",
    ...                  parties={"complaints": "A", "quality": "R", "legal": "C", "hr": "I"})])
    >>> raci.activity("investigate").lead, raci.activity("investigate").cooperating
    ('complaints', ('quality', 'legal'))
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    activities: tuple[RaciActivity, ...] = attrs.field(converter=_activities)

    def activity(self, name: str) -> RaciActivity:
        """The activity called ``name``.

        Raises:
            UnknownNameError: there is none.
        """
        for activity in self.activities:
            if activity.name == name:
                return activity
        raise UnknownNameError("activity", name)

    def duties_of(self, party: str) -> dict[str, str]:
        """Each activity ``party`` takes part in, with its letters."""
        return {a.name: a.parties[party] for a in self.activities if party in a.parties}
