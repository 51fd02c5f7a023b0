"""Output capture per test phase (sys-level: inside the sandbox there are no
file descriptors to redirect, so "fd" behaves as "sys"), log capture, and the
``capsys``-style fixtures that take over while they are active."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from typing import Any, NamedTuple

LOG_FORMAT = "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s"


#: Captured bytes kept per stream and test phase; the rest is counted, not stored,
#: so a test that prints without end cannot exhaust memory or flood the report.
OUTPUT_LIMIT = 4 * 1024 * 1024


class CappedBytesIO(io.BytesIO):
    """Keeps the first ``OUTPUT_LIMIT`` bytes written and counts the rest.

    Closing it does nothing: a test that closes ``sys.stdout`` must not take
    the capture of the tests after it down with it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def write(self, data: Any) -> int:
        size = memoryview(data).nbytes
        room = OUTPUT_LIMIT - self.tell()
        if size <= room:
            return super().write(data)
        if room > 0:
            super().write(memoryview(data).cast("B")[:room])
        self.dropped += size - max(room, 0)
        return size

    def close(self) -> None:
        pass

    def truncate(self, size: int | None = None) -> int:
        self.dropped = 0
        return super().truncate(size)

    def text(self) -> str:
        text = self.getvalue().decode("UTF-8", errors="replace")
        if self.dropped:
            text += (f"\n[fastest: output cut here; {self.dropped} more bytes were written: only the first "
                     f"{OUTPUT_LIMIT // (1024 * 1024)} MiB per test phase and stream are kept]\n")
        return text


class CaptureIO(io.TextIOWrapper):
    """A text stream over bytes, so code using ``sys.stdout.buffer`` works."""

    def __init__(self) -> None:
        # Kept apart from ``buffer``, which a test can detach.
        self._bytes = CappedBytesIO()
        super().__init__(self._bytes, encoding="UTF-8", newline="", write_through=True)

    def close(self) -> None:
        # See CappedBytesIO: closing the captured stream is ignored.
        pass

    def usable(self) -> bool:
        """False once a test detached the buffer (``sys.stdout.detach()``)."""
        # What makes a write raise ValueError, read without writing (asked twice per phase).
        return self.buffer is not None and not self.closed

    def drain(self) -> str:
        """The text written since the last drain; the stream is emptied."""
        raw = self._bytes
        # Most phases print nothing: an empty buffer needs no decoding or truncating.
        if not raw.seek(0, 2) and not raw.dropped:
            return ""
        text = raw.text()
        raw.seek(0)
        raw.truncate()
        return text

    def getvalue(self) -> str:
        return self._bytes.text()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._bytes.seek(offset, whence)

    def truncate(self, size: int | None = None) -> int:
        return self._bytes.truncate(size)


def _closed(stream: Any) -> bool:
    try:
        return stream is None or bool(stream.closed)
    except Exception:  # noqa: BLE001 - a stream broken in any way counts as closed
        return True


