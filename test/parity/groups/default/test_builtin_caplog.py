# feature: builtins.caplog
import logging

logger = logging.getLogger("parity.caplog")


def test_records(caplog):
    logger.warning("careful %s", "now")
    assert len(caplog.records) == 1
    assert caplog.records[0].levelname == "WARNING"
    assert caplog.records[0].getMessage() == "careful now"


def test_text(caplog):
    logger.error("boom")
    assert "boom" in caplog.text


def test_messages(caplog):
    logger.warning("one")
    logger.warning("two")
    assert caplog.messages == ["one", "two"]


def test_record_tuples(caplog):
    logger.warning("tuple")
    assert caplog.record_tuples == [("parity.caplog", logging.WARNING, "tuple")]


def test_default_level_filters_debug(caplog):
    logger.debug("hidden")
    assert caplog.messages == []


def test_set_level(caplog):
    caplog.set_level(logging.DEBUG)
    logger.debug("shown")
    assert caplog.messages == ["shown"]


def test_at_level(caplog):
    with caplog.at_level(logging.INFO, logger="parity.caplog"):
        logger.info("inside")
    assert caplog.messages == ["inside"]


def test_clear(caplog):
    logger.warning("gone")
    caplog.clear()
    assert caplog.records == []


def test_get_records(caplog):
    logger.warning("call phase")
    assert [r.getMessage() for r in caplog.get_records("call")] == ["call phase"]


def test_fails_with_log(caplog):
    logger.warning("logged before failure")
    assert caplog.messages == []
