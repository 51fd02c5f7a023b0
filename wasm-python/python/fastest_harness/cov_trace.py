"""Coverage on Pythons without ``sys.monitoring`` (3.11: the WASI engine),
measured with ``sys.settrace`` as coverage.py's tracer does there.

It gathers what ``cov_measure``'s ``sys.monitoring`` path gathers, in the
same ``Measurement``, so the result and the host's reports do not depend on
the engine:

* executed lines: every ``line`` event of a frame of a measured file;
* with branches, the arcs that ran: a frame's consecutive ``line`` events
  ``(previous, line)``, and ``(last line, -co_firstlineno)`` when the frame
  returns. A generator that yields is not leaving (its next ``line`` event,
  once resumed, continues from the yield's line) and neither is a frame an
  exception unwinds (``sys.monitoring``'s branch events do not see those
  exits either). ``Measurement.result`` keeps the arcs that are branches.

Speed: the global trace function looks the frame's file up in a dictionary
and answers ``None`` for other files, so only measured code pays a call per
line; without branches the local trace function is one per file and only
adds the line to a set; with branches it only adds the arc (the lines are
the arcs' ends).

``code_branches`` lists a 3.11 code object's conditional jumps as 3.14's
``co_branches()`` does, for ``cov_analysis``.
"""

from __future__ import annotations

import dis
import sys
from types import CodeType, FrameType
from typing import Any, Callable

_YIELD_VALUE = dis.opmap.get("YIELD_VALUE", -1)
# The conditional jumps of 3.11's bytecode (3.12+ has no JUMP_IF_*_OR_POP and
# its POP_JUMP_IF_* have no direction; co_branches() covers them there).
_CONDITIONAL = frozenset(
    name for name in dis.opmap
    if name.startswith(("POP_JUMP_FORWARD_IF_", "POP_JUMP_BACKWARD_IF_", "POP_JUMP_IF_", "JUMP_IF_"))
) | {"FOR_ITER"}

Trace = Callable[[FrameType, str, Any], Any]


def code_branches(code: CodeType) -> list[tuple[int, int, int]]:
    """``(offset, where it goes when not taken, where it goes when taken)`` for
    each conditional jump of ``code``, like 3.14's ``code.co_branches()``."""
    listing = list(dis.get_instructions(code))
    found: list[tuple[int, int, int]] = []
    for i, ins in enumerate(listing[:-1]):
        if ins.opname in _CONDITIONAL and isinstance(ins.argval, int):
            found.append((ins.offset, listing[i + 1].offset, ins.argval))
        elif ins.opname == "GET_ANEXT":
            found.extend(_async_for(code, listing, i))
    return found


def _async_for(code: CodeType, listing: list[dis.Instruction], i: int) -> list[tuple[int, int, int]]:
    """An ``async for``'s branch, which 3.11 makes without a conditional jump
    (3.14 lists it): from its ``GET_ANEXT``, into the body (where the
    ``SEND`` awaiting ``__anext__`` goes once it returns), or out of the
    loop (after the ``END_ASYNC_FOR`` that handles ``StopAsyncIteration``)."""
    send = next((ins for ins in listing[i + 1:i + 4] if ins.opname == "SEND"), None)
    parse = getattr(dis, "_parse_exception_table", None)
    if send is None or parse is None:
        return []
    start = listing[i].offset
    handler = next((entry.target for entry in parse(code) if entry.start <= start < entry.end), None)
    after = next((listing[j + 1].offset for j in range(i, len(listing) - 1)
                  if listing[j].offset == handler and listing[j].opname == "END_ASYNC_FOR"), None)
    return [] if after is None else [(start, send.argval, after)]


class _Files(dict):
    """Each file seen to what its frames get (None: not measured), worked out
    the first time: the global trace function is then one dictionary lookup."""

    def __init__(self, decide: Callable[[str], Any]) -> None:
        super().__init__()
        self.decide = decide

    def __missing__(self, filename: str) -> Any:
        value = self[filename] = self.decide(filename)
        return value


class Tracer:
    """Records into ``lines`` (and, with ``arcs``, into ``arcs``) while installed."""

    def __init__(self, wanted: Callable[[str], bool], lines: dict[str, set[int]],
                 arcs: dict[str, set[tuple[int, int]]] | None) -> None:
        self.previous: Trace | None = None
        self.installed = False
        self.lines, self.arcs = lines, arcs
        self.trace: Trace = self._arc_tracer(wanted, arcs) if arcs is not None else self._line_tracer(wanted, lines)

    @staticmethod
    def _line_tracer(wanted: Callable[[str], bool], lines: dict[str, set[int]]) -> Trace:
        def decide(filename: str) -> Trace | None:
            if not wanted(filename):
                return None
            add = lines.setdefault(filename, set()).add

            def local(frame: FrameType, event: str, _arg: Any) -> Any:
                if event == "line":
                    add(frame.f_lineno)
                return local
            return local

        files = _Files(decide)

        def on_call(frame: FrameType, _event: str, _arg: Any) -> Any:
            return files[frame.f_code.co_filename]

        return on_call

    @staticmethod
    def _arc_tracer(wanted: Callable[[str], bool], arcs: dict[str, set[tuple[int, int]]]) -> Trace:
        def decide(filename: str) -> Callable[[FrameType], Trace] | None:
            return start_frame(arcs.setdefault(filename, set()).add) if wanted(filename) else None

        def start_frame(add_arc: Callable[[tuple[int, int]], None]) -> Callable[[FrameType], Trace]:
            def start(frame: FrameType) -> Trace:
                resumed = frame.f_trace
                if resumed is not None:
                    # A generator or coroutine resumed: its own function still knows its last line.
                    return resumed
                code = frame.f_code
                exit_to = -code.co_firstlineno
                raw = code.co_code
                last = exit_to
                raised_at = -1

                def local(frame: FrameType, event: str, _arg: Any) -> Any:
                    nonlocal last, raised_at
                    if event == "line":
                        line = frame.f_lineno
                        add_arc((last, line))
                        last = line
                    elif event == "return":
                        at = frame.f_lasti
                        # Not a yield, nor an exception unwinding (nothing ran since it was raised).
                        if at != raised_at and raw[at] != _YIELD_VALUE:
                            add_arc((last, exit_to))
                    elif event == "exception":
                        raised_at = frame.f_lasti
                    return local

                return local
            return start

        files = _Files(decide)

        def on_call(frame: FrameType, _event: str, _arg: Any) -> Any:
            start = files[frame.f_code.co_filename]
            return None if start is None else start(frame)

        return on_call

    def start(self) -> None:
        self.previous = sys.gettrace()
        sys.settrace(self.trace)
        self.installed = True

    def stop(self) -> None:
        """Uninstall, giving back the trace function that was there before."""
        if self.installed:
            sys.settrace(self.previous)
            self.installed = False
            self.previous = None
        if self.arcs is not None:
            # Every line that ran ends an arc.
            for filename, ran in self.arcs.items():
                self.lines.setdefault(filename, set()).update(line for _, line in ran if line > 0)

    def reinstall(self) -> None:
        """Install again if a test replaced or removed the trace function."""
        if self.installed and sys.gettrace() is not self.trace:
            sys.settrace(self.trace)
