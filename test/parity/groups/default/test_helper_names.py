# feature: helpers.names
import pytest


def test_public_classes():
    for name in ["MonkeyPatch", "FixtureRequest", "TempPathFactory", "LogCaptureFixture",
                 "CaptureFixture", "ExceptionInfo", "Mark", "MarkDecorator", "Config",
                 "Item", "Function", "Class", "Module", "Session", "Parser",
                 "WarningsRecorder", "PytestWarning", "PytestCollectionWarning",
                 "PytestUnraisableExceptionWarning", "RecordedHookCall", "Pytester"]:
        assert hasattr(pytest, name), name


def test_functions():
    for name in ["fixture", "mark", "raises", "warns", "approx", "skip", "fail", "xfail",
                 "importorskip", "exit", "param", "deprecated_call", "register_assert_rewrite",
                 "main", "fail", "freeze_includes", "set_trace"]:
        assert callable(getattr(pytest, name)), name


def test_version():
    assert isinstance(pytest.__version__, str)


def test_usage_error():
    assert issubclass(pytest.UsageError, Exception)


def test_exit_code():
    assert pytest.ExitCode.OK == 0
    assert pytest.ExitCode.TESTS_FAILED == 1
    assert pytest.ExitCode.NO_TESTS_COLLECTED == 5


def test_stash():
    key = pytest.StashKey[int]()
    stash = pytest.Stash()
    stash[key] = 1
    assert stash[key] == 1
