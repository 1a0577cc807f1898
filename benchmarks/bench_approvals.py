"""Benchmark govkit.approvals: a 3-step request vs SpiffWorkflow, 100,000 in flight, JSON.

Run from the repository root::

    .venv/bin/python benchmarks/bench_approvals.py            # full run
    .venv/bin/python benchmarks/bench_approvals.py --quick    # fewer calls and requests
    .venv/bin/python benchmarks/bench_approvals.py --profile  # plus a cProfile of govkit

Method (the conventions of bench_calendar.py, helpers in _harness.py): every
call is timed on its own with ``time.perf_counter_ns`` after a warm-up; each
call gets a different request, drawn from a fixed-seed RNG; the rows compared
take turns in 50 rounds (10 with ``--quick``) so that drift in machine speed
hits them alike; the garbage collector is off while single calls are timed.
Medians and 90th percentiles are per call, in microseconds, harness included.

The request: a purchase of 500-150,000 by an employee of one of 10
departments, approved in three steps: the requester's department head
(``ByManager``: the nearest scope above the requester with a holder of the
role), finance and the CEO (``ByRole`` in ``company``). One timed call is the
whole life of a request: ``ApprovalRequest.submit`` and three ``approve``
calls, each of which checks the approver's authority (role, scope, amount
limit) in a role matrix of 1,000 users (see ``make_world``).

The peer is SpiffWorkflow (BPMN): the same three steps as three sequential
user tasks, parsed once from the BPMN text below with its ``BpmnParser`` (as a
host does at start-up). One timed call creates a ``BpmnWorkflow``, puts the
request's data in, and completes each user task with the approver's decision
(find the READY user task, add data, run it, ``do_engine_steps``). SpiffWorkflow
checks no authority: that part of govkit's work has no counterpart there (a
host would add it). Before timing, both are run on a sample and the approver
of each step is compared with the expected one; govkit is also shown to refuse
the wrong approvers. Without SpiffWorkflow its rows say "not installed".

Memory: the traced size (``tracemalloc``) of 100,000 in-flight requests
(10,000 with ``--quick``), each submitted and approved once (one signature,
waiting at step 2), and the number of ``transitions.Machine`` objects alive.
JSON: ``to_json`` and ``from_json`` with ``make_converter(definitions=[chain])``
over 2,000 such requests, checked to give back an equal request. The script
measures and prints; it never asserts. Results are described in
docs/performance.md.
"""

from __future__ import annotations

import gc
import linecache
import random
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from govkit.approvals import ApprovalChain, ApprovalRequest, ByManager, ByRole, Step
from govkit.errors import NotPermittedError
from govkit.roles import Assignment, Grant, Role, RoleMatrix
from govkit.serialization import from_json, make_converter, to_json

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Checks,
    Contender,
    Row,
    Stats,
    Timing,
    dist_version,
    govkit_row,
    harness_floor,
    needed,
    optional_import,
    parse_arguments,
    peer_row,
    print_environment,
    print_footer,
    print_lines,
    print_profile,
    print_rows,
    print_table,
    speed_probe,
    time_interleaved,
    wait_for_load,
    yes_no,
)

SEED = 20240601
TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime(2026, 11, 2, 9, 0, tzinfo=TZ)  # requests are submitted over 4 weeks
ROOT = "company"
DEPARTMENTS = 10
TEAMS_PER_DEPARTMENT = 4
USERS = 1_000
FINANCE_USERS = 5
SECOND_ROLE = 0.10  # share of users with a second role in their department
HEAD_LIMIT = 200_000  # the department heads' purchase limit; requests stay below it
ITEMS = ("laptop", "spectrometer", "office chairs", "server rack", "calibration service")
SUPPLIERS = ("Lenovo", "Shimadzu", "Steelcase", "Dell", "SGS")
STEPS = ("head", "finance", "ceo")  # step names in the chain, task ids in the BPMN
IN_FLIGHT = 100_000

LIFECYCLE_TARGET_US = 100
MIN_RATIO = 7
MEMORY_TARGET = 2 * 1024
JSON_TARGET_US = 50

spiff_parser: Any = optional_import("SpiffWorkflow.bpmn.parser")
spiff_bpmn: Any = optional_import("SpiffWorkflow.bpmn")
spiff_task: Any = optional_import("SpiffWorkflow.util.task")
spiff_serializer: Any = optional_import("SpiffWorkflow.bpmn.serializer")
SPIFF = "SpiffWorkflow"

