"""Exceptions that end a test early (skip, fail, xfail, exit) and their helpers.

They derive from BaseException, like pytest's, so that a bare
``except Exception`` in user code does not swallow a skip or a failure.
"""

from __future__ import annotations

import sys

__all__ = [
    "OutcomeException", "Skipped", "skip_report_text", "Failed", "XFailed", "Exit",
    "skip", "fail", "xfail", "exit", "importorskip", "TEST_OUTCOME",
]


class OutcomeException(BaseException):
    """Base of the exceptions raised by ``pytest.skip``/``fail``/``xfail``."""

    def __init__(self, msg: str | None = None, pytrace: bool = True) -> None:
        if msg is not None and not isinstance(msg, str):
            raise TypeError(
                f"{type(self).__name__} expected string as 'msg' parameter, "
                f"got '{type(msg).__name__}' instead.\n"
                "Perhaps you meant to use a mark?"
            )
        super().__init__(msg)
        self.msg = msg
        self.pytrace = pytrace

    def __repr__(self) -> str:
        if self.msg is not None:
            return self.msg
        return f"<{type(self).__name__} instance>"

    __str__ = __repr__


class Skipped(OutcomeException):
    def __init__(self, msg: str | None = None, pytrace: bool = True,
                 allow_module_level: bool = False, *, _use_item_location: bool = False) -> None:
        super().__init__(msg=msg, pytrace=pytrace)
        self.allow_module_level = allow_module_level
        # Skips raised by marks or fixtures are reported at the item's line.
        self._use_item_location = _use_item_location


def skip_report_text(msg: str | None) -> str:
    """A skip's reason as pytest's report holds it: the exception line, ``Skipped: msg``."""
    return f"Skipped: {msg}" if msg else "Skipped"


class Failed(OutcomeException):
    """Raised by ``pytest.fail()``."""


class XFailed(Failed):
    """Raised by ``pytest.xfail()``."""


class Exit(Exception):
    def __init__(self, msg: str = "unknown reason", returncode: int | None = None) -> None:
        self.msg = msg
        self.returncode = returncode
        super().__init__(msg)


# Shown as "Failed: msg" rather than "fastest_harness.outcomes.Failed: msg".
for _cls in (OutcomeException, Skipped, Failed, Exit):
    _cls.__module__ = "builtins"
XFailed.__module__ = "_pytest.outcomes"

TEST_OUTCOME = (OutcomeException, Exception)


def skip(reason: str = "", *, allow_module_level: bool = False, msg: str | None = None):
    """Skip the running test (or module, with ``allow_module_level=True``)."""
    __tracebackhide__ = True
    raise Skipped(msg=reason if msg is None else msg, allow_module_level=allow_module_level)


def fail(reason: str = "", pytrace: bool = True, msg: str | None = None):
    """Fail the running test with the given message."""
    __tracebackhide__ = True
    raise Failed(msg=reason if msg is None else msg, pytrace=pytrace)


def xfail(reason: str = ""):
    """Mark the running test as an expected failure and stop it."""
    __tracebackhide__ = True
    raise XFailed(reason)


def exit(reason: str = "", returncode: int | None = None):
    """Stop the whole run."""
    __tracebackhide__ = True
    raise Exit(reason, returncode)


skip.Exception = Skipped  # type: ignore[attr-defined]
fail.Exception = Failed  # type: ignore[attr-defined]
xfail.Exception = XFailed  # type: ignore[attr-defined]
exit.Exception = Exit  # type: ignore[attr-defined]


def _version_tuple(text: str) -> tuple:
    parts = []
    for piece in text.split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits) if digits else 0)
        if digits != piece:
            break
    return tuple(parts)


def importorskip(modname: str, minversion: str | None = None, reason: str | None = None,
                 *, exc_type: type[ImportError] | None = None):
    """Import and return ``modname``, or skip the test if that fails."""
    __tracebackhide__ = True
    compile(modname, "", "eval")  # a clear error for names that are not dotted identifiers
    catch = exc_type if exc_type is not None else ImportError
    try:
        __import__(modname)
    except catch as exc:
        if reason is None:
            reason = f"could not import {modname!r}: {exc}"
        raise Skipped(reason, allow_module_level=True) from None
    mod = sys.modules[modname]
    if minversion is None:
        return mod
    verattr = getattr(mod, "__version__", None)
    if verattr is None or _version_tuple(str(verattr)) < _version_tuple(minversion):
        raise Skipped(
            f"module {modname!r} has __version__ {verattr!r}, required is: {minversion!r}",
            allow_module_level=True,
        )
    return mod
