from pkg.util import clamp, parse, countdown


def test_clamp():
    assert clamp(5, 0, 3) == 3
    assert clamp(1, 0, 3) == 1


def test_parse():
    assert parse("12") == 12


def test_countdown():
    assert countdown(2) == [2, 1, "go"]


def test_read_first(tmp_path):
    from pkg.util import read_first
    (tmp_path / "a.txt").write_text("x\ny\n")
    assert read_first(tmp_path / "a.txt") == "x\n"


def test_kind():
    from pkg.util import kind
    assert kind(1) == "int"
