"""AgentDay and its parts round-trip to plain data and validate themselves."""

from __future__ import annotations

import dataclasses
import json

import pytest
from day_builder import ordinary_day

from aga_npc.town.checker import ActionRecord, ActionSource, AgentDay, ScheduleStart


def test_an_agent_day_round_trips_through_plain_data() -> None:
    record = ordinary_day().build()
    record.failed_actions = 2
    record.executed.append(
        ActionRecord(start=1300, minutes=4, verb="chat", source=ActionSource.TALK)
    )
    data = json.loads(json.dumps(record.to_dict()))  # plain data only
    back = AgentDay.from_dict(data)
    assert back == record
    assert back.to_dict() == record.to_dict()
    assert all(isinstance(a.source, ActionSource) for a in back.executed)


def test_older_rows_without_the_lists_still_load() -> None:
    row = {
        "agent": "A",
        "day": 3,
        "work_day": True,
        "slept_in_own_bed": None,
        "work_minutes": 200,
        "actions": 0,
        "failed_actions": 1,
    }
    record = AgentDay.from_dict(row)
    assert (record.schedule, record.executed, record.failed_actions) == ([], [], 1)
    assert record.slept_in_own_bed is None


def test_legacy_activities_become_the_schedule() -> None:
    record = AgentDay(agent="A", day=1, work_day=False, actions=7)
    again = dataclasses.replace(record, activities=[(420, "have breakfast")], failed_actions=1)
    assert again.schedule == [ScheduleStart(minute=420, text="have breakfast", place="")]
    assert dataclasses.replace(again, work_minutes=5).schedule == again.schedule


def test_an_action_record_derives_its_sector_and_checks_its_fields() -> None:
    action = ActionRecord(
        start=0, minutes=5, verb="cook", target="Brook House:kitchen:stove", source="policy"
    )
    assert action.sector == "Brook House" and action.source is ActionSource.POLICY
    assert action.end == 5
    with pytest.raises(ValueError):
        ActionRecord(start=0, minutes=5, verb="")
    with pytest.raises(ValueError):
        ActionRecord(start=0, minutes=-1, verb="cook")
    with pytest.raises(ValueError):
        ActionRecord(start=0, minutes=5, verb="cook", target="stove")
    with pytest.raises(ValueError):
        ActionRecord(start=0, minutes=5, verb="cook", source="dream")
