"""Run rules over series of outcomes: k of the last n, n in a row on one side (R-KPI-8, R-SLA-8)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import govkit.kpi
import govkit.runs
from govkit.errors import InvalidDefinitionError
from govkit.runs import RunRule, RunVerdict, SideRun


def test_run_rules_are_re_exported_by_kpi() -> None:
    """govkit.kpi re-exports the very same RunRule, SideRun and RunVerdict."""
    assert govkit.kpi.RunRule is govkit.runs.RunRule
    assert govkit.kpi.SideRun is govkit.runs.SideRun
    assert govkit.kpi.RunVerdict is govkit.runs.RunVerdict


# -- RunRule -------------------------------------------------------------------------------


def test_three_in_a_row_fires() -> None:
    """R-KPI-8: three consecutive misses fire RunRule(3, 3)."""
    verdict = RunRule(3, 3).evaluate([False, True, True, True])
    assert verdict == RunVerdict(
        fired=True,
        hits=3,
        window=(True, True, True),
        explanation="3 of the last 3 outcomes hit (rule: 3 of 3) -> fires",
    )


def test_a_break_in_the_run_does_not_fire() -> None:
    """Miss, miss, hit, miss is not three in a row."""
    verdict = RunRule(3, 3).evaluate([True, True, False, True])
    assert not verdict.fired
    assert verdict.hits == 2
    assert verdict.window == (True, False, True)


def test_only_the_last_n_count() -> None:
    """Older misses outside the window do not count."""
    assert not RunRule(3, 3).evaluate([True, True, True, False]).fired


def test_k_of_n() -> None:
    """Two of the last three fires RunRule(2, 3); one of three does not."""
    assert RunRule(2, 3).evaluate([True, False, True]).fired
    assert not RunRule(2, 3).evaluate([True, False, False]).fired


def test_a_short_series_never_fires() -> None:
    """Fewer outcomes than the window cannot fire, even if all are hits."""
    verdict = RunRule(2, 3).evaluate([True, True])
    assert not verdict.fired
    assert verdict.hits == 2
    assert "does not fire" in verdict.explanation


def test_any_iterable_of_outcomes() -> None:
    """Outcomes may come from a generator."""
    assert RunRule(3, 3).evaluate(value < 100 for value in [95, 97, 92]).fired


@pytest.mark.parametrize(("k", "n"), [(0, 3), (3, 0), (4, 3), (True, 3), (1.0, 3)])
def test_k_and_n_must_be_sensible(k: Any, n: Any) -> None:
    """k and n are whole numbers >= 1 with k <= n."""
    with pytest.raises(InvalidDefinitionError):
        RunRule(k, n)


@pytest.mark.parametrize("outcome", [1, 0, None, "yes"])
def test_outcomes_must_be_booleans(outcome: Any) -> None:
    """Outcomes are True or False; anything else is refused, naming its position."""
    with pytest.raises(InvalidDefinitionError) as caught:
        RunRule(1, 2).evaluate([True, outcome])
    assert caught.value.field == "outcomes[1]"


# -- SideRun -------------------------------------------------------------------------------


def test_three_quarters_below_target_fires() -> None:
    """R-KPI-8: three quarters in a row below a target of 100 fire SideRun(3, side="below")."""
    verdict = SideRun(3, side="below").evaluate(
        [Decimal(102), Decimal(95), Decimal("97.5"), Decimal(92)], center=100
    )
    assert verdict.fired
    assert verdict.window == (True, True, True)
    assert verdict.explanation == "last 3 values below 100 (rule: 3 in a row, below) -> fires"


def test_a_value_on_the_center_breaks_the_run() -> None:
    """A quarter exactly on target is not below it: the run is broken."""
    assert not SideRun(3, side="below").evaluate([95, 100, 92], center=100).fired


def test_side_above_ignores_runs_below() -> None:
    """A run below does not fire a rule watching for runs above."""
    assert not SideRun(3, side="above").evaluate([95, 97, 92], center=100).fired
    assert SideRun(3, side="above").evaluate([105, 101, 120], center=100).fired


def test_explanation_names_the_side_found_even_when_not_watched() -> None:
    """A run below under a rule watching above is explained as below, not firing."""
    verdict = SideRun(3, side="above").evaluate([95, 97, 92], center=100)
    assert (
        verdict.explanation == "last 3 values below 100 (rule: 3 in a row, above) -> does not fire"
    )


def test_side_either_fires_for_both() -> None:
    """The default side, either, fires for a run above and a run below."""
    rule = SideRun(3)
    assert rule.side == "either"
    assert rule.evaluate([105, 101, 120], center=100).fired
    assert rule.evaluate([95, 97, 92], center=100).fired
    assert not rule.evaluate([95, 107, 92], center=100).fired


def test_side_run_short_series_does_not_fire() -> None:
    """Two values cannot make a run of three."""
    assert not SideRun(3).evaluate([90, 91], center=100).fired


def test_unknown_side_is_refused() -> None:
    """A side other than above, below or either is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        SideRun(3, side="left")
    assert caught.value.field == "side"


def test_side_run_length_must_be_positive() -> None:
    """n must be at least 1."""
    with pytest.raises(InvalidDefinitionError):
        SideRun(0)