# Three sequential user tasks in lanes named after the roles (a host would use
# the lanes to route each task; SpiffWorkflow itself does not check them).
SPIFF_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="purchase_definitions" targetNamespace="http://example.org/govkit-bench">
  <bpmn:process id="purchase_approval" isExecutable="true">
    <bpmn:laneSet id="roles">
      <bpmn:lane id="lane_head" name="department-head">
        <bpmn:flowNodeRef>head</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_finance" name="finance">
        <bpmn:flowNodeRef>finance</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_ceo" name="ceo">
        <bpmn:flowNodeRef>ceo</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="submitted"><bpmn:outgoing>to_head</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="to_head" sourceRef="submitted" targetRef="head"/>
    <bpmn:userTask id="head" name="Department head approves">
      <bpmn:incoming>to_head</bpmn:incoming><bpmn:outgoing>to_finance</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to_finance" sourceRef="head" targetRef="finance"/>
    <bpmn:userTask id="finance" name="Finance approves">
      <bpmn:incoming>to_finance</bpmn:incoming><bpmn:outgoing>to_ceo</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to_ceo" sourceRef="finance" targetRef="ceo"/>
    <bpmn:userTask id="ceo" name="CEO approves">
      <bpmn:incoming>to_ceo</bpmn:incoming><bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to_end" sourceRef="ceo" targetRef="approved"/>
    <bpmn:endEvent id="approved"><bpmn:incoming>to_end</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


# -- settings ---------------------------------------------------------------------------


@dataclass(kw_only=True)
class Settings(Timing):
    """``calls`` timed request lifecycles per row, and:"""

    in_flight: int  # requests built for the memory measurement
    json_sample: int  # distinct requests the JSON rows cycle over
    json_calls: int  # timed calls per JSON row
    spiff_memory: int  # in-flight SpiffWorkflow workflows measured (for information)
    check_sample: int  # requests run untimed to compare answers and refusals


FULL = Settings(
    calls=10_000,
    warmup=200,
    rounds=50,
    in_flight=IN_FLIGHT,
    json_sample=2_000,
    json_calls=10_000,
    spiff_memory=2_000,
    check_sample=500,
)
QUICK = Settings(
    calls=1_000,
    warmup=50,
    rounds=10,
    in_flight=10_000,
    json_sample=500,
    json_calls=1_000,
    spiff_memory=500,
    check_sample=100,
)

ROWS: list[Row] = []
MEMORY: list[tuple[str, str, str, str]] = []  # (measure, value, target, met?)
CHECKS = Checks()
NOTES: list[str] = []


def info_row(operation: str, stats: Stats) -> Row:
    """A govkit row for information: no target, no ratio."""
    return Row(operation, "govkit", stats, target="(info)")


def check(name: str, triples: Any, mine: str = "got") -> None:
    CHECKS.compare(name, triples, other="expected", mine=mine)


# -- the role matrix and the requests ----------------------------------------------------

ROLE_DEFS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("employee", ()),
    ("team-lead", ("employee",)),
    ("department-head", ("team-lead",)),
    ("buyer", ("employee",)),
    ("hr", ("employee",)),
    ("it-admin", ("employee",)),
    ("quality-inspector", ("employee",)),
    ("auditor", ()),
    ("finance-clerk", ("employee",)),
    ("finance", ("finance-clerk",)),
    ("ceo", ("employee",)),
)
SECOND_ROLES = ("buyer", "hr", "it-admin", "quality-inspector", "auditor")
GRANT_DEFS: tuple[tuple[str, str, str, int | None], ...] = (
    ("employee", "create", "purchase", None),
    ("employee", "create", "expense", None),
    ("employee", "create", "leave", None),
    ("employee", "read", "document", None),
    ("team-lead", "approve", "purchase", 10_000),
    ("team-lead", "approve", "expense", 5_000),
    ("team-lead", "approve", "leave", None),
    ("department-head", "approve", "purchase", HEAD_LIMIT),
    ("department-head", "approve", "expense", 50_000),
    ("buyer", "read", "purchase", None),
    ("buyer", "update", "purchase", None),
    ("hr", "approve", "leave", None),
    ("hr", "read", "personnel", None),
    ("it-admin", "update", "document", None),
    ("quality-inspector", "approve", "inspection", None),
    ("auditor", "read", "purchase", None),
    ("auditor", "read", "expense", None),
    ("auditor", "read", "document", None),
    ("finance-clerk", "read", "purchase", None),
    ("finance-clerk", "read", "expense", None),
    ("finance", "approve", "purchase", None),
    ("finance", "approve", "expense", None),
    ("ceo", "approve", "purchase", None),
    ("ceo", "approve", "expense", None),
)


@dataclass(frozen=True)
class Requester:
    user: str
    scope: str  # the requester's team
    head: str  # their department head: the one approver ByManager finds


@dataclass
class World:
    matrix: RoleMatrix
    requesters: list[Requester]
    heads: dict[str, str]  # department scope -> head
    finance: list[str]
    ceo: str
    outsiders: list[str]  # plain employees who approve nothing


