"""What the evaluation's fakellm says: interview answers, judge verdicts, a malformed
verdict, and an invitee's plan for the game night (rules for ``llm_servers.start_fakellm``)."""

from __future__ import annotations

import json

INTERVIEW_ANSWER = "I'm glad you asked; I remember the morning at the cafe well."
VERDICT = {"score": 4, "reason": "specific and in the first person"}
GARBAGE_MARK = "zqjudgegarbage"
PLAN_MARK = "zqgamenightplan"
GAME_NIGHT = "go to Silas's game night at The Copper Kettle"
PLAN = {
    "wake_up": "07:00",
    "activities": [
        {
            "start": "07:00",
            "duration": 60,
            "activity": "get up and have breakfast",
            "place": "Alder Dorm",
        },
        {"start": "08:00", "duration": 420, "activity": "attend classes", "place": "Alder College"},
        {
            "start": "15:00",
            "duration": 180,
            "activity": "study in the library",
            "place": "Alder College",
        },
        {"start": "18:00", "duration": 60, "activity": "have dinner", "place": "Alder Dorm"},
        {"start": "19:00", "duration": 150, "activity": GAME_NIGHT, "place": "The Copper Kettle"},
        {"start": "21:30", "duration": 570, "activity": "sleep", "place": "Alder Dorm"},
    ],
}


def _yaml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted string


RULES = f"""\
version: 1
defaults:
  fallback: deterministic_echo
rules:
  - name: judge-garbage
    when:
      messages_contain: "{GARBAGE_MARK}"
    respond:
      content: "Four out of five, I would say: quite human."
  - name: judge
    when:
      messages_contain: '"module": "judge"'
    respond:
      content: {_yaml_string(json.dumps(VERDICT))}
  - name: interview
    when:
      messages_contain: '"module": "interview"'
    respond:
      content: {_yaml_string(INTERVIEW_ANSWER)}
  - name: invitee-plan
    when:
      messages_contain: '"module": "daily_plan"'
    respond:
      content: {_yaml_string(json.dumps(PLAN))}
"""
