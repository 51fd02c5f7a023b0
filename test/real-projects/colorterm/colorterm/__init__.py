"""ANSI colour codes for terminals."""

import re

RESET = "\x1b[0m"
_CSI = re.compile(r"\x1b\[[0-9;]*m")


def fg(r: int, g: int, b: int) -> str:
    for value in (r, g, b):
        if not 0 <= value <= 255:
            raise ValueError(f"channel out of range: {value}")
    return f"\x1b[38;2;{r};{g};{b}m"


def paint(text: str, r: int, g: int, b: int) -> str:
    return f"{fg(r, g, b)}{text}{RESET}"


def strip(text: str) -> str:
    return _CSI.sub("", text)


def to_256(r: int, g: int, b: int) -> int:
    """The nearest colour of the xterm 6x6x6 cube."""
    def level(v: int) -> int:
        return 0 if v < 48 else 1 if v < 115 else (v - 35) // 40
    return 16 + 36 * level(r) + 6 * level(g) + level(b)
