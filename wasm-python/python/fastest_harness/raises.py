"""``pytest.raises``, ``ExceptionInfo``, ``pytest.warns``, ``deprecated_call``
and the ``recwarn`` recorder."""

from __future__ import annotations

import re
import sys
import warnings
from types import TracebackType
from typing import Any, Callable

from .outcomes import fail


class ExceptionInfo:
    """Wraps an exception caught by ``pytest.raises``."""

    def __init__(self, excinfo: tuple | None = None) -> None:
        self._excinfo = excinfo

    @classmethod
    def from_exception(cls, exception: BaseException) -> "ExceptionInfo":
        return cls((type(exception), exception, exception.__traceback__))

    @classmethod
    def from_current(cls) -> "ExceptionInfo":
        return cls(sys.exc_info())

    @classmethod
    def for_later(cls) -> "ExceptionInfo":
        return cls(None)

    def fill_unfilled(self, excinfo: tuple) -> None:
        self._excinfo = excinfo

    def _require(self) -> tuple:
        if self._excinfo is None:
            raise AttributeError(".value can only be used after the context manager exits")
        return self._excinfo

    @property
    def type(self) -> type:
        return self._require()[0]

    @property
    def value(self) -> Any:
        return self._require()[1]

    @property
    def tb(self) -> TracebackType:
        return self._require()[2]

    @property
    def typename(self) -> str:
        return self.type.__name__

    @property
    def traceback(self) -> list:
        from .longrepr import entries_of
        return entries_of(self.value)

    def exconly(self, tryshort: bool = False) -> str:
        from .longrepr import exconly
        import traceback as tb
        if tryshort:
            return exconly(self.value)
        return "".join(tb.format_exception_only(self.type, self.value)).rstrip()

    def errisinstance(self, exc: Any) -> bool:
        return isinstance(self.value, exc)

    def getrepr(self, *args: Any, **kwargs: Any) -> str:
        from .longrepr import format_exception
        return format_exception(self.value, kwargs.get("style", "long"), rootdir=".")

    def match(self, regexp: str | re.Pattern) -> bool:
        __tracebackhide__ = True
        value = self._stringify(self.value)
        if not re.search(regexp, value):
            raise AssertionError(_mismatch_message(regexp, value))
        return True

    def group_contains(self, expected_exception: Any, *, match: Any = None, depth: int | None = None) -> bool:
        def walk(group: BaseException, level: int) -> bool:
            for exc in getattr(group, "exceptions", ()):
                if isinstance(exc, BaseExceptionGroup) and (depth is None or level < depth):
                    if walk(exc, level + 1):
                        return True
                if (depth is None or level == depth) and isinstance(exc, expected_exception):
                    if match is None or re.search(match, self._stringify(exc)):
                        return True
            return False
        return walk(self.value, 1)

    @staticmethod
    def _stringify(exc: BaseException) -> str:
        text = str(exc)
        notes = getattr(exc, "__notes__", None)
        if notes:
            text = "\n".join([text, *notes])
        return text

    def __repr__(self) -> str:
        if self._excinfo is None:
            return "<ExceptionInfo for raises contextmanager>"
        return f"<ExceptionInfo {self.exconly(tryshort=True)!r} tblen={len(self.traceback)}>"


def _mismatch_message(regexp: Any, value: str) -> str:
    pattern = regexp.pattern if isinstance(regexp, re.Pattern) else regexp
    msg = f"Regex pattern did not match.\n  Expected regex: {pattern!r}\n  Actual message: {value!r}"
    if pattern == value:
        msg += "\n  Did you mean to `re.escape()` the regex?"
    return msg


def _describe(expected: Any) -> str:
    if isinstance(expected, tuple):
        return "any of " + repr(expected) if len(expected) > 1 else repr(expected[0])
    return repr(expected)


class RaisesContext:
    def __init__(self, expected: Any, match: Any, check: Callable | None) -> None:
        self.expected = expected
        self.match_expr = match
        self.check = check
        self.excinfo = ExceptionInfo.for_later()

    def __enter__(self) -> ExceptionInfo:
        return self.excinfo

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> bool:
        __tracebackhide__ = True
        if exc_type is None:
            fail(f"DID NOT RAISE {_describe(self.expected)}")
        if not issubclass(exc_type, self.expected):
            return False
        self.excinfo.fill_unfilled((exc_type, exc_val, exc_tb))
        if self.match_expr is not None:
            value = ExceptionInfo._stringify(exc_val)
            if not re.search(self.match_expr, value):
                raise AssertionError(_mismatch_message(self.match_expr, value))
        if self.check is not None and not self.check(exc_val):
            return False
        return True


