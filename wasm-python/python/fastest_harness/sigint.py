"""Tell the host's interrupts from a KeyboardInterrupt a test raises itself.

The host interrupts Python (Ctrl-C, or a test that ran out of time) through
the interpreter's SIGINT handling; ``install()`` puts a handler there that
notes it before raising KeyboardInterrupt. A KeyboardInterrupt seen without
that note came from the test's own code (``raise KeyboardInterrupt``): it
fails that test and the run goes on.
"""

from __future__ import annotations

import signal
from typing import Any, Callable

_received = False
# Set by the host: is this interrupt a timeout for a test that has already finished?
_late: Callable[[], Any] | None = None


def set_late_check(check: Callable[[], Any]) -> None:
    global _late
    _late = check


def handler(_signum: int, _frame: Any) -> None:
    global _received
    if _late is not None and _late():
        # The watchdog saw the test running, but it ended before the interrupt landed.
        return
    _received = True
    raise KeyboardInterrupt


def install() -> None:
    signal.signal(signal.SIGINT, handler)


def received() -> bool:
    """Has the host interrupted Python since the last ``clear()``?"""
    return _received


def clear() -> None:
    global _received
    _received = False
