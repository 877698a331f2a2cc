"""The aga_npc demo town: ``python demo_game.py`` (``--help`` for the options)."""

from __future__ import annotations

import sys

from aga_npc.pygame.demo import main

if __name__ == "__main__":
    sys.exit(main())
