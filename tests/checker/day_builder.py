"""A small way to write agent-days for checker tests: items with their actions, in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from aga_npc.town.checker import ActionRecord, ActionSource, AgentDay, ScheduleStart

DAY = 1440
HOME = "Alder Dorm"
WORK = "Alder College"
KINDS = {
    "bed": "bed",
    "stove": "stove",
    "fridge": "fridge",
    "sink": "sink",
    "table": "table",
    "desk": "desk",
    "counter": "counter",
    "shelf": "shelf",
    "bar": "bar",
    "shower": "shower",
    "sofa": "sofa",
    "bookshelf": "bookshelf",
    "blackboard": "blackboard",
}


def at(day: int, hhmm: str) -> int:
    """Absolute minute of ``hhmm`` on calendar day ``day`` (day 1 00:00 = 0)."""
    h, m = hhmm.split(":")
    return (day - 1) * DAY + int(h) * 60 + int(m)


@dataclass
class DayBuilder:
    """Builds an ``AgentDay``: ``item()`` starts a schedule item, ``act()`` adds an action
    to it (right after the previous action of the item)."""

    agent: str = "Amara Osei"
    day: int = 1
    work_day: bool = True
    home: str = HOME
    workplace: str = WORK
    record: AgentDay = field(init=False)
    _text: str = field(init=False, default="")
    _place: str = field(init=False, default="")
    _next: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.record = AgentDay(
            agent=self.agent,
            day=self.day,
            work_day=self.work_day,
            home=self.home,
            workplace=self.workplace,
            slept_in_own_bed=True,
            work_minutes=480 if self.work_day else 0,
        )

    def item(
        self, hhmm: str, text: str, place: str = HOME, *, day: int | None = None
    ) -> DayBuilder:
        minute = at(self.day if day is None else day, hhmm)
        self.record.schedule.append(ScheduleStart(minute=minute, text=text, place=place))
        self._text, self._place, self._next = text, place, minute
        return self

    def act(
        self,
        verb: str,
        target: str = "",
        minutes: int = 15,
        *,
        source: ActionSource = ActionSource.LLM,
    ) -> DayBuilder:
        """``target`` is an address, or "kind" for an object of that kind at the planned
        place ("table" -> "<place>:room:table")."""
        if target and ":" not in target:
            target = f"{self._place}:room:{target}"
        kind = KINDS.get(target.rsplit(":", 1)[-1].rstrip(" 0123456789"), "") if target else ""
        self.record.executed.append(
            ActionRecord(
                start=self._next,
                minutes=minutes,
                verb=verb,
                target=target,
                kind=kind,
                plan=self._text,
                place=self._place,
                source=source,
            )
        )
        self._next += minutes
        return self

    def build(self) -> AgentDay:
        return self.record


def ordinary_day(day: int = 1, *, work_day: bool = True) -> DayBuilder:
    """A student's plain, correct day: three meals, classes, an evening, the night in bed."""
    b = DayBuilder(day=day, work_day=work_day)
    b.item("07:00", "wake up and take a shower").act("shower", "shower", 15).act(
        "brush teeth", "sink", 5
    )
    b.item("07:30", "have breakfast").act("get food", "fridge", 3).act("eat", "table", 20)
    if work_day:
        b.item("09:00", "attend class at Alder College", WORK).act("study", "desk", 120)
    b.item("12:30", "have lunch at home").act("cook", "stove", 15).act("eat", "table", 25)
    b.item("18:30", "cook dinner and eat at home").act("cook", "stove", 20).act("eat", "table", 25)
    b.item("20:00", "read a book on the sofa").act("read", "sofa", 60)
    b.item("23:00", "go to sleep").act("sleep", "bed", 480)
    return b