def _repair_std_streams() -> None:
    """Give ``sys.stdout``/``sys.stderr`` back to a phase after a test closed them
    (or closed file descriptors 1 and 2), so later tests' output still flows."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        try:
            os.get_inheritable(fd)  # EBADF when closed, like fstat, at a fraction of its cost in wasm
            fd_open = True
        except OSError:
            reopened = os.open(f"/dev/{name}", os.O_WRONLY)
            if reopened != fd:
                os.dup2(reopened, fd)
                os.close(reopened)
            fd_open = False
        if fd_open and not _closed(stream):
            continue
        fresh = io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="UTF-8",
                                 errors="backslashreplace", line_buffering=True)
        setattr(sys, name, fresh)
        if _closed(getattr(sys, f"__{name}__")):
            setattr(sys, f"__{name}__", fresh)


class CaptureResult(NamedTuple):
    out: Any
    err: Any


def log_level_number(level: Any) -> int | None:
    """A ``log_level``-style setting (``INFO``, ``info``, ``20``) as a number; None when unset."""
    if level is None or str(level).strip() == "":
        return None
    text = str(level).strip().upper()
    value = getattr(logging, text, None)
    if isinstance(value, int):
        return value
    try:
        return int(text)
    except ValueError:
        return None


class LogSettings:
    """The run's logging options (``HarnessConfig.logging``): the captured
    records' level and format, and live logging's (None when it is off)."""

    def __init__(self, options: dict | None = None) -> None:
        options = options or {}
        self.level = log_level_number(options.get("level"))
        self.formatter = logging.Formatter(options.get("format") or LOG_FORMAT, options.get("dateFormat") or "%H:%M:%S")
        cli = options.get("cli")
        self.live = cli is not None
        self.live_level = log_level_number(cli.get("level")) if cli else None
        self.live_formatter = logging.Formatter(cli.get("format") or LOG_FORMAT, cli.get("dateFormat") or "%H:%M:%S") if cli else None


class LogCaptureHandler(logging.Handler):
    def __init__(self, formatter: logging.Formatter | None = None) -> None:
        super().__init__(0)
        self.records: list[logging.LogRecord] = []
        self.stream = io.StringIO()
        self.setFormatter(formatter or logging.Formatter(LOG_FORMAT))
        self._formatter = self.formatter

    def renew(self) -> None:
        """Start a phase as a new handler would (pytest reuses its handlers
        too): a new record list and stream, level 0, no filters, our format."""
        self.records = []
        self.stream = io.StringIO()
        self.level = 0
        if self.filters:
            self.filters = []
        self.formatter = self._formatter

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        try:
            self.stream.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - a bad log call must not break the test
            self.handleError(record)

    def reset(self) -> None:
        self.records = []
        self.stream = io.StringIO()

    def clear(self) -> None:
        self.records.clear()
        self.stream = io.StringIO()


class CaptureManager:
    """Swaps ``sys.stdout``/``sys.stderr`` (and a root log handler) per phase."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.fixture: Any = None
        self._saved: tuple[Any, Any] | None = None
        self._out: CaptureIO | None = None
        self._err: CaptureIO | None = None
        self._streams: tuple[CaptureIO, CaptureIO] | None = None
        # Two handlers per phase, as in pytest: one for the report's "Captured log"
        # section, one that ``caplog`` reads, clears and re-levels on its own.
        self.log_handler: LogCaptureHandler | None = None
        self.caplog_handler: LogCaptureHandler | None = None
        self._log_handlers: tuple[LogCaptureHandler, LogCaptureHandler] | None = None
        self.log_settings = LogSettings()
        # Live logging: its handler, the root logger's level before the phase,
        # and the records the last phase showed (``PhaseReport.liveLog``).
        self._live_handler: LogCaptureHandler | None = None
        self._root_level: int | None = None
        self.live_log = ""

    def configure_logging(self, options: dict | None) -> None:
        self.log_settings = LogSettings(options)
        self._log_handlers = None
        self._live_handler = LogCaptureHandler(self.log_settings.live_formatter) if self.log_settings.live else None

    def start_phase(self) -> None:
        _repair_std_streams()
        self._saved = (sys.stdout, sys.stderr)
        if self.mode != "no":
            # One pair of streams for the whole run, read and emptied per phase, like
            # pytest's global capture: a handler that kept a reference keeps working.
            if self._streams is None:
                self._streams = (CaptureIO(), CaptureIO())
            self._out, self._err = self._streams
            sys.stdout, sys.stderr = self._out, self._err
        if self.fixture is not None:
            self.fixture._install()
        root = logging.getLogger()
        # Made once and renewed per phase: building a logging.Handler (lock,
        # formatter, shutdown registry) twice per phase was a large share of
        # an empty test's cost.
        settings = self.log_settings
        if self._log_handlers is None:
            self._log_handlers = (LogCaptureHandler(settings.formatter), LogCaptureHandler(settings.formatter))
        else:
            for handler in self._log_handlers:
                handler.renew()
        self.log_handler, self.caplog_handler = self._log_handlers
        # As pytest's catching_logs: a set level goes on the handlers and lowers the root logger's.
        levels = []
        if settings.level is not None:
            self.log_handler.setLevel(settings.level)
            self.caplog_handler.setLevel(settings.level)
            levels.append(settings.level)
        root.addHandler(self.log_handler)
        root.addHandler(self.caplog_handler)
        if self._live_handler is not None:
            self._live_handler.renew()
            if settings.live_level is not None:
                self._live_handler.setLevel(settings.live_level)
                levels.append(settings.live_level)
            root.addHandler(self._live_handler)
        if levels:
            self._root_level = root.level
            root.setLevel(min(root.level, *levels))

    def end_phase(self) -> tuple[str, str, str]:
        if self.fixture is not None:
            self.fixture._close()
        handler = self.log_handler
        log = ""
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            log = handler.stream.getvalue().strip()
        if self.caplog_handler is not None:
            logging.getLogger().removeHandler(self.caplog_handler)
        self.live_log = ""
        if self._live_handler is not None:
            logging.getLogger().removeHandler(self._live_handler)
            self.live_log = self._live_handler.stream.getvalue()
        if self._root_level is not None:
            logging.getLogger().setLevel(self._root_level)
            self._root_level = None
        out = err = ""
        if self._out is not None and self._err is not None:
            out, err = self._out.drain(), self._err.drain()
            if not (self._out.usable() and self._err.usable()):
                # The test detached a stream's buffer: the next phase starts on fresh ones.
                self._streams = None
        if self._saved is not None:
            sys.stdout, sys.stderr = self._saved
        self._saved = self._out = self._err = None
        return out, err, log

    def phase_streams(self) -> tuple[Any, Any]:
        """What a fixture that stops capturing mid-phase should restore."""
        if self._out is not None and self._err is not None:
            return self._out, self._err
        if self._saved is not None:
            return self._saved
        return sys.stdout, sys.stderr

    def original_streams(self) -> tuple[Any, Any]:
        return self._saved if self._saved is not None else (sys.__stdout__, sys.__stderr__)

    @contextlib.contextmanager
    def global_and_fixture_disabled(self) -> Any:
        current = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self.original_streams()
        try:
            yield
        finally:
            sys.stdout, sys.stderr = current


