# feature: builtins.capsys
import sys


def test_unicode(capsys):
    print("héllo ✓")
    assert capsys.readouterr().out == "héllo ✓\n"


def test_no_newline(capsys):
    sys.stdout.write("partial")
    assert capsys.readouterr().out == "partial"


def test_capsys_and_print_after_failure(capsys):
    print("before")
    captured = capsys.readouterr()
    print("after")
    assert captured.out == "before\n"
    assert False, "fails with captured output"


def test_err_only(capsys):
    print("e", file=sys.stderr, end="")
    assert capsys.readouterr() == ("", "e")
