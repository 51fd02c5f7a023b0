# feature: builtins.caplog
import logging

import pytest

log = logging.getLogger("parity.more")


@pytest.fixture
def logs_in_setup():
    log.warning("from setup")


def test_setup_records(caplog, logs_in_setup):
    assert [r.getMessage() for r in caplog.get_records("setup")] == ["from setup"]
    assert caplog.records == []


def test_child_logger(caplog):
    logging.getLogger("parity.more.child").error("child")
    assert caplog.record_tuples == [("parity.more.child", logging.ERROR, "child")]


def test_set_level_on_logger(caplog):
    caplog.set_level(logging.INFO, logger="parity.more")
    log.info("info shown")
    logging.getLogger("other").info("not shown")
    assert caplog.messages == ["info shown"]


def test_exception_logged(caplog):
    try:
        1 / 0
    except ZeroDivisionError:
        log.exception("failed")
    assert caplog.records[0].exc_info[0] is ZeroDivisionError


def test_level_restored(caplog):
    assert logging.getLogger("parity.more").level == logging.NOTSET


def test_handler_level(caplog):
    assert caplog.handler.level == 0
