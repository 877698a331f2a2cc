"""The stand-in's child processes never run the game's script a second time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

# A game script as pygame tutorials write it: no ``if __name__ == "__main__":`` guard.
UNGUARDED_GAME = textwrap.dedent(
    """
    import asyncio
    from pathlib import Path

    from aga_npc.pygame.standin import ProcessOfflineLLM
    from aga_npc.types import ChatMessage, LLMRequest, Module

    with Path(__file__).with_name("started.log").open("a") as log:
        log.write("the game started\\n")

    async def ask():
        llm = ProcessOfflineLLM(seed=1, workers=2)
        request = LLMRequest(
            agent="Ada Finch",
            module=Module.PLAYER_REPLY,
            messages=(ChatMessage(role="user", content="Hello!"),),
        )
        try:
            results = await asyncio.gather(*(llm.complete(request) for _ in range(4)))
        finally:
            await llm.aclose()
        return results

    results = asyncio.run(ask())
    print(len({r.text for r in results}), results[0].backend)
    """
)


def test_an_unguarded_game_script_starts_once(tmp_path: Path) -> None:
    game = tmp_path / "game.py"
    game.write_text(UNGUARDED_GAME)
    done = subprocess.run(
        [sys.executable, str(game)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "started.log").read_text().splitlines() == ["the game started"]
    assert done.stdout.split() == ["1", "offline"]  # same request, same answer, from a child


def test_a_child_that_died_fails_its_calls_plainly() -> None:
    import asyncio

    import pytest

    from aga_npc.pygame.standin import ProcessOfflineLLM, StandInProcessError
    from aga_npc.types import ChatMessage, LLMRequest, Module

    request = LLMRequest(
        agent="Ada Finch",
        module=Module.PLAYER_REPLY,
        messages=(ChatMessage(role="user", content="Hello!"),),
    )

    async def ask_after_kill() -> None:
        llm = ProcessOfflineLLM(seed=0)
        try:
            await llm.complete(request)
            child = llm._children[0]
            child.proc.kill()
            child.proc.wait()
            with pytest.raises(StandInProcessError):
                await asyncio.wait_for(llm.complete(request), 30)
        finally:
            await llm.aclose()

    asyncio.run(ask_after_kill())
