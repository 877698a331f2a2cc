"""The behaviour checker's plan rule reads the world's kind registry, not the global table."""

from __future__ import annotations

from aga_npc.town.agreement import fit_reason, judged_pair
from aga_npc.town.checker import ActionRecord, AgentDay, check_day, summarise
from aga_npc.world.kinds import KindRegistry

# A game whose tables are for crafting, not reading.
CRAFT_TABLES = KindRegistry.default().extended({"table": {"verbs": ["eat", "craft"]}})


def _day() -> AgentDay:
    return AgentDay(
        agent="Tom",
        day=1,
        work_day=False,
        executed=[
            ActionRecord(
                start=8 * 60,
                minutes=30,
                verb="read",
                target="Home:kitchen:table",
                kind="table",
                plan="cook breakfast",
                place="Home",
            ),
            ActionRecord(
                start=9 * 60,
                minutes=30,
                verb="fish",
                target="Pond:shore:fishing spot",
                kind="fishing spot",
                plan="cook lunch",
                place="Pond",
            ),
        ],
    )


def test_the_household_table_judges_reading_at_a_table_for_cooking() -> None:
    assert judged_pair("read", "table")
    assert fit_reason("cook breakfast", "read", "table") is not None
    found = check_day(_day())
    assert len(found["plan_mismatch"]) == 1 and "read" in found["plan_mismatch"][0]
    assert summarise([_day()])["plan_checked_actions"] == 1  # the fishing spot is not judged


def test_a_game_whose_tables_do_not_afford_reading_is_not_judged_on_it() -> None:
    assert not judged_pair("read", "table", CRAFT_TABLES)
    assert fit_reason("cook breakfast", "read", "table", kinds=CRAFT_TABLES) is None
    assert check_day(_day(), CRAFT_TABLES)["plan_mismatch"] == []
    totals = summarise([_day()], CRAFT_TABLES)
    assert totals["plan_checked_actions"] == 0 and totals["plan_mismatched_actions"] == 0
    assert judged_pair("eat", "table", CRAFT_TABLES)  # still a household verb of the kind
