"""The stand-in's child processes never run the game's script a second time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# A game script as pygame tutorials write it: no ``if __name__ == "__main__":`` guard.
UNGUARDED_GAME = textwrap.dedent(
    """
    import asyncio
    from pathlib import Path

    from aga_npc.offline.process import ProcessOfflineLLM
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

    from aga_npc.offline.process import ProcessOfflineLLM, StandInProcessError
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


# A child that answers each request with the request itself (answers as long as requests).
ECHO_CHILD = textwrap.dedent(
    """
    import pickle
    import sys
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = inp.read(8)
        if len(header) < 8:
            break
        ident, request = pickle.loads(inp.read(int.from_bytes(header, "big")))
        data = pickle.dumps((ident, True, request))
        out.write(len(data).to_bytes(8, "big") + data)
        out.flush()
    """
)


def test_long_answers_never_deadlock_the_writer_and_the_reader() -> None:
    """Requests and answers larger than a pipe's buffer, many at once: a writer blocked on
    the child's stdin must never keep the reader from taking the child's answers (else the
    child, blocked on its stdout, never reads again and both sides wait for ever)."""
    import asyncio
    import threading

    from aga_npc.offline.process import _Child

    async def send_all() -> list[object]:
        child = _Child(0, 0, argv=[sys.executable, "-c", ECHO_CHILD])
        loop = asyncio.get_running_loop()
        futures = []
        for i in range(64):
            future: asyncio.Future[object] = loop.create_future()
            with child.lock:
                child.waiting[i] = (loop, future)  # type: ignore[assignment]
            futures.append(future)
        payload = "x" * 200_000  # far over a pipe's 64 KiB
        # daemon threads: on a deadlock the test fails on its timeout instead of hanging
        for i in range(64):
            threading.Thread(target=child.send, args=(i, payload), daemon=True).start()
        try:
            return list(await asyncio.wait_for(asyncio.gather(*futures), 60))
        finally:
            child.proc.kill()
            await asyncio.to_thread(child.close, 5.0)

    answers = asyncio.run(send_all())
    assert len(answers) == 64 and all(a == "x" * 200_000 for a in answers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice values: Linux")
def test_the_child_runs_at_the_lowered_priority_once() -> None:
    import asyncio
    import os

    from aga_npc.offline.process import ProcessOfflineLLM
    from aga_npc.types import ChatMessage, LLMRequest, Module

    request = LLMRequest(
        agent="Ada Finch",
        module=Module.PLAYER_REPLY,
        messages=(ChatMessage(role="user", content="Hello!"),),
    )
    mine = os.getpriority(os.PRIO_PROCESS, 0)

    async def ask() -> int:
        llm = ProcessOfflineLLM(seed=0, nice=5)
        try:
            await llm.complete(request)
            return os.getpriority(os.PRIO_PROCESS, llm._children[0].proc.pid)
        finally:
            await llm.aclose()

    assert asyncio.run(ask()) == min(19, mine + 5)  # lowered by 5, not twice