def make_world(rng: random.Random) -> World:
    """1,000 users in 10 departments of 4 teams, heads, team leads, finance and a CEO.

    Every user is an employee of a team; each department has one head
    (assigned at the department) and each team one team lead; 5 finance
    users, 10 finance clerks and the CEO hold their roles company-wide; 10 %
    of users hold a second role (buyer, hr, ...) in their department.
    """
    roles = [Role(name, inherits=list(parents)) for name, parents in ROLE_DEFS]
    grants = [
        Grant(role, action, resource, limit=limit) for role, action, resource, limit in GRANT_DEFS
    ]
    departments = [f"{ROOT}/dept-{d:02d}" for d in range(DEPARTMENTS)]
    users = [f"u{i:04d}" for i in range(USERS)]
    team = {
        u: f"{departments[i % DEPARTMENTS]}/team-{(i // DEPARTMENTS) % TEAMS_PER_DEPARTMENT}"
        for i, u in enumerate(users)
    }
    assignments = [Assignment(u, "employee", team[u]) for u in users]
    free = users[:]
    rng.shuffle(free)

    def pick(where: str = "") -> str:
        """A user not picked before, from a team at or under ``where``."""
        user = next(u for u in free if team[u].startswith(where))
        free.remove(user)
        return user

    heads = {}
    for dept in departments:
        heads[dept] = pick(dept + "/")
        assignments.append(Assignment(heads[dept], "department-head", dept))
    for dept in departments:
        for t in range(TEAMS_PER_DEPARTMENT):
            scope = f"{dept}/team-{t}"
            assignments.append(Assignment(pick(scope), "team-lead", scope))
    finance = [pick() for _ in range(FINANCE_USERS)]
    assignments += [Assignment(u, "finance", ROOT) for u in finance]
    assignments += [Assignment(pick(), "finance-clerk", ROOT) for _ in range(10)]
    ceo = pick()
    assignments.append(Assignment(ceo, "ceo", ROOT))
    deciders = {*heads.values(), *finance, ceo}
    for u in rng.sample(users, round(USERS * SECOND_ROLE)):
        dept = team[u].rsplit("/", 1)[0]
        assignments.append(Assignment(u, rng.choice(SECOND_ROLES), dept))
    matrix = RoleMatrix(
        name="company", roles=roles, grants=grants, assignments=assignments, users=users
    )
    requesters = [
        Requester(u, team[u], heads[team[u].rsplit("/", 1)[0]]) for u in users if u not in deciders
    ]
    # Users who hold nothing but "employee" (and a second role for some): never approvers.
    leads = {a.user for a in assignments if a.role in {"team-lead", "finance-clerk"}}
    outsiders = [r.user for r in requesters if r.user not in leads]
    return World(matrix, requesters, heads, finance, ceo, outsiders)


def make_chain(*, by_manager: bool = True) -> ApprovalChain:
    """The 3-step purchase chain; step 1 by ByManager, or (variant) by ByRole at the requester."""
    head = ByManager("department-head") if by_manager else ByRole("department-head")
    return ApprovalChain(
        name="purchase-3" if by_manager else "purchase-3-byrole",
        resource="purchase",
        steps=[
            Step(name="head", approvers=head, meaning="needed and in budget"),
            Step(name="finance", approvers=ByRole("finance", scope=ROOT), meaning="budget checked"),
            Step(name="ceo", approvers=ByRole("ceo", scope=ROOT)),
        ],
    )


@dataclass(frozen=True)
class Case:
    """One request's inputs, prepared before timing (for both libraries)."""

    id: str
    requester: str
    scope: str
    amount: int
    subject: dict[str, Any]
    approvers: tuple[str, str, str]  # head, finance, ceo
    at: tuple[datetime, datetime, datetime, datetime]  # submitted, then each approval
    at_iso: tuple[str, str, str]  # the approvals' instants, for SpiffWorkflow's data


def make_cases(world: World, rng: random.Random, count: int, prefix: str) -> list[Case]:
    cases = []
    for i in range(count):
        req = rng.choice(world.requesters)
        submitted = FIRST_DAY + timedelta(days=rng.randrange(28), minutes=rng.randrange(540))
        moments = [submitted]
        for _ in STEPS:
            moments.append(moments[-1] + timedelta(minutes=rng.randint(5, 2 * 24 * 60)))
        subject = {
            "item": rng.choice(ITEMS),
            "quantity": rng.randint(1, 20),
            "supplier": rng.choice(SUPPLIERS),
        }
        cases.append(
            Case(
                id=f"{prefix}-{i:06d}",
                requester=req.user,
                scope=req.scope,
                amount=rng.randint(500, 150_000),
                subject=subject,
                approvers=(req.head, rng.choice(world.finance), world.ceo),
                at=(moments[0], moments[1], moments[2], moments[3]),
                at_iso=(moments[1].isoformat(), moments[2].isoformat(), moments[3].isoformat()),
            )
        )
    return cases


