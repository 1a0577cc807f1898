"""Approval policies: choose a chain from the facts of a request (R-APV-5, R-APV-7, R-APV-8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from govkit._facts import check_when, match_when
from govkit.approvals._chain import ApprovalChain
from govkit.approvals._checks import check_name
from govkit.errors import InvalidDefinitionError, UnknownNameError

__all__ = ["ApprovalPolicy", "Route", "RouteChoice"]


def _when(value: object) -> dict[str, Any]:
    return check_when(value, "when")


@attrs.frozen(kw_only=True)
class Route:
    """A chain and the facts that select it.

    Args:
        name: Unique within the policy, e.g. ``"above-50k"``.
        chain: The chain requests on this route follow.
        when: Conditions on the request's facts (``amount`` included); empty
            for a route used only as the default.
    """

    name: str = attrs.field(validator=check_name)
    chain: ApprovalChain = attrs.field(validator=attrs.validators.instance_of(ApprovalChain))
    when: Mapping[str, Any] = attrs.field(factory=dict, converter=_when, hash=False)


@attrs.frozen(kw_only=True)
class RouteChoice:
    """Which route a policy chose for a request, and why.

    Attributes:
        policy: The policy's name.
        policy_version: Its version.
        route: The chosen route's name.
        chain: The chosen chain's name.
        chain_version: Its version.
        matched: True when a route's conditions matched; False when the default applied.
        reasons: One line per route considered, in order.
    """

    policy: str
    policy_version: int
    route: str
    chain: str
    chain_version: int
    matched: bool
    reasons: tuple[str, ...]

    def explain(self) -> str:
        """The reasons as one readable paragraph."""
        head = f"policy {self.policy} v{self.policy_version} chose route {self.route!r} "
        head += f"(chain {self.chain} v{self.chain_version})"
        return head + ": " + "; ".join(self.reasons)


def _version(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError("version", "a whole number >= 1", value)


def _routes(value: object) -> tuple[Route, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise InvalidDefinitionError("routes", "a non-empty list of Route", value)
    return tuple(value)


@attrs.frozen(kw_only=True)
class ApprovalPolicy:
    """Routes tried in order; the first whose conditions hold wins, else the default.

    Args:
        name: e.g. ``"purchase-authority"``.
        version: Increases with every revision.
        routes: The routes, in the order they are tried.
        default: Name of the route used when no route's conditions match.
    """

    name: str = attrs.field(validator=check_name)
    version: int = attrs.field(default=1, validator=_version)
    routes: tuple[Route, ...] = attrs.field(converter=_routes)
    default: str = attrs.field()

    def __attrs_post_init__(self) -> None:
        names: set[str] = set()
        for i, route in enumerate(self.routes):
            if not isinstance(route, Route):
                raise InvalidDefinitionError(f"routes[{i}]", "a Route", route)
            if route.name in names:
                raise InvalidDefinitionError(f"routes[{i}].name", "a unique route name", route.name)
            names.add(route.name)
        if self.default not in names:
            raise InvalidDefinitionError(
                "default",
                f"the name of one of the routes ({', '.join(sorted(names))})",
                self.default,
            )

    def route(self, name: str) -> Route:
        """The route called ``name``.

        Raises:
            UnknownNameError: no route has that name.
        """
        for route in self.routes:
            if route.name == name:
                return route
        raise UnknownNameError("route", name)

    def chains(self) -> tuple[ApprovalChain, ...]:
        """Every chain the policy can route to (for :func:`~govkit.make_converter`)."""
        out: dict[tuple[str, int], ApprovalChain] = {}
        for route in self.routes:
            out.setdefault((route.chain.name, route.chain.version), route.chain)
        return tuple(out.values())

    def choose(self, facts: Mapping[str, Any]) -> RouteChoice:
        """Pick the route for a request's facts: first match wins, else the default."""
        reasons: list[str] = []
        chosen: Route | None = None
        matched = False
        for route in self.routes:
            if not route.when:
                continue
            matched, why = match_when(route.when, facts)
            if matched:
                reasons.append(f"route {route.name!r} matched: {' and '.join(why)}")
                chosen = route
                matched = True
                break
            reasons.append(f"route {route.name!r} did not match: {why[-1]}")
        if chosen is None:
            chosen = self.route(self.default)
            reasons.append(f"no route matched, so the default {self.default!r} applies")
        return RouteChoice(
            policy=self.name,
            policy_version=self.version,
            route=chosen.name,
            chain=chosen.chain.name,
            chain_version=chosen.chain.version,
            matched=matched,
            reasons=tuple(reasons),
        )
