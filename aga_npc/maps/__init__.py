"""Map tools: ``python -m aga_npc.maps check|render`` and the checks behind them."""

from __future__ import annotations

from aga_npc.maps.check import MapReport, check_map, check_world, format_report

__all__ = ["MapReport", "check_map", "check_world", "format_report"]
