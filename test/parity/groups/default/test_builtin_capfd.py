# feature: builtins.capfd
import sys


def test_capfd(capfd):
    print("fd out")
    sys.stderr.write("fd err\n")
    out, err = capfd.readouterr()
    assert out == "fd out\n"
    assert err == "fd err\n"


def test_capfdbinary(capfdbinary):
    print("bin")
    assert capfdbinary.readouterr().out == b"bin\n"


def test_capfd_disabled(capfd):
    with capfd.disabled():
        pass
    assert capfd.readouterr().out == ""
