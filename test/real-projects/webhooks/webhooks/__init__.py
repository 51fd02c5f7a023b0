"""Signing and verifying webhook payloads."""

import hashlib
import hmac
import json


def sign(secret: bytes, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, payload: dict, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, payload), signature)
