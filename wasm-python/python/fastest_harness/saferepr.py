"""Size-limited reprs that never raise, as shown in assertion messages and tracebacks."""

from __future__ import annotations

import reprlib

DEFAULT_MAXSIZE = 240


def _describe_repr_failure(exc: BaseException, obj: object) -> str:
    try:
        what = repr(exc)
    except BaseException as inner:  # noqa: BLE001 - a repr may raise anything
        try:
            what = f"unpresentable exception ({inner!r})"
        except BaseException:
            what = "unpresentable exception"
    return f"<[{what} raised in repr()] {type(obj).__name__} object at 0x{id(obj):x}>"


def ellipsize(text: str, maxsize: int) -> str:
    """Cut the middle out of ``text`` so that it is at most ``maxsize`` long."""
    if len(text) <= maxsize:
        return text
    head = max(0, (maxsize - 3) // 2)
    tail = max(0, maxsize - 3 - head)
    return text[:head] + "..." + text[len(text) - tail:]


class _LimitedRepr(reprlib.Repr):
    def __init__(self, maxsize: int | None, use_ascii: bool) -> None:
        super().__init__()
        self.maxstring = maxsize if maxsize is not None else 10**9
        self.maxsize = maxsize
        self.use_ascii = use_ascii

    def repr(self, x: object) -> str:
        try:
            text = ascii(x) if self.use_ascii else super().repr(x)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001
            text = _describe_repr_failure(exc, x)
        return text if self.maxsize is None else ellipsize(text, self.maxsize)

    def repr_instance(self, x: object, level: int) -> str:
        try:
            text = repr(x)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001
            text = _describe_repr_failure(exc, x)
        return text if self.maxsize is None else ellipsize(text, self.maxsize)


def saferepr(obj: object, maxsize: int | None = DEFAULT_MAXSIZE, use_ascii: bool = False) -> str:
    """repr() limited to ``maxsize`` characters (reprlib-style for containers)."""
    return _LimitedRepr(maxsize, use_ascii).repr(obj)


def saferepr_unlimited(obj: object, use_ascii: bool = True) -> str:
    try:
        return ascii(obj) if use_ascii else repr(obj)
    except Exception as exc:  # noqa: BLE001
        return _describe_repr_failure(exc, obj)
