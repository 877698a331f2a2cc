"""Event diffusion (Generative Agents' case study): one resident organises an event; who
heard of it, through which conversation, who planned to go, and who was there.

A scenario file (TOML) names the organiser, the event, the place, the game day and the
time; :func:`seed_scenario` gives the organiser the event as a memory and as what occupies
them, nothing else. :class:`DiffusionWatch` looks at the town every game hour:

- *heard*: the first conversation in which the other speaker named the event (a
  ``keywords`` phrase) to a resident other than the organiser, with that line; or, when
  earlier, the first memory of theirs naming it (a conversation the watch missed, the
  player);
- *planned*: the event in a resident's pending invitations for its day, or a row of the
  day's plan naming it, before it starts (a row only at the place while it runs is
  reported apart, as *there anyway*: dinner at the bar is not the game night);
- *attended*: the resident stands in the place at one of the event's full hours.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from aga_npc.errors import ConfigError
from aga_npc.personas.model import Persona
from aga_npc.planning.schedule import format_hhmm, parse_hhmm
from aga_npc.town.town import Town

__all__ = [
    "DiffusionWatch",
    "Scenario",
    "load_scenario",
    "seed_scenario",
]

DAY = 1440
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_BUNDLED = {3: "diffusion_town3.toml", 25: "diffusion_town25.toml"}
_INVITE = "wants the whole town to come"


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """An event to organise.

    Attributes:
        organiser: the resident who organises it (a persona name of the town).
        event: what it is ("a game night").
        place: where (a sector of the map).
        day: the game day it happens on (1 = the first day of the run, a Monday).
        time: its start, "HH:MM".
        duration: minutes.
        keywords: phrases that name it in memories and plans (lower case).
        invite: what the organiser wants ("wants the whole town to come").
    """

    organiser: str
    event: str
    place: str
    day: int
    time: str
    duration: int = 120
    keywords: tuple[str, ...] = ()
    invite: str = _INVITE

    @property
    def start(self) -> int:
        """Absolute game minute of the start (day 1 begins at minute 0)."""
        return (self.day - 1) * DAY + parse_hhmm(self.time)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[(self.day - 1) % 7]

    def sentence(self) -> str:
        """The organiser's seeded memory. The day is said as the organiser would at the
        start of the run ("tomorrow (Tuesday)"): the planning thought is asked for today
        or tomorrow only, and a memory does not age, so on the event day the organiser
        still says "tomorrow" (the report counts plans for the event's day only)."""
        first = self.organiser.split()[0]
        when = {1: "today", 2: "tomorrow"}.get(self.day, "")
        day = f"{when} ({self.weekday})" if when else f"on {self.weekday}"
        return (
            f"{first} is organising {self.event} at {self.place} {day} at {self.time} "
            f"and {self.invite}."
        )

    def names_it(self, text: str) -> bool:
        lowered = text.lower()
        return any(k in lowered for k in self.keywords)


def load_scenario(path: Path | None = None, *, npcs: int = 25) -> Scenario:
    """A scenario file, or the bundled one of the 3- or 25-resident demo town.

    Raises:
        ConfigError: unreadable, a missing or bad field, or no bundled scenario.
    """
    if path is None:
        bundled = _BUNDLED.get(npcs)
        if bundled is None:
            raise ConfigError(
                f"no bundled diffusion scenario for {npcs} residents (there are for "
                f"{', '.join(map(str, sorted(_BUNDLED)))}); give --scenario FILE"
            )
        where = f"the bundled {bundled}"
        raw = resources.files("aga_npc.eval").joinpath("data", bundled).read_text("utf-8")
    else:
        where = str(path)
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    for key in ("organiser", "event", "place", "day", "time"):
        if key not in data:
            raise ConfigError(f"{where}: missing {key!r}")
    try:
        parse_hhmm(str(data["time"]))
    except ValueError as exc:
        raise ConfigError(f"{where}: time: {exc}") from exc
    day, duration = data["day"], data.get("duration", 120)
    if isinstance(day, bool) or not isinstance(day, int) or day < 1:
        raise ConfigError(f"{where}: day must be a game day >= 1, got {day!r}")
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 15:
        raise ConfigError(f"{where}: duration must be >= 15 minutes, got {duration!r}")
    event = str(data["event"]).strip()
    keywords = tuple(str(k).lower() for k in data.get("keywords", ()) if str(k).strip())
    if not keywords:
        keywords = (re.sub(r"^(a|an|the) ", "", event.lower()),)
    return Scenario(
        organiser=str(data["organiser"]),
        event=event,
        place=str(data["place"]),
        day=day,
        time=format_hhmm(parse_hhmm(str(data["time"]))),
        duration=duration,
        keywords=keywords,
        invite=str(data.get("invite") or _INVITE),
    )


def seed_scenario(personas: Sequence[Persona], scenario: Scenario) -> tuple[Persona, ...]:
    """The residents with the organiser given the event (a seeded memory, and what
    occupies them now); everyone else unchanged.

    Raises:
        ConfigError: the organiser is not one of the residents.
    """
    names = [p.name for p in personas]
    if scenario.organiser not in names:
        raise ConfigError(
            f"organiser {scenario.organiser!r} is not a resident of this town "
            f"({', '.join(names[:6])}{' ...' if len(names) > 6 else ''})"
        )
    out = []
    for persona in personas:
        if persona.name == scenario.organiser:
            persona = dataclasses.replace(
                persona,
                currently=scenario.sentence(),
                events=(scenario.sentence(), *persona.events),
            )
        out.append(persona)
    return tuple(out)


def _convo_row(convo: dict[str, Any], other: str, line: list[Any]) -> dict[str, Any]:
    return {
        "with": other,
        "day": int(convo["start"]) // DAY + 1,
        "start": format_hhmm(int(convo["start"]) % DAY),
        "place": str(convo.get("place", "")),
        "line": line,
    }


class DiffusionWatch:
    """Watches a run for the scenario's event (call it every game hour)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.heard: dict[str, dict[str, Any]] = {}
        self.planned: dict[str, dict[str, Any]] = {}
        self.attended: dict[str, list[str]] = {}
        self.anyway: dict[str, dict[str, Any]] = {}
        self._seen_id: dict[str, int] = {}
        self._place_missing = True

    def __call__(self, town: Town) -> None:
        s = self.scenario
        now = town.now
        self._place_missing = self._place_missing and s.place not in town.world.sector_names()
        for name in town.names():
            if name != s.organiser and name not in self.heard:
                self._hear(town, name)
            if name not in self.planned and now <= s.start:
                self._plan(town, name, now)
            if s.start <= now < s.start + s.duration:
                place = town.world.agent_place(name)
                if place is not None and place[0] == s.place:
                    self.attended.setdefault(name, []).append(format_hhmm(now % DAY))

    def _hear(self, town: Town, name: str) -> None:
        """The first of: a finished conversation in which the other speaker named the
        event, a memory naming it (with the conversation it came from, when one did)."""
        s = self.scenario
        convos = town.conversations.finished if town.conversations is not None else []
        told = None
        for convo in convos:
            pair = (str(convo["a"]), str(convo["b"]))
            if name not in pair:
                continue
            other = pair[1] if pair[0] == name else pair[0]
            line = next(
                ([w, t] for w, t in convo.get("lines", ()) if w == other and s.names_it(str(t))),
                None,
            )
            if line is not None and (told is None or int(convo["start"]) < told[0]):
                told = (int(convo["start"]), other, convo, line)
        memory = None
        last = self._seen_id.get(name, -1)
        events = [ev for ev in town.brains[name].mind.stream.events() if ev.id > last]
        if events:
            self._seen_id[name] = max(ev.id for ev in events)
        for ev in sorted(events, key=lambda e: e.id):
            if s.names_it(ev.text):
                memory = ev
                break
        if told is None and memory is None:
            return
        if told is not None and (memory is None or told[0] <= int(memory.created)):
            start, other, convo, line = told
            self.heard[name] = {
                "day": start // DAY + 1,
                "time": format_hhmm(start % DAY),
                "from": other,
                "how": "conversation",
                "conversation": _convo_row(convo, other, line),
            }
            return
        assert memory is not None
        others = [p for p in memory.people if p != name]
        self.heard[name] = {
            "day": int(memory.created) // DAY + 1,
            "time": format_hhmm(int(memory.created) % DAY),
            "from": others[0] if others else "",
            "how": f"memory ({memory.kind})",
            "memory": memory.text,
        }

    def _plan(self, town: Town, name: str, now: int) -> None:
        """A pending invitation for the event's day naming the event (or its place and
        time), else the day's plan naming it; a plan row that is only at the place while
        the event runs (dinner at the bar, a shift there) is kept apart as "there anyway"."""
        s = self.scenario
        brain = town.brains[name]
        for invite in brain.planner.invitations:
            text = " ".join(str(v) for v in invite.values())
            if int(invite.get("day", 0)) == s.day and (
                s.names_it(text) or (s.place in text and s.time in text)
            ):
                self.planned[name] = {
                    "how": "invitation",
                    "day": now // DAY + 1,
                    "time": format_hhmm(now % DAY),
                    "text": text,
                }
                return
        if now // DAY + 1 != s.day:
            return
        begin = parse_hhmm(s.time)
        for start, activity, place in brain.snapshot().schedule:
            if s.names_it(activity):
                self.planned[name] = {
                    "how": "plan",
                    "day": s.day,
                    "time": format_hhmm(now % DAY),
                    "text": f"{start} {activity} ({place})",
                }
                return
            if (
                name not in self.anyway
                and place == s.place
                and begin <= parse_hhmm(start) < begin + s.duration
            ):
                self.anyway[name] = {
                    "text": f"{start} {activity} ({place})",
                    "works_there": brain.profile.workplace == s.place,
                }

    def report(self, names: Sequence[str]) -> dict[str, Any]:
        """Who heard (and from whom, in which conversation), planned and attended."""
        s = self.scenario
        others = [n for n in names if n != s.organiser]
        return {
            "scenario": dataclasses.asdict(s),
            "place_on_map": not self._place_missing,
            "residents": len(names),
            "heard": {n: self.heard[n] for n in others if n in self.heard},
            "planned": {n: self.planned[n] for n in names if n in self.planned},
            "attended": {n: self.attended[n] for n in names if n in self.attended},
            "there_anyway": {n: self.anyway[n] for n in names if n in self.anyway},
            "counts": {
                "heard": sum(n in self.heard for n in others),
                "planned": sum(n in self.planned for n in others),
                "attended": sum(n in self.attended for n in others),
                "attended_having_heard": sum(
                    n in self.attended and n in self.heard for n in others
                ),
                "attended_having_planned": sum(
                    n in self.attended and n in self.planned for n in others
                ),
                "others": len(others),
                "organiser_attended": s.organiser in self.attended,
            },
            "paper": (
                "Generative Agents (25 agents): 13 of 25 knew of the party two days later; "
                "5 of the 12 invited came"
            ),
        }
