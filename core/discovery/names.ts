/**
 * Names static discovery knows: Python's builtins, what the sandbox's
 * `pytest` module exports, the marks it registers itself, and the standard
 * library modules a test may import without making its file dynamic
 * (present in Pyodide and free of import-time side effects that matter).
 */

export const BUILTIN_NAMES = new Set(
  (
    "ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError BufferError " +
    "BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError " +
    "DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup FileExistsError " +
    "FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError " +
    "IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError " +
    "NameError NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning " +
    "PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning " +
    "StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError TypeError " +
    "UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning " +
    "ValueError Warning ZeroDivisionError __debug__ __doc__ __name__ __file__ abs aiter all anext any ascii bin bool " +
    "bytearray bytes callable chr classmethod complex dict divmod enumerate filter float format frozenset getattr " +
    "hasattr hash hex id int isinstance issubclass iter len list map max memoryview min next object oct ord pow print " +
    "property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip"
  ).split(" "),
);

/** The sandbox's `pytest` module (wasm-python/python/pytest/__init__.py). */
export const PYTEST_NAMES = new Set(
  (
    "approx CaptureFixture CaptureResult LogCaptureFixture Config Parser PytestPluginManager FixtureDef fixture " +
    "FixtureLookupError FixtureRequest Cache TempPathFactory Function PytestCollectionWarning PytestReturnNotNoneWarning " +
    "HIDDEN_PARAM Mark MarkDecorator MarkGenerator mark param MonkeyPatch Class Dir Module Item Package Session Exit exit " +
    "fail importorskip skip xfail Metafunc ExceptionInfo WarningsRecorder deprecated_call raises warns RaisesExc RaisesGroup " +
    "ExitCode Pytester Stash StashKey register_assert_rewrite __version__ version_tuple PytestAssertRewriteWarning " +
    "PytestCacheWarning PytestConfigWarning PytestDeprecationWarning PytestExperimentalApiWarning PytestRemovedIn9Warning " +
    "PytestRemovedIn10Warning PytestUnhandledThreadExceptionWarning PytestUnknownMarkWarning PytestUnraisableExceptionWarning " +
    "PytestWarning set_trace Collector File Directory RecordedHookCall UsageError hookimpl hookspec main"
  ).split(" "),
);

/** Marks the harness knows without registration (`_BUILTIN_MARKERS` in marks.py). */
export const BUILTIN_MARKS = new Set(["filterwarnings", "skip", "skipif", "xfail", "parametrize", "usefixtures", "tryfirst", "trylast", "timeout"]);

/** Standard library modules a test file may import and stay static. */
export const STDLIB_MODULES = new Set(
  (
    "__future__ abc argparse array ast asyncio base64 binascii bisect builtins calendar cmath codecs collections " +
    "colorsys contextlib contextvars copy csv dataclasses datetime decimal difflib dis doctest email enum errno " +
    "fnmatch fractions functools gc getopt gettext glob graphlib gzip hashlib heapq hmac html http inspect io " +
    "ipaddress itertools json keyword linecache locale logging math mimetypes numbers operator os pathlib pickle " +
    "pkgutil platform posixpath pprint queue quopri random re reprlib secrets select shlex shutil signal socket " +
    "stat statistics string struct subprocess sys sysconfig tempfile textwrap threading time timeit token tokenize " +
    "traceback types typing unicodedata unittest urllib uuid warnings weakref zipfile zlib"
  ).split(" "),
);

/** conftest hooks that cannot change what is collected or how `--collect-only` prints it. */
export const HARMLESS_HOOK = /^pytest_(runtest_\w+|fixture_setup|fixture_post_finalizer|assertrepr_compare|exception_interact|pyfunc_call|addoption)$/;
