"""Background threads' scheduling priority: when cores are scarce, the game's frame goes first.

Linux lets one thread's nice value be set on its own (a thread id names a task there); on
other systems this is a no-op that says so.
"""

from __future__ import annotations

import os
import sys
import threading

__all__ = ["lower_thread_priority"]


def lower_thread_priority(nice: int) -> bool:
    """Lower the calling thread's scheduling priority by ``nice`` (Linux, where a thread id
    names one thread); returns whether it did. Run it on a worker thread."""
    if not sys.platform.startswith("linux") or not hasattr(os, "setpriority"):
        return False
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError:
        return False
    return True
