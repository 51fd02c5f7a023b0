"""``pytest.approx`` for numbers, sequences and mappings of numbers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sized
from decimal import Decimal
from numbers import Complex
from typing import Any


class ApproxBase:
    __array_ufunc__ = None
    __array_priority__ = 100
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, expected: Any, rel: Any = None, abs: Any = None, nan_ok: bool = False) -> None:
        self.expected = expected
        self.abs = abs
        self.rel = rel
        self.nan_ok = nan_ok

    def _scalar(self, value: Any) -> "ApproxScalar":
        return ApproxScalar(value, rel=self.rel, abs=self.abs, nan_ok=self.nan_ok)

    def _repr_compare(self, other: Any) -> list[str]:
        return ["comparison failed", f"Obtained: {other}", f"Expected: {self}"]

    def __eq__(self, actual: Any) -> bool:
        return all(a == self._scalar(x) for a, x in self._pairs(actual))

    def __ne__(self, actual: Any) -> bool:
        return not (actual == self)

    def __bool__(self) -> bool:
        __tracebackhide__ = True
        raise AssertionError("approx() is not supported in a boolean context.\n"
                             "Did you mean: `assert a == approx(b)`?")

    def _pairs(self, actual: Any) -> Any:
        raise NotImplementedError


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


class ApproxScalar(ApproxBase):
    DEFAULT_ABSOLUTE_TOLERANCE: Any = 1e-12
    DEFAULT_RELATIVE_TOLERANCE: Any = 1e-6

    def __repr__(self) -> str:
        expected = self.expected
        if _is_bool(expected) or not isinstance(expected, (Complex, Decimal)) or math.isinf(abs(expected)):
            return str(expected)
        try:
            tol = self.tolerance
            text = f"{tol:n}" if 1e-3 <= tol < 1e3 else f"{tol:.1e}"
            if isinstance(expected, Complex) and expected.imag and not math.isinf(tol):
                text += " ∠ ±180°"
        except ValueError:
            text = "???"
        return f"{expected} ± {text}"

    def __eq__(self, actual: Any) -> bool:
        expected = self.expected
        if _is_bool(expected) and not _is_bool(actual):
            return False
        if actual == expected:
            return True
        if _is_bool(expected) or not (isinstance(expected, (Complex, Decimal))
                                      and isinstance(actual, (Complex, Decimal))):
            return False
        if math.isnan(abs(expected)):
            return self.nan_ok and math.isnan(abs(actual))
        if math.isinf(abs(expected)):
            return False
        return bool(abs(expected - actual) <= self.tolerance)

    __hash__ = None  # type: ignore[assignment]

    @property
    def tolerance(self) -> Any:
        absolute = self.DEFAULT_ABSOLUTE_TOLERANCE if self.abs is None else self.abs
        if absolute < 0:
            raise ValueError(f"absolute tolerance can't be negative: {absolute}")
        if math.isnan(absolute):
            raise ValueError("absolute tolerance can't be NaN.")
        if self.rel is None and self.abs is not None:
            return absolute
        relative = (self.DEFAULT_RELATIVE_TOLERANCE if self.rel is None else self.rel) * abs(self.expected)
        if relative < 0:
            raise ValueError(f"relative tolerance can't be negative: {relative}")
        if math.isnan(relative):
            raise ValueError("relative tolerance can't be NaN.")
        return max(relative, absolute)


class ApproxDecimal(ApproxScalar):
    DEFAULT_ABSOLUTE_TOLERANCE = Decimal("1e-12")
    DEFAULT_RELATIVE_TOLERANCE = Decimal("1e-6")


def _table(mismatched: list[tuple[str, str, str]], total: int, max_abs: float, max_rel: float) -> list[str]:
    rows = [("Index", "Obtained", "Expected"), *mismatched]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return [
        f"comparison failed. Mismatched elements: {len(mismatched)} / {total}:",
        f"Max absolute difference: {max_abs}",
        f"Max relative difference: {max_rel}",
        *(f"{a:<{widths[0]}} | {b:<{widths[1]}} | {c:<{widths[2]}}" for a, b, c in rows),
    ]


class ApproxMapping(ApproxBase):
    def __repr__(self) -> str:
        return f"approx({ {k: self._scalar(v) for k, v in self.expected.items()}!r})"

    def __eq__(self, actual: Any) -> bool:
        try:
            if set(actual.keys()) != set(self.expected.keys()):
                return False
        except AttributeError:
            return False
        return super().__eq__(actual)

    def _pairs(self, actual: Any) -> Any:
        for key in self.expected:
            yield actual[key], self.expected[key]

    def _repr_compare(self, other: Any) -> list[str]:
        if len(self.expected) != len(other):
            return ["Impossible to compare mappings with different sizes.",
                    f"Lengths: {len(self.expected)} and {len(other)}"]
        if self.expected.keys() != other.keys():
            return ["comparison failed.",
                    f"Mappings has different keys: expected {self.expected.keys()} but got {other.keys()}"]
        max_abs = max_rel = -math.inf
        rows = []
        for key, value in self.expected.items():
            approx_value = self._scalar(value)
            got = other[key]
            if approx_value != got:
                try:
                    max_abs = max(max_abs, abs(value - got))
                    max_rel = math.inf if value == 0.0 else max(max_rel, abs((value - got) / value))
                except (TypeError, ZeroDivisionError):
                    pass
                rows.append((str(key), str(got), str(approx_value)))
        return _table(rows, len(self.expected), max_abs, max_rel)


class ApproxSequenceLike(ApproxBase):
    def __repr__(self) -> str:
        kind = type(self.expected) if type(self.expected) in (tuple, list) else list
        return f"approx({kind(self._scalar(x) for x in self.expected)!r})"

    def __eq__(self, actual: Any) -> bool:
        try:
            if len(actual) != len(self.expected):
                return False
        except TypeError:
            return False
        return super().__eq__(actual)

    def _pairs(self, actual: Any) -> Any:
        return zip(actual, self.expected)

    def _repr_compare(self, other: Any) -> list[str]:
        if len(self.expected) != len(other):
            return ["Impossible to compare lists with different sizes.",
                    f"Lengths: {len(self.expected)} and {len(other)}"]
        max_abs = max_rel = -math.inf
        rows = []
        for i, (value, got) in enumerate(zip(self.expected, other)):
            approx_value = self._scalar(value)
            if approx_value != got:
                try:
                    diff = abs(value - got)
                    max_abs = max(max_abs, diff)
                    max_rel = math.inf if got == 0.0 else max(max_rel, diff / abs(got))
                except TypeError:
                    pass
                rows.append((str(i), str(got), str(approx_value)))
        return _table(rows, len(self.expected), max_abs, max_rel)


def approx(expected: Any, rel: Any = None, abs: Any = None, nan_ok: bool = False) -> ApproxBase:
    """Assert that two numbers (or collections of numbers) are equal within a tolerance."""
    __tracebackhide__ = True
    if isinstance(expected, Decimal):
        return ApproxDecimal(expected, rel, abs, nan_ok)
    if isinstance(expected, Mapping):
        return ApproxMapping(expected, rel, abs, nan_ok)
    if isinstance(expected, (str, bytes)):
        raise TypeError(f"pytest.approx() does not support strings: {expected!r}")
    if isinstance(expected, Sized) and hasattr(expected, "__getitem__") and not isinstance(expected, (str, bytes)):
        return ApproxSequenceLike(expected, rel, abs, nan_ok)
    if isinstance(expected, (set, frozenset)):
        raise TypeError("pytest.approx() only supports ordered sequences, but got: " + repr(expected))
    return ApproxScalar(expected, rel, abs, nan_ok)
