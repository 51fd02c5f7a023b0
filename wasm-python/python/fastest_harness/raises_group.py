"""``pytest.RaisesExc`` and ``pytest.RaisesGroup``: matchers for one exception
and for an exception group, usable as context managers or through ``matches``."""

from __future__ import annotations

import re
from typing import Any, Callable

from .outcomes import fail
from .raises import ExceptionInfo


def _type_name(exc_type: Any) -> str:
    return exc_type.__name__ if isinstance(exc_type, type) else repr(exc_type)


def _check_type(expected: Any) -> None:
    if not (isinstance(expected, type) and issubclass(expected, BaseException)):
        raise TypeError(f"expected exception must be a BaseException type, RaisesExc, or RaisesGroup, "
                        f"not {type(expected).__name__}")


class _Matcher:
    """What RaisesExc and RaisesGroup share: match/check and the context manager."""

    match: Any
    check: Callable | None
    fail_reason: str | None

    def _matches_message_and_check(self, exception: BaseException) -> bool:
        if self.match is not None:
            text = ExceptionInfo._stringify(exception)
            if not re.search(self.match, text):
                pattern = self.match.pattern if isinstance(self.match, re.Pattern) else self.match
                self.fail_reason = f"Regex pattern did not match.\n  Expected regex: {pattern!r}\n  Actual message: {text!r}"
                return False
        if self.check is not None and not self.check(exception):
            self.fail_reason = f"check {self.check!r} did not return True"
            return False
        return True

    def matches(self, exception: BaseException | None) -> bool:
        raise NotImplementedError

    def __enter__(self) -> ExceptionInfo:
        self.excinfo = ExceptionInfo.for_later()
        return self.excinfo

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> bool:
        __tracebackhide__ = True
        if exc_type is None:
            fail(f"DID NOT RAISE any exception, expected `{self!r}`")
        if not self.matches(exc_val):
            if isinstance(self, RaisesExc) and self.expected_exceptions and not isinstance(exc_val, self.expected_exceptions):
                return False  # a different exception: let it propagate
            kind = "exception group" if isinstance(self, RaisesGroup) else "exception"
            raise AssertionError(f"Raised {kind} did not match: {self.fail_reason}")
        self.excinfo.fill_unfilled((exc_type, exc_val, exc_tb))
        return True


class RaisesExc(_Matcher):
    """Matches one exception by type, message regex and ``check`` callable."""

    def __init__(self, expected_exception: Any = None, *, match: Any = None, check: Callable | None = None) -> None:
        if expected_exception is None and match is None and check is None:
            raise ValueError("You must specify at least one parameter to match on.")
        types = expected_exception if isinstance(expected_exception, tuple) else (
            () if expected_exception is None else (expected_exception,))
        for exc in types:
            _check_type(exc)
        self.expected_exceptions: tuple = types
        self.match = match
        self.check = check
        self.fail_reason = None

    def matches(self, exception: BaseException | None) -> bool:
        self.fail_reason = None
        if exception is None:
            self.fail_reason = "exception is None"
            return False
        if self.expected_exceptions and not isinstance(exception, self.expected_exceptions):
            names = ", ".join(_type_name(t) for t in self.expected_exceptions)
            self.fail_reason = f"{_type_name(type(exception))}() is not an instance of {names}"
            return False
        return self._matches_message_and_check(exception)

    def __repr__(self) -> str:
        parts = []
        if self.expected_exceptions:
            names = [_type_name(t) for t in self.expected_exceptions]
            parts.append(names[0] if len(names) == 1 else f"({', '.join(names)})")
        if self.match is not None:
            parts.append(f"match={self.match!r}")
        if self.check is not None:
            parts.append(f"check={self.check!r}")
        return f"RaisesExc({', '.join(parts)})"


class RaisesGroup(_Matcher):
    """Matches an exception group whose members match the expected ones one to one."""

    def __init__(self, expected_exception: Any, /, *other: Any, allow_unwrapped: bool = False,
                 flatten_subgroups: bool = False, match: Any = None, check: Callable | None = None) -> None:
        self.expected_exceptions: tuple = (expected_exception, *other)
        for exc in self.expected_exceptions:
            if not isinstance(exc, (RaisesExc, RaisesGroup)):
                _check_type(exc)
        if allow_unwrapped and (len(self.expected_exceptions) > 1 or match is not None or check is not None):
            raise ValueError("allow_unwrapped=True needs exactly one expected exception and no match or check; "
                             "nest a RaisesGroup to match the group itself")
        self.allow_unwrapped = allow_unwrapped
        self.flatten_subgroups = flatten_subgroups
        self.match = match
        self.check = check
        self.fail_reason = None

    @staticmethod
    def _member_matches(expected: Any, exception: BaseException) -> bool:
        if isinstance(expected, _Matcher):
            return expected.matches(exception)
        return isinstance(exception, expected)

    def _flatten(self, group: BaseExceptionGroup) -> list[BaseException]:
        members: list[BaseException] = []
        for exc in group.exceptions:
            if isinstance(exc, BaseExceptionGroup):
                members.extend(self._flatten(exc))
            else:
                members.append(exc)
        return members

    def _assign(self, members: list[BaseException]) -> bool:
        """Whether each expected entry can take its own member (a bipartite matching)."""
        if len(members) != len(self.expected_exceptions):
            return False
        owner: dict[int, int] = {}

        def place(i: int, seen: set[int]) -> bool:
            for j, member in enumerate(members):
                if j in seen or not self._member_matches(self.expected_exceptions[i], member):
                    continue
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
            return False

        return all(place(i, set()) for i in range(len(self.expected_exceptions)))

    def matches(self, exception: BaseException | None) -> bool:
        self.fail_reason = None
        if exception is None:
            self.fail_reason = "exception is None"
            return False
        if not isinstance(exception, BaseExceptionGroup):
            if self.allow_unwrapped and self._member_matches(self.expected_exceptions[0], exception):
                return True
            self.fail_reason = f"{_type_name(type(exception))}() is not an exception group"
            return False
        if not self._matches_message_and_check(exception):
            return False
        members = self._flatten(exception) if self.flatten_subgroups else list(exception.exceptions)
        if not self._assign(members):
            self.fail_reason = f"{exception!r} does not match the expected exceptions of {self!r}"
            return False
        return True

    def __repr__(self) -> str:
        parts = [_type_name(e) if isinstance(e, type) else repr(e) for e in self.expected_exceptions]
        if self.allow_unwrapped:
            parts.append("allow_unwrapped=True")
        if self.flatten_subgroups:
            parts.append("flatten_subgroups=True")
        if self.match is not None:
            parts.append(f"match={self.match!r}")
        if self.check is not None:
            parts.append(f"check={self.check!r}")
        return f"RaisesGroup({', '.join(parts)})"
