# feature: builtins.capsys
import sys


def test_binary(capsysbinary):
    print("bytes")
    out, err = capsysbinary.readouterr()
    assert out == b"bytes\n"
    assert err == b""


def test_binary_buffer(capsysbinary):
    sys.stdout.buffer.write(b"\x00\x01")
    assert capsysbinary.readouterr().out == b"\x00\x01"