# -- the two contenders -------------------------------------------------------------------


def govkit_lifecycle(
    chain: ApprovalChain, matrix: RoleMatrix, outcomes: Counter[str]
) -> Callable[[Case], ApprovalRequest]:
    """Submit, then three approvals, each checked against the matrix; count the final state."""
    submit = ApprovalRequest.submit

    def run(case: Case) -> ApprovalRequest:
        at = case.at
        head, fin, ceo = case.approvers
        request, _ = submit(
            chain,
            id=case.id,
            requester=case.requester,
            scope=case.scope,
            amount=case.amount,
            subject=case.subject,
            at=at[0],
            matrix=matrix,
        )
        request, _ = request.approve(actor=head, at=at[1], matrix=matrix)
        request, _ = request.approve(actor=fin, at=at[2], matrix=matrix)
        request, _ = request.approve(actor=ceo, at=at[3], matrix=matrix)
        outcomes[request.state] += 1
        return request

    return run


def spiff_spec() -> Any:
    """The parsed BPMN process (once, as a host does at start-up), or None without Spiff."""
    if spiff_parser is None or spiff_bpmn is None or spiff_task is None:
        return None
    parser = spiff_parser.BpmnParser()
    parser.add_bpmn_str(SPIFF_BPMN.encode("utf-8"))
    return parser.get_spec("purchase_approval")


def spiff_start(spec: Any, case: Case) -> Any:
    """A new workflow with the request's data, run up to the first user task."""
    workflow = spiff_bpmn.BpmnWorkflow(spec)
    workflow.task_tree.data.update(
        id=case.id,
        requester=case.requester,
        scope=case.scope,
        amount=case.amount,
        subject=case.subject,
    )
    workflow.do_engine_steps()
    return workflow


def spiff_lifecycle(spec: Any, outcomes: Counter[str]) -> Callable[[Case], Any]:
    """Create a workflow and complete its three user tasks with the approvers' decisions."""
    ready = spiff_task.TaskState.READY

    def run(case: Case) -> Any:
        workflow = spiff_start(spec, case)
        for who, when in zip(case.approvers, case.at_iso, strict=True):
            (task,) = workflow.get_tasks(state=ready, manual=True)
            task.data[task.task_spec.bpmn_id] = {"by": who, "decision": "approve", "at": when}
            task.run()
            workflow.do_engine_steps()
        outcomes["completed" if workflow.is_completed() else "not completed"] += 1
        return workflow

    return run


def spiff_approve_first(spec: Any, case: Case) -> Any:
    """A workflow whose first user task is done: in flight, waiting for finance."""
    workflow = spiff_start(spec, case)
    (task,) = workflow.get_tasks(state=spiff_task.TaskState.READY, manual=True)
    task.data[task.task_spec.bpmn_id] = {
        "by": case.approvers[0],
        "decision": "approve",
        "at": case.at_iso[0],
    }
    task.run()
    workflow.do_engine_steps()
    return workflow


# -- checks before timing ---------------------------------------------------------------------


def refused(request: ApprovalRequest, actor: str, at: datetime, matrix: RoleMatrix) -> bool:
    """Whether ``actor`` approving ``request`` at ``at`` raises NotPermittedError."""
    try:
        request.approve(actor=actor, at=at, matrix=matrix)
    except NotPermittedError:
        return True
    return False


def check_answers(world: World, chain: ApprovalChain, spec: Any, cases: Sequence[Case]) -> None:
    """Who signed each step, and the final state, in both libraries; govkit's refusals."""
    matrix = world.matrix
    expected = [(c.id, ("approved", tuple(zip(STEPS, c.approvers, strict=True)))) for c in cases]
    run = govkit_lifecycle(chain, matrix, Counter())
    mine = []
    for case in cases:
        request = run(case)
        mine.append((request.state, tuple((s.step, s.actor) for s in request.signatures)))
    check(
        "govkit: final state and (step, signer) of every signature == approved by the "
        "expected head, finance user and CEO",
        ((cid, got, want) for (cid, want), got in zip(expected, mine, strict=True)),
        mine="govkit",
    )
    if spec is None:
        CHECKS.skipped(SPIFF)
    else:
        spiff_run = spiff_lifecycle(spec, Counter())
        theirs = []
        for case in cases:
            workflow = spiff_run(case)
            state = "approved" if workflow.is_completed() else "open"
            signed = tuple((step, workflow.data.get(step, {}).get("by")) for step in STEPS)
            theirs.append((state, signed))
        check(
            "SpiffWorkflow: workflow completed and the 'by' of each user task's data == the "
            "expected head, finance user and CEO",
            ((cid, got, want) for (cid, want), got in zip(expected, theirs, strict=True)),
            mine=SPIFF,
        )

    # The authority checks are real: the wrong people are refused at each step.
    submit = ApprovalRequest.submit
    heads = list(world.heads.values())
    refusals = []
    for i, case in enumerate(cases):
        at = case.at
        head, fin, _ = case.approvers
        first, _ = submit(
            chain,
            id=case.id,
            requester=case.requester,
            scope=case.scope,
            amount=case.amount,
            at=at[0],
            matrix=matrix,
        )
        too_much, _ = submit(
            chain,
            id=case.id,
            requester=case.requester,
            scope=case.scope,
            amount=HEAD_LIMIT + 1,
            at=at[0],
            matrix=matrix,
        )
        second, _ = first.approve(actor=head, at=at[1], matrix=matrix)
        other_head = heads[(heads.index(head) + 1 + i % (len(heads) - 1)) % len(heads)]
        outsiders = [u for u in world.outsiders[i % 50 :][:2] if u != case.requester]
        employee = outsiders[0]
        got = (
            refused(first, other_head, at[1], matrix),
            refused(first, fin, at[1], matrix),
            refused(too_much, head, at[1], matrix),
            refused(second, employee, at[2], matrix),
            refused(second, case.requester, at[2], matrix),
        )
        refusals.append((case.id, got, (True,) * 5))
    check(
        "govkit refuses (NotPermittedError) at step 1 another department's head, a finance "
        "user, the own head above the limit; at step 2 a plain employee and the requester",
        refusals,
        mine="govkit",
    )


