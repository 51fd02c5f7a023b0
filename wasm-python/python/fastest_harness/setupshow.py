"""``--setup-show``: SETUP/TEARDOWN lines for every fixture and one line per
test, written as pytest writes them (each starts on a new line and leaves it
open, so the progress letter follows the test's line)."""

from __future__ import annotations

from typing import Any, Callable

from .saferepr import saferepr


class _State:
    enabled = False
    # Where lines go: the run's event stream while running, a buffer otherwise.
    sink: Callable[[str], Any] | None = None
    pending: list[str] = []


state = _State()

# Narrower scopes are indented further: session 0, package 2, module 4, class 6, function 8.
_INDENT = {"session": 0, "package": 2, "module": 4, "class": 6, "function": 8}


def write(text: str) -> None:
    if state.sink is not None:
        state.sink(text)
    else:
        state.pending.append(text)


def hold() -> Callable[[], None]:
    """Keep lines back until the returned function is called: teardown lines
    follow the test's progress letter, which the host prints at its result."""
    sink, held = state.sink, []
    state.sink = held.append

    def release() -> None:
        state.sink = sink
        if held:
            write("".join(held))
    return release


def take_pending() -> str:
    text, state.pending = "".join(state.pending), []
    return text


def shown_param(fixturedef: Any, request: Any) -> Any:
    """The parameter pytest shows after a fixture's name (its id when ids= names it)."""
    if not hasattr(request, "param"):
        return _NONE
    ids = fixturedef.ids
    if ids is None:
        return request.param
    if callable(ids):
        return ids(request.param)
    return ids[request.param_index]


_NONE = object()


def fixture_line(action: str, scope: str, name: str, deps: tuple[str, ...] = (), param: Any = _NONE) -> None:
    line = "\n" + " " * _INDENT.get(scope, 8) + f"{action:<8} {scope[0].upper()} {name}"
    used = sorted(d for d in deps if d != "request")
    if action == "SETUP" and used:
        line += f" (fixtures used: {', '.join(used)})"
    if param is not _NONE:
        line += f"[{saferepr(param, maxsize=42)}]"
    write(line)


def item_line(item: Any) -> None:
    used = sorted(getattr(item, "fixturenames", []))
    write("\n" + " " * 8 + item.nodeid + (f" (fixtures used: {', '.join(used)})" if used else ""))