def raises(expected_exception: Any, *args: Any, match: Any = None, check: Callable | None = None,
           **kwargs: Any) -> Any:
    """Assert that a block (or a call) raises ``expected_exception``."""
    __tracebackhide__ = True
    if isinstance(expected_exception, type):
        expected: Any = expected_exception
    else:
        expected = tuple(expected_exception)
    for exc in expected if isinstance(expected, tuple) else (expected,):
        if not (isinstance(exc, type) and issubclass(exc, BaseException)):
            raise TypeError(f"expected exception must be a BaseException type, not {type(exc).__name__}")
    if not args:
        if kwargs:
            raise TypeError(f"Unexpected keyword arguments passed to pytest.raises: {', '.join(sorted(kwargs))}\n"
                            "Use context-manager form instead?")
        return RaisesContext(expected, match, check)
    func = args[0]
    if not callable(func):
        raise TypeError(f"{func!r} object (type: {type(func)}) must be callable")
    try:
        func(*args[1:], **kwargs)
    except expected as exc:
        return ExceptionInfo.from_exception(exc)
    fail(f"DID NOT RAISE {_describe(expected)}")


class WarningsRecorder(warnings.catch_warnings):
    """Records warnings raised while active (``recwarn``)."""

    __module__ = "_pytest.recwarn"  # reprs read as pytest's

    def __init__(self) -> None:
        super().__init__(record=True)
        self._list: list[warnings.WarningMessage] = []

    @property
    def list(self) -> list:
        return self._list

    def __getitem__(self, i: int) -> Any:
        return self._list[i]

    def __iter__(self) -> Any:
        return iter(self._list)

    def __len__(self) -> int:
        return len(self._list)

    def pop(self, cls: type = Warning) -> Any:
        best = None
        for i, w in enumerate(self._list):
            if w.category == cls:
                return self._list.pop(i)
            if issubclass(w.category, cls) and (best is None or issubclass(w.category, self._list[best].category)):
                best = i
        if best is not None:
            return self._list.pop(best)
        __tracebackhide__ = True
        raise AssertionError(f"{cls!r} not found in warning list")

    def clear(self) -> None:
        self._list[:] = []

    def __enter__(self) -> "WarningsRecorder":  # type: ignore[override]
        recorded = super().__enter__()
        self._list = recorded  # type: ignore[assignment]
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: Any) -> None:  # type: ignore[override]
        super().__exit__(*exc)


class WarningsChecker(WarningsRecorder):

    __module__ = "_pytest.recwarn"  # reprs read as pytest's
    def __init__(self, expected: Any, match: Any) -> None:
        super().__init__()
        self.expected = expected if isinstance(expected, tuple) else (expected,)
        self.match_expr = match

    def _matches(self, w: Any) -> bool:
        return issubclass(w.category, self.expected) and (
            self.match_expr is None or bool(re.search(self.match_expr, str(w.message))))

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:  # type: ignore[override]
        super().__exit__(exc_type, exc_val, exc_tb)
        __tracebackhide__ = True
        if exc_type is not None and not issubclass(exc_type, Exception):
            return
        try:
            if not any(self._matches(w) for w in self):
                emitted = [w.message for w in self]
                if not any(issubclass(w.category, self.expected) for w in self):
                    fail(f"DID NOT WARN. No warnings of type {self.expected} were emitted.\n"
                         f" Emitted warnings: {emitted}.")
                fail(f"DID NOT WARN. No warnings of type {self.expected} matching the regex were emitted.\n"
                     f" Regex: {self.match_expr}\n Emitted warnings: {emitted}.")
        finally:
            # Warnings that did not match are re-emitted, matched or not, as pytest does.
            for w in self:
                if not self._matches(w):
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


def warns(expected_warning: Any = Warning, *args: Any, match: Any = None, **kwargs: Any) -> Any:
    """Assert that a block (or a call) emits a warning of the given class."""
    __tracebackhide__ = True
    if not args:
        return WarningsChecker(expected_warning, match)
    func = args[0]
    with WarningsChecker(expected_warning, match):
        return func(*args[1:], **kwargs)


def deprecated_call(func: Any = None, *args: Any, **kwargs: Any) -> Any:
    __tracebackhide__ = True
    categories = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
    if func is not None:
        return warns(categories, func, *args, **kwargs)
    return warns(categories, *args, **kwargs)