# -- the benchmark groups ------------------------------------------------------------------------


def bench_lifecycle(settings: Settings, rng: random.Random, world: World, spec: Any) -> None:
    """Target 1: submit plus three approvals, vs SpiffWorkflow's 3-step BPMN run."""
    matrix = world.matrix
    chain = make_chain()
    variant = make_chain(by_manager=False)
    check_answers(world, chain, spec, make_cases(world, rng, settings.check_sample, "CHK"))

    cases = make_cases(world, rng, needed(settings), "PO-2026")
    inputs = [(c,) for c in cases]
    gk_outcomes: Counter[str] = Counter()
    variant_outcomes: Counter[str] = Counter()
    spiff_outcomes: Counter[str] = Counter()

    # The steps of the lifecycle on their own: requests prepared up to each step.
    submit = ApprovalRequest.submit

    def submit_only(case: Case) -> tuple[ApprovalRequest, Any]:
        return submit(
            chain,
            id=case.id,
            requester=case.requester,
            scope=case.scope,
            amount=case.amount,
            subject=case.subject,
            at=case.at[0],
            matrix=matrix,
        )

    def approve(request: ApprovalRequest, actor: str, at: datetime) -> object:
        return request.approve(actor=actor, at=at, matrix=matrix)

    stages: list[list[tuple[Any, ...]]] = [[], [], []]
    for case in cases:
        request, _ = submit_only(case)
        for k in range(3):
            stages[k].append((request, case.approvers[k], case.at[k + 1]))
            request, _ = request.approve(actor=case.approvers[k], at=case.at[k + 1], matrix=matrix)

    contenders = [Contender(govkit_lifecycle(chain, matrix, gk_outcomes), inputs)]
    if spec is not None:
        contenders.append(Contender(spiff_lifecycle(spec, spiff_outcomes), inputs))
    contenders += [
        Contender(submit_only, inputs),
        *(Contender(approve, stage) for stage in stages),
        Contender(govkit_lifecycle(variant, matrix, variant_outcomes), inputs),
    ]
    stats = time_interleaved(contenders, settings)
    del stages
    gk = stats.pop(0)
    spiff = stats.pop(0) if spec is not None else None
    op = "submit + 3 approvals (authority checked in the matrix)"
    ROWS.append(
        govkit_row(
            f"{op}: head by ByManager, finance, CEO",
            gk,
            target_us=LIFECYCLE_TARGET_US,
        )
    )
    ROWS.append(
        peer_row(
            "BpmnWorkflow(spec) + 3 user tasks completed with data (no authority check)",
            SPIFF,
            spiff,
            gk,
            min_ratio=MIN_RATIO,
        )
    )
    labels = [
        "  of which submit(...)",
        "  of which approve #1, department head (ByManager + matrix.check)",
        "  of which approve #2, finance (ByRole in company + matrix.check)",
        "  of which approve #3, CEO (ByRole in company) -> approved",
        f"{op}: head by ByRole (no manager walk)",
    ]
    for label, st in zip(labels, stats, strict=True):
        ROWS.append(info_row(label, st))
    for name, counts, label in (
        ("govkit", gk_outcomes, "approved"),
        ("govkit, head by ByRole", variant_outcomes, "approved"),
        (SPIFF, spiff_outcomes, "completed"),
    ):
        if name == SPIFF and spec is None:
            continue
        total = sum(counts.values())
        check(
            f"{name}: the timed runs (warm-up included) that ended {label!r}: "
            f"{counts[label]:,} of {total:,}",
            [("timed runs", counts[label], total)],
            mine=name,
        )
    NOTES.append(
        f"{len(cases):,} requests (warm-up included), each timed once per row: amounts "
        f"500-150,000, submitted over 4 weeks from {FIRST_DAY.date()}, each approval 5 min - "
        f"2 days after the previous step; the rows 'of which' time each operation on "
        f"requests prepared up to that step"
    )


