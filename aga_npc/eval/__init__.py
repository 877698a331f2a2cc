"""The paper's evaluation protocol, runnable: emergent-behaviour curves with mind wandering
on and off, the persona check, and relationship evolution (``python -m aga_npc.eval``)."""
