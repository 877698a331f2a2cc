"""The runtime: the only place with threads and asyncio loops.

``Gateway`` serves requests on a worker thread (the pygame demo); ``InlineGateway`` serves
them on the caller's thread when ``pump()`` is called (deterministic headless runs, tests).
Both implement ``aga_npc.ports.RequestGateway``.
"""

from __future__ import annotations

from aga_npc.runtime.gateway import Gateway
from aga_npc.runtime.inline import InlineGateway
from aga_npc.runtime.tickets import StreamBuffer, Ticket, TicketState

__all__ = ["Gateway", "InlineGateway", "StreamBuffer", "Ticket", "TicketState"]
