# feature: builtins.capfd
import sys


def test_both_streams(capfd):
    print("a")
    print("b", file=sys.stderr)
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("a\n", "b\n")


def test_incremental(capfd):
    print("one")
    first = capfd.readouterr().out
    print("two")
    assert (first, capfd.readouterr().out) == ("one\n", "two\n")


def test_failing(capfd):
    print("unexpected")
    assert capfd.readouterr().out == ""
