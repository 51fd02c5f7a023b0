"""URL slugs.

>>> slugify("Already-a-slug")
'already-a-slug'
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, separator: str = "-") -> str:
    """Lower-case ASCII words joined by ``separator``.

    >>> slugify("Straße & Co.")
    'strasse-co'
    >>> slugify("one two", separator="_")
    'one_two'
    """
    text = text.replace("ß", "ss")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(separator, ascii_text.lower()).strip(separator)
