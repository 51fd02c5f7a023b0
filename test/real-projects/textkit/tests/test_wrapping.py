from textkit.wrapping import wrap


def test_long_word_is_kept_whole():
    assert wrap("incomprehensibilities", 5) == ["incomprehensibilities"]


def test_every_line_fits():
    text = "lorem ipsum dolor sit amet consectetur adipiscing elit " * 3
    assert all(len(line) <= 20 for line in wrap(text, 20))
