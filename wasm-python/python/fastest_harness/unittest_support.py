"""``unittest.TestCase`` classes: collected like pytest does (methods from
``TestLoader.getTestCaseNames``, so sorted by name) and run through
``TestCase.run`` with the item acting as the result object."""

from __future__ import annotations

import sys
from typing import Any

from . import subtests
from .fixtures import FixtureDef
from .items import Function
from .nodes import Class
from .outcomes import Skipped, fail, xfail

def is_testcase(obj: Any) -> bool:
    ut = sys.modules.get("unittest")
    if ut is None:
        return False
    try:
        return issubclass(obj, ut.TestCase)
    except TypeError:
        return False


def _is_skipped(obj: Any) -> bool:
    return bool(getattr(obj, "__unittest_skip__", False))


def collect_testcase(collector: Any, parent: Any, name: str, cls: type) -> list[Function]:
    import unittest

    node = UnitTestCase(name, parent, f"{parent.nodeid}::{name}", cls)
    if not getattr(cls, "__test__", True):
        return []
    manager = collector.manager
    if not _is_skipped(cls):
        _register_class_fixture(manager, node)
        _register_method_fixture(manager, node)
    # Fixture methods bind to the running TestCase; the bare instance (no __init__) only gives them their class.
    manager.parse(cls, node.nodeid, instance=cls.__new__(cls), config=collector.config)
    names = unittest.TestLoader().getTestCaseNames(cls)
    if not names and getattr(cls, "runTest", None) is not None:
        names = ["runTest"]
    items: list[Function] = []
    chain_ids = list(dict.fromkeys(n.nodeid for n in node.listchain()))
    from .fixtures import closure
    for method_name in names:
        func = getattr(cls, method_name)
        if not getattr(func, "__test__", True):
            continue
        item = TestCaseFunction(method_name, node, f"{node.nodeid}::{method_name}", func, method_name)
        item.location = collector._location(item, func)
        usefixtures = [a for m in item.iter_markers("usefixtures") for a in m.args]
        initial = [*manager.autouse_names(chain_ids), *usefixtures]
        item.fixturenames, item._arg2fixturedefs = closure(manager, initial, node.nodeid, set())
        items.append(item)
    return items


def _register_class_fixture(manager: Any, node: Any) -> None:
    cls = node.obj
    setup = getattr(cls, "setUpClass", None)
    teardown = getattr(cls, "tearDownClass", None)
    if setup is None and teardown is None:
        return
    cleanup = getattr(cls, "doClassCleanups", lambda: None)

    def unittest_setup_class_fixture(request: Any) -> Any:
        if _is_skipped(cls):
            raise Skipped(cls.__unittest_skip_why__, _use_item_location=True)
        if setup is not None:
            try:
                setup()
            except Exception:
                cleanup()
                raise
        yield
        try:
            if teardown is not None:
                teardown()
        finally:
            cleanup()

    manager.add(FixtureDef(f"_unittest_setUpClass_fixture_{cls.__qualname__}", unittest_setup_class_fixture,
                           "class", None, None, True, node.nodeid, argnames=("request",)))


def _register_method_fixture(manager: Any, node: Any) -> None:
    cls = node.obj
    setup = getattr(cls, "setup_method", None)
    teardown = getattr(cls, "teardown_method", None)
    if setup is None and teardown is None:
        return

    def unittest_setup_method_fixture(request: Any) -> Any:
        instance = request.instance
        if _is_skipped(instance):
            raise Skipped(instance.__unittest_skip_why__, _use_item_location=True)
        if setup is not None:
            setup(instance, request.function)
        yield
        if teardown is not None:
            teardown(instance, request.function)

    manager.add(FixtureDef(f"_unittest_setup_method_fixture_{cls.__qualname__}", unittest_setup_method_fixture,
                           "function", None, None, True, node.nodeid, argnames=("request",)))


class UnitTestCase(Class):
    kind = "class"


class TestCaseFunction(Function):
    """A TestCase method; it is also the ``result`` object unittest reports to."""

    _excinfo: list
    # Read by unittest's subTest() when a subtest fails.
    failfast = False

    @property
    def instance(self) -> Any:
        if self._instance is None:
            self._instance = self.parent.obj(self.name)
        return self._instance

    @property
    def obj(self) -> Any:
        return getattr(self.instance, self.name)

    def runtest(self) -> None:
        __tracebackhide__ = True
        self._excinfo = []
        testcase = self.instance
        testcase(result=self)
        if self._excinfo:
            error = self._excinfo[0]
            raise error

    # -- the unittest result protocol
    def _add(self, rawexcinfo: Any) -> None:
        value = rawexcinfo[1] if isinstance(rawexcinfo, tuple) else rawexcinfo
        if isinstance(rawexcinfo, tuple) and value is not None and rawexcinfo[2] is not None:
            value = value.with_traceback(rawexcinfo[2])
        if value is None:
            try:
                fail(f"NOTE: Incompatible Exception Representation, displaying natively:\n\n{rawexcinfo!r}",
                     pytrace=False)
            except BaseException as exc:  # noqa: BLE001
                value = exc
        self._excinfo.append(value)

    def addError(self, testcase: Any, rawexcinfo: Any) -> None:
        import unittest
        if isinstance(rawexcinfo, tuple) and isinstance(rawexcinfo[1], unittest.SkipTest):
            self.addSkip(testcase, str(rawexcinfo[1]))
            return
        self._add(rawexcinfo)

    def addFailure(self, testcase: Any, rawexcinfo: Any) -> None:
        self._add(rawexcinfo)

    def addSkip(self, testcase: Any, reason: str) -> None:
        if testcase is not self.instance and hasattr(testcase, "test_case"):
            # A skip inside ``self.subTest``: only that subtest is skipped.
            try:
                raise Skipped(reason, _use_item_location=True)
            except Skipped as exc:
                self.addSubTest(testcase.test_case, testcase, exc)
            return
        try:
            raise Skipped(reason, _use_item_location=True)
        except Skipped as exc:
            self._excinfo.append(exc)

    def addExpectedFailure(self, testcase: Any, rawexcinfo: Any, reason: str = "") -> None:
        try:
            xfail(str(reason))
        except BaseException as exc:  # noqa: BLE001
            self._excinfo.append(exc)

    def addUnexpectedSuccess(self, testcase: Any, reason: Any = None) -> None:
        msg = "Unexpected success"
        if reason:
            msg += f": {getattr(reason, 'reason', reason)}"
        try:
            fail(msg, pytrace=False)
        except BaseException as exc:  # noqa: BLE001
            self._excinfo.append(exc)

    def addSubTest(self, testcase: Any, subtest: Any, rawexcinfo: Any) -> None:
        import unittest.case
        error = None
        if rawexcinfo is not None:
            error = rawexcinfo if isinstance(rawexcinfo, BaseException) else rawexcinfo[1]
            if isinstance(rawexcinfo, tuple) and rawexcinfo[2] is not None:
                error = error.with_traceback(rawexcinfo[2])
        message = subtest._message
        msg = None if message is getattr(unittest.case, "_subtest_msg_sentinel", None) else str(message)
        subtests.record(self, subtests.description(msg, subtest.params), error, 0.0)

    def addSuccess(self, testcase: Any) -> None:
        pass

    def startTest(self, testcase: Any) -> None:
        pass

    def stopTest(self, testcase: Any) -> None:
        pass

    def addDuration(self, testcase: Any, elapsed: float) -> None:
        pass
