# feature: builtins.capsys
import sys


def test_readouterr(capsys):
    print("hello")
    sys.stderr.write("oops\n")
    out, err = capsys.readouterr()
    assert out == "hello\n"
    assert err == "oops\n"


def test_named_tuple(capsys):
    print("x")
    captured = capsys.readouterr()
    assert captured.out == "x\n"
    assert captured.err == ""


def test_reset_between(capsys):
    print("a")
    capsys.readouterr()
    print("b")
    assert capsys.readouterr().out == "b\n"


def test_disabled(capsys):
    with capsys.disabled():
        pass
    print("after")
    assert capsys.readouterr().out == "after\n"


def test_failing_output(capsys):
    print("visible")
    assert capsys.readouterr().out == "other\n"