def machines() -> int:
    from transitions import Machine

    return sum(isinstance(o, Machine) for o in gc.get_objects())


def build_in_flight(
    world: World, chain: ApprovalChain, picks: Sequence[tuple[int, int, int, int]]
) -> list[ApprovalRequest]:
    """Submit and approve once (by the head) one request per pick; keep only the requests.

    Everything a request holds is made here (ids, instants, subjects, the
    Decimal amount), so tracemalloc counts it, except the user names and
    scopes: they are the matrix's strings, shared by every request.
    """
    matrix = world.matrix
    requesters = world.requesters
    submit = ApprovalRequest.submit
    out = []
    for i, (who, minutes, gap, amount) in enumerate(picks):
        req = requesters[who]
        at = FIRST_DAY + timedelta(minutes=minutes)
        subject = {
            "item": ITEMS[i % len(ITEMS)],
            "quantity": i % 20 + 1,
            "supplier": SUPPLIERS[i % len(SUPPLIERS)],
        }
        request, _ = submit(
            chain,
            id=f"PO-2026-{i:06d}",
            requester=req.user,
            scope=req.scope,
            amount=amount,
            subject=subject,
            at=at,
            matrix=matrix,
        )
        request, _ = request.approve(actor=req.head, at=at + timedelta(minutes=gap), matrix=matrix)
        out.append(request)
    return out


def remember_sources() -> None:
    """Read govkit's sources now: the memory rows then quote the code that ran, not a later edit."""
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.startswith("govkit") and path:
            linecache.getlines(path)


