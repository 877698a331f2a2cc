"""Who reuses a stored routine: the sharing rules (agent, role, town) as scope choices.

- ``agent``: every routine serves only the agent who learned it (the paper: one policy
  pool per agent).
- ``role``: routines at the workplace (``@work``) serve everyone with the same role (two
  baristas share "serve customers at the counter"); the rest stay with the agent.
- ``town``: routines at the workplace are shared by role as above; everything else (home
  routines, public places) serves the whole town: ``@home`` resolves to each agent's own
  home, and a park bench is everyone's.

An agent without a role shares nothing by role: its workplace routines stay its own. A
lookup tries the agent's own scope first, then its role's, then the town's (only those the
rule can have stored into), so an agent's own routines still win.
"""

from __future__ import annotations

import enum

from aga_npc.places import WORK
from aga_npc.policy.entries import PolicyScope

__all__ = ["Sharing", "lookup_scopes", "store_scope"]


class Sharing(enum.StrEnum):
    """The sharing rule (see the module docstring)."""

    AGENT = "agent"
    ROLE = "role"
    TOWN = "town"


def store_scope(sharing: Sharing | str, *, place: str, agent: str, role: str) -> PolicyScope:
    """The scope a routine planned at ``place`` by ``agent`` (with ``role``) is stored in.

    Raises:
        ValueError: an unknown sharing rule or an empty agent name.
    """
    rule = Sharing(sharing)
    if rule is Sharing.AGENT or (place == WORK and not role):
        return PolicyScope.agent(agent)
    if place == WORK:
        return PolicyScope.role(role)
    return PolicyScope.agent(agent) if rule is Sharing.ROLE else PolicyScope.town()


def lookup_scopes(sharing: Sharing | str, *, agent: str, role: str) -> tuple[PolicyScope, ...]:
    """The scopes a lookup by ``agent`` tries, in order."""
    rule = Sharing(sharing)
    order = [PolicyScope.agent(agent)]
    if role and rule is not Sharing.AGENT:
        order.append(PolicyScope.role(role))
    if rule is Sharing.TOWN:
        order.append(PolicyScope.town())
    return tuple(order)
