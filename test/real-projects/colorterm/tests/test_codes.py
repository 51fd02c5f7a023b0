from pathlib import Path

import pytest

import colorterm

DATA = Path(__file__).parent / "data" / "named.txt"


def named_colours():
    for line in DATA.read_text().splitlines():
        if line and not line.startswith("#"):
            name, *numbers = line.split()
            yield pytest.param(*map(int, numbers), id=name)


@pytest.mark.parametrize(("r", "g", "b", "xterm"), named_colours())
def test_to_256(r, g, b, xterm):
    assert colorterm.to_256(r, g, b) == xterm


@pytest.mark.parametrize("code", ["\x1b[0m", "\x1b[1;31m", "\x1b[38;2;1;2;3m"])
def test_strip_removes(code):
    assert colorterm.strip(f"{code}text{code}") == "text"


@pytest.fixture(scope="module", params=[(0, 0, 0), (255, 255, 255)], ids=["dark", "light"])
def background(request):
    return request.param


def test_paint_round_trip(background, style):
    text = style + colorterm.paint("hi", *background)
    assert colorterm.strip(text) == "hi"


def test_out_of_range(request):
    capsys = request.getfixturevalue("capsys")
    with pytest.raises(ValueError, match="out of range: 256"):
        colorterm.fg(0, 0, 256)
    print("checked")
    assert capsys.readouterr().out == "checked\n"


@pytest.mark.stress
@pytest.mark.parametrize("sample", range(30000))
def test_every_sample_maps_into_the_cube(sample):
    r, g, b = (sample * 7919) % 256, (sample * 104729) % 256, (sample * 31) % 256
    assert 16 <= colorterm.to_256(r, g, b) <= 231