class CaptureFixture:
    """``capsys``/``capfd`` (and binary variants): capture while active.

    Like pytest's, unread output is handed to the phase's capture at the end
    of each phase (so it shows in the report) and still returned by the next
    ``readouterr()``.
    """

    __module__ = "_pytest.capture"  # reprs read as pytest's

    def __init__(self, manager: CaptureManager, binary: bool = False, tee: bool = False) -> None:
        self._manager = manager
        self._binary = binary
        self._tee = tee
        self._out: CaptureIO | None = None
        self._err: CaptureIO | None = None
        self._captured_out = ""
        self._captured_err = ""

    def _start(self) -> None:
        if self._manager.fixture is not None:
            raise RuntimeError("cannot use capsys and capfd (or their binary variants) at the same time")
        self._manager.fixture = self
        self._install()

    def _install(self) -> None:
        self._out, self._err = CaptureIO(), CaptureIO()
        sys.stdout, sys.stderr = self._out, self._err

    def _close(self) -> None:
        """Hand unread output to the phase's streams and stop capturing."""
        if self._out is None or self._err is None:
            return
        out, err = self._out.getvalue(), self._err.getvalue()
        self._out = self._err = None
        target_out, target_err = self._manager.phase_streams()
        sys.stdout, sys.stderr = target_out, target_err
        if out:
            target_out.write(out)
        if err:
            target_err.write(err)
        self._captured_out += out
        self._captured_err += err

    def _stop(self) -> None:
        self._close()
        if self._manager.fixture is self:
            self._manager.fixture = None

    def readouterr(self) -> CaptureResult:
        out, err = self._captured_out, self._captured_err
        self._captured_out = self._captured_err = ""
        if self._out is not None and self._err is not None:
            out += self._out.getvalue()
            err += self._err.getvalue()
            for stream in (self._out, self._err):
                stream.seek(0)
                stream.truncate()
        if self._tee:
            real_out, real_err = self._manager.phase_streams()
            real_out.write(out)
            real_err.write(err)
        if self._binary:
            return CaptureResult(out.encode("UTF-8"), err.encode("UTF-8"))
        return CaptureResult(out, err)

    @contextlib.contextmanager
    def disabled(self) -> Any:
        with self._manager.global_and_fixture_disabled():
            yield


class LogCaptureFixture:
    """``caplog``."""

    __module__ = "_pytest.logging"  # reprs read as pytest's

    def __init__(self, item: Any, manager: CaptureManager) -> None:
        self._item = item
        self._manager = manager
        self._initial_handler_level: int | None = None
        self._initial_levels: dict[str | None, int] = {}
        self._disabled_level: int | None = None

    @property
    def handler(self) -> LogCaptureHandler:
        handler = self._manager.caplog_handler
        assert handler is not None
        return handler

    def get_records(self, when: str) -> list[logging.LogRecord]:
        return self._item.stash.get("caplog_records", {}).get(when, [])

    @property
    def text(self) -> str:
        return self.handler.stream.getvalue()

    @property
    def records(self) -> list[logging.LogRecord]:
        return self.handler.records

    @property
    def record_tuples(self) -> list[tuple[str, int, str]]:
        return [(r.name, r.levelno, r.getMessage()) for r in self.records]

    @property
    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]

    def clear(self) -> None:
        self.handler.clear()

    def set_level(self, level: int | str, logger: str | None = None) -> None:
        logger_obj = logging.getLogger(logger)
        self._initial_levels.setdefault(logger, logger_obj.level)
        logger_obj.setLevel(level)
        if self._initial_handler_level is None:
            self._initial_handler_level = self.handler.level
        self.handler.setLevel(level)

    @contextlib.contextmanager
    def at_level(self, level: int | str, logger: str | None = None) -> Any:
        logger_obj = logging.getLogger(logger)
        old_level = logger_obj.level
        logger_obj.setLevel(level)
        handler_level = self.handler.level
        self.handler.setLevel(level)
        try:
            yield
        finally:
            logger_obj.setLevel(old_level)
            self.handler.setLevel(handler_level)

    @contextlib.contextmanager
    def filtering(self, filter_: logging.Filter) -> Any:
        self.handler.addFilter(filter_)
        try:
            yield
        finally:
            self.handler.removeFilter(filter_)

    def _finalize(self) -> None:
        for name, level in self._initial_levels.items():
            logging.getLogger(name).setLevel(level)
        if self._initial_handler_level is not None and self._manager.caplog_handler is not None:
            self._manager.caplog_handler.setLevel(self._initial_handler_level)
