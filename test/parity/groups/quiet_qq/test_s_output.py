# feature: output.verbosity
import sys


def test_prints():
    print("OUT: from test")


def test_stderr():
    sys.stderr.write("err line\n")


def test_capsys_still_works(capsys):
    print("captured")
    assert capsys.readouterr().out == "captured\n"
