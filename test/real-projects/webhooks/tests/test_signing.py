import pytest

from webhooks import sign, verify


def test_round_trip(secret, vendor):
    payload = {"vendor": vendor, "event": "ping"}
    assert verify(secret, payload, sign(secret, payload))


def test_tampered_payload(secret, vendor):
    signature = sign(secret, {"vendor": vendor, "amount": 10})
    assert not verify(secret, {"vendor": vendor, "amount": 1000}, signature)


def test_key_order_does_not_matter(secret):
    assert sign(secret, {"a": 1, "b": 2}) == sign(secret, {"b": 2, "a": 1})


@pytest.mark.vendor("stripe")
def test_retries_come_from_the_ini(retries):
    assert retries == 3


@pytest.mark.slow
def test_many_signatures(secret):
    assert len({sign(secret, {"n": n}) for n in range(20000)}) == 20000


def test_delivery_log_is_kept(delivery_log, secret):
    delivery_log.append("attempt 1")
    assert sign(secret, {}) == "not the signature"
