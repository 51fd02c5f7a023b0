"""Per-test timeouts, spelled as pytest-timeout spells them: ``--timeout``,
the ``timeout`` ini option and ``@pytest.mark.timeout(N)``.

The harness only announces each item's timeout; the host watches the clock.
When an item runs out of time the host interrupts Python (KeyboardInterrupt)
and marks the item as timed out, and the runner turns that interrupt into
pytest-timeout's failure, keeping the stack where the test was.
"""

from __future__ import annotations

from typing import Any

from .outcomes import Failed


def parse(value: Any, source: str) -> float:
    """A timeout in seconds from config or a marker; 0 means none."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{source}: invalid timeout {value!r} (a number of seconds)") from None
    return max(seconds, 0.0)


def of_item(item: Any, default: float) -> float:
    """The item's timeout: its closest ``timeout`` mark, else the run's default.
    A mark with a bad value counts as no mark here; setup reports ``problem``."""
    try:
        return check(item, default)
    except ValueError:
        return default


def problem(item: Any) -> str | None:
    """What is wrong with the item's ``timeout`` mark, if anything."""
    try:
        check(item, 0.0)
    except ValueError as exc:
        return str(exc)
    return None


def check(item: Any, default: float) -> float:
    """The item's timeout; raises ValueError (a setup error) for a bad mark."""
    mark = item.get_closest_marker("timeout")
    if mark is None:
        return default
    value = mark.args[0] if mark.args else mark.kwargs.get("timeout", default)
    return parse(value, "@pytest.mark.timeout")


def failure(interrupt: BaseException, seconds: float) -> Failed:
    """pytest-timeout's failure, raised where the interrupt found the test."""
    exc = Failed(f"Timeout (>{seconds}s) from pytest-timeout.")
    exc.__traceback__ = interrupt.__traceback__
    exc.__suppress_context__ = True
    return exc