def traced(build: Callable[[], list[Any]]) -> tuple[list[Any], int, Any]:
    """What ``build`` returns, the traced bytes it left alive, and a snapshot."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    built = build()
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    return built, used, snapshot


def bench_memory(
    settings: Settings, rng: random.Random, world: World, spec: Any
) -> list[ApprovalRequest]:
    """Target 2: the traced size of an in-flight request, and no Machine per request."""
    from govkit.approvals import _request

    chain = make_chain()
    n = settings.in_flight
    picks = [
        (
            rng.randrange(len(world.requesters)),
            rng.randrange(28 * 24 * 60),
            rng.randint(5, 2 * 24 * 60),
            rng.randint(500, 150_000),
        )
        for _ in range(n)
    ]
    build_in_flight(world, chain, picks[:1000])  # warm every lazy cache first
    machines_before = machines()
    requests, used, snapshot = traced(lambda: build_in_flight(world, chain, picks))
    per_request = used / n
    MEMORY.append(
        (
            f"in-flight request (submitted, approved once: 1 signature, at step 2): traced "
            f"bytes / request, {n:,} requests (chain and matrix built before tracing)",
            f"{per_request:,.0f} B",
            f"<= {MEMORY_TARGET:,} B",
            yes_no(per_request <= MEMORY_TARGET),
        )
    )
    for stat in snapshot.statistics("lineno")[:6]:
        frame = stat.traceback[0]
        where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        text = linecache.getline(frame.filename, frame.lineno).strip()
        MEMORY.append((f"  of which {where}: {text}", f"{stat.size / n:,.0f} B", "", ""))
    del snapshot
    states = Counter((r.state, r.step, len(r.signatures)) for r in requests)
    check(
        "in-flight requests: (state, step index, signatures) == ('pending', 1, 1)",
        [("all", dict(states), {("pending", 1, 1): n})],
    )

    after = machines()
    info = _request._machine.cache_info()
    versions = 2  # make_chain() and make_chain(by_manager=False) were both run by now
    MEMORY.append(
        (
            f"transitions.Machine objects alive (gc.get_objects): before the requests "
            f"{machines_before}; after {n:,} in-flight requests and every timed lifecycle "
            f"({versions} chain versions in use)",
            f"{after}",
            f"<= {versions} (one per chain version), none per request",
            yes_no(after <= versions),
        )
    )
    MEMORY.append(
        (
            "govkit.approvals._request._machine.cache_info()",
            f"misses={info.misses}, currsize={info.currsize}",
            "(info)",
            "",
        )
    )
    MEMORY.append(
        (
            "ApprovalRequest instances have a __dict__ (a place to hang a Machine on)",
            yes_no(hasattr(requests[0], "__dict__")).lower(),
            "no (__slots__)",
            yes_no(not hasattr(requests[0], "__dict__")),
        )
    )
    if spec is None:
        MEMORY.append((f"{SPIFF} in-flight workflow", "not installed", "(info)", ""))
        return requests
    m = settings.spiff_memory
    spiff_cases = make_cases(world, rng, m, "SPIFF")
    spiff_approve_first(spec, spiff_cases[0])
    workflows, used, _ = traced(lambda: [spiff_approve_first(spec, c) for c in spiff_cases])
    MEMORY.append(
        (
            f"{SPIFF} in-flight workflow (first user task done), {m:,} workflows, spec "
            f"parsed before tracing",
            f"{used / m:,.0f} B",
            "(info)",
            "",
        )
    )
    SPIFF_IN_FLIGHT.extend(workflows)
    return requests


SPIFF_IN_FLIGHT: list[Any] = []  # kept from bench_memory for the JSON rows


def bench_json(settings: Settings, world: World, requests: Sequence[ApprovalRequest]) -> None:
    """Target 3: to_json then from_json of an in-flight request; equal after the round trip."""
    chain = requests[0].chain
    conv = make_converter(definitions=[chain])
    sample = list(requests[: settings.json_sample])
    texts = [to_json(r, converter=conv) for r in sample]
    check(
        "from_json(to_json(request)) == request, in-flight requests",
        (
            (r.id, from_json(t, ApprovalRequest, converter=conv) == r, True)
            for r, t in zip(sample, texts, strict=True)
        ),
    )
    run = govkit_lifecycle(chain, world.matrix, Counter())
    done = [run(c) for c in make_cases(world, random.Random(SEED + 1), len(sample), "DONE")]
    done_texts = [to_json(r, converter=conv) for r in done]
    check(
        "from_json(to_json(request)) == request, approved requests (3 signatures)",
        (
            (r.id, from_json(t, ApprovalRequest, converter=conv) == r, True)
            for r, t in zip(done, done_texts, strict=True)
        ),
    )
    sizes = sorted(len(t.encode("utf-8")) for t in texts)
    done_sizes = sorted(len(t.encode("utf-8")) for t in done_texts)
    NOTES.append(
        f"JSON: {len(sample):,} in-flight requests, median {sizes[len(sizes) // 2]:,} bytes "
        f"of JSON; approved requests median {done_sizes[len(done_sizes) // 2]:,} bytes; "
        f"each row cycles over its sample"
    )

    def round_trip(request: ApprovalRequest) -> object:
        return from_json(to_json(request, converter=conv), ApprovalRequest, converter=conv)

    def out(request: ApprovalRequest) -> object:
        return to_json(request, converter=conv)

    def back(text: str) -> object:
        return from_json(text, ApprovalRequest, converter=conv)

    total = settings.json_calls + settings.warmup

    def cycle(items: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [(items[i % len(items)],) for i in range(total)]

    json_settings = Timing(
        calls=settings.json_calls, warmup=settings.warmup, rounds=settings.rounds
    )
    contenders = [
        Contender(round_trip, cycle(sample)),
        Contender(out, cycle(sample)),
        Contender(back, cycle(texts)),
        Contender(round_trip, cycle(done)),
    ]
    workflows = SPIFF_IN_FLIGHT[: len(sample)]
    serializer = None
    if workflows and spiff_serializer is not None:
        serializer = spiff_serializer.BpmnWorkflowSerializer()
        again = serializer.deserialize_json(serializer.serialize_json(workflows[0]))
        ready = spiff_task.TaskState.READY
        check(
            f"{SPIFF}: deserialize_json(serialize_json(workflow)) has the same data and waits "
            f"at the same user task (first workflow)",
            [
                (
                    "workflow 0",
                    (
                        again.last_task.data,
                        [t.task_spec.bpmn_id for t in again.get_tasks(state=ready, manual=True)],
                    ),
                    (
                        workflows[0].last_task.data,
                        [
                            t.task_spec.bpmn_id
                            for t in workflows[0].get_tasks(state=ready, manual=True)
                        ],
                    ),
                )
            ],
        )

        def spiff_round_trip(workflow: Any) -> object:
            return serializer.deserialize_json(serializer.serialize_json(workflow))

        # Its round trip takes ~1 ms: fewer calls, same rounds.
        few = max(json_settings.rounds * 4, len(workflows) // 2)
        contenders.append(Contender(spiff_round_trip, cycle(workflows)[: few + settings.warmup]))
    stats = time_interleaved(contenders, json_settings)
    op = "JSON: to_json + from_json"
    gk = stats[0]
    ROWS.append(
        govkit_row(f"{op} of an in-flight request (1 signature)", gk, target_us=JSON_TARGET_US)
    )
    ROWS.append(info_row("  of which to_json(request)", stats[1]))
    ROWS.append(info_row("  of which from_json(text, ApprovalRequest)", stats[2]))
    ROWS.append(info_row(f"{op} of an approved request (3 signatures)", stats[3]))
    ROWS.append(
        peer_row(
            "BpmnWorkflowSerializer serialize_json + deserialize_json, in-flight workflow",
            SPIFF,
            stats[4] if serializer is not None else None,
            gk,
            min_ratio=None,
        )
    )


# -- profile ------------------------------------------------------------------------------------


def profile(
    settings: Settings, rng: random.Random, world: World, requests: Sequence[ApprovalRequest]
) -> None:
    """cProfile of the govkit lifecycle and of the JSON round trip."""
    import cProfile

    chain = make_chain()
    cases = make_cases(world, rng, min(settings.calls, 2_000), "PROF")
    run = govkit_lifecycle(chain, world.matrix, Counter())
    conv = make_converter(definitions=[chain])
    sample = requests[: min(settings.json_sample, 2_000)]
    jobs: list[tuple[str, int, Callable[[], object]]] = [
        (
            "submit + 3 approvals (head by ByManager)",
            len(cases),
            lambda: [run(c) for c in cases],
        ),
        (
            "to_json + from_json of an in-flight request",
            len(sample),
            lambda: [
                from_json(to_json(r, converter=conv), ApprovalRequest, converter=conv)
                for r in sample
            ],
        ),
    ]
    print("cProfile (its own overhead inflates every entry; use it for proportions):")
    for label, calls, job in jobs:
        job()  # warm
        profiler = cProfile.Profile()
        profiler.runcall(job)
        print(f"== {calls:,} x {label}")
        print_profile(profiler, calls, top=10)


# -- main ---------------------------------------------------------------------------------------


def describe(world: World) -> str:
    matrix = world.matrix
    return (
        f"{USERS:,} users in {DEPARTMENTS} departments of {TEAMS_PER_DEPARTMENT} teams; "
        f"{len(matrix.roles)} roles, {len(matrix.grants)} grants, "
        f"{len(matrix.assignments):,} assignments: every user an employee of a team, one "
        f"department head per department (at the department), one team lead per team, "
        f"{len(world.finance)} finance users and the CEO company-wide, "
        f"{SECOND_ROLE:.0%} of users a second role; department heads may approve "
        f"purchases up to {HEAD_LIMIT:,}; {len(world.requesters):,} requesters"
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_arguments(
        __doc__,
        argv,
        quick="fewer calls and in-flight requests (smoke run)",
        profile="also print a cProfile of the govkit lifecycle and JSON round trip",
    )
    settings = QUICK if args.quick else FULL
    remember_sources()

    load = wait_for_load(args.max_load)
    started = time.perf_counter()
    rng = random.Random(SEED)
    print_environment(
        "govkit.approvals benchmark", ("govkit", "transitions", "attrs", "cattrs", SPIFF)
    )
    world = make_world(rng)
    spec = spiff_spec()
    print(f"matrix    {describe(world)}")
    print(
        "chain     purchase-3: head = ByManager('department-head'), finance = "
        "ByRole('finance', scope='company'), ceo = ByRole('ceo', scope='company'); "
        "AnyOf each, action 'approve' on 'purchase'"
    )
    if spec is None:
        print(f"{SPIFF:9} not installed")
    else:
        print(
            f"{SPIFF:9} {dist_version(SPIFF)}: BpmnParser, one process of three sequential "
            f"user tasks in lanes named after the roles, parsed once; BpmnWorkflow per request"
        )
    floor = harness_floor(settings)
    print(
        f"mode      {'--quick' if args.quick else 'full'}: {settings.calls:,} timed calls per "
        f"lifecycle row in {settings.rounds} interleaved rounds, {settings.warmup} warm-up "
        f"calls; {settings.in_flight:,} in-flight requests; {settings.json_calls:,} calls per "
        f"JSON row over {settings.json_sample:,} requests"
    )
    print(load)
    print(f"speed probe (fixed 100k-iteration Python loop) at start: {speed_probe()}")
    print(
        f"harness floor (timing a no-op call): median {floor.median_us:.3f} us, "
        f"p90 {floor.p90_us:.3f} us; included in every number below"
    )
    print()

    bench_lifecycle(settings, rng, world, spec)
    requests = bench_memory(settings, rng, world, spec)
    bench_json(settings, world, requests)

    print_lines("Checks (before timing, and of what the timed runs returned):", CHECKS)
    print_lines("Inputs:", NOTES)
    print_rows(ROWS)
    print()
    print_table(("memory", "value", "target", "met?"), MEMORY, {1})
    print()
    print(
        "ratio vs govkit = peer median / govkit median on the same requests (the govkit "
        "row above it)."
    )
    print_footer(ROWS, started)
    if args.profile:
        print()
        profile(settings, rng, world, requests)


if __name__ == "__main__":
    main()
