"""``python -m aga_npc.sim``."""

import sys

from aga_npc.sim.cli import main

sys.exit(main())
