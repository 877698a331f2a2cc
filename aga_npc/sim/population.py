"""Which residents and which map a headless run of ``--npcs N`` uses.

3 and 25 are the demo town's own resident sets; other N up to 25 are the first N of the
25-resident set (file order) on the same map; beyond 25, the residents of a generated town
of districts (``aga_npc.personas.generated``, persona seed 0 whatever the run's seed, so
every run of one N has the same town) on its generated map (``aga_npc.maps.generated``).
"""

from __future__ import annotations

from pathlib import Path

from aga_npc.errors import ConfigError
from aga_npc.maps.districts import MAX_RESIDENTS, RESIDENTS_PER_DISTRICT
from aga_npc.personas.loader import TOWN_SETS, town_personas
from aga_npc.personas.model import Persona

__all__ = ["PERSONA_SEED", "town_for"]

PERSONA_SEED = 0
"""The seed of generated residents' names (fixed: the town does not change with --seed)."""


def town_for(npcs: int) -> tuple[tuple[Persona, ...], Path | None]:
    """``(residents, map)`` for ``npcs`` residents; map None means the bundled town.

    Raises:
        ConfigError: ``npcs`` is below 1 or more than any generated town houses.
    """
    if not 1 <= npcs <= MAX_RESIDENTS:
        raise ConfigError(
            f"--npcs {npcs}: a town houses 1 to {MAX_RESIDENTS} residents (the bundled "
            f"town {RESIDENTS_PER_DISTRICT}, a generated one up to {MAX_RESIDENTS}); give "
            "--personas PATH and --map PATH for other towns"
        )
    if npcs in TOWN_SETS:
        return tuple(town_personas(npcs)), None
    if npcs <= RESIDENTS_PER_DISTRICT:
        return tuple(town_personas(RESIDENTS_PER_DISTRICT)[:npcs]), None
    from aga_npc.maps.generated import generated_town_map
    from aga_npc.personas.generated import generated_personas

    return tuple(generated_personas(npcs, seed=PERSONA_SEED)), generated_town_map(npcs)
