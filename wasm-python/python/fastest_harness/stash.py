"""``pytest.Stash``/``StashKey``, ``pytest.ExitCode`` and the ``pytest.Pytester``
name."""

from __future__ import annotations

import enum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class StashKey(Generic[T]):
    """A typed key for a ``Stash``; every instance is a distinct key."""

    __slots__ = ()


class Stash(dict):
    """``item.stash``/``config.stash``: a dict, keyed by ``StashKey`` objects
    (and by the harness's own string keys)."""

    __module__ = "_pytest.stash"


class ExitCode(enum.IntEnum):
    """The exit codes of a pytest run."""

    OK = 0
    TESTS_FAILED = 1
    INTERRUPTED = 2
    INTERNAL_ERROR = 3
    USAGE_ERROR = 4
    NO_TESTS_COLLECTED = 5


class Pytester:
    """Importable so type hints and ``isinstance`` checks work; a nested pytest
    session cannot run inside fastest's sandbox."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("pytest.Pytester is not available inside fastest: "
                           "it cannot run a nested pytest session in its sandbox")
