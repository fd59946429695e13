"""Text as people type it: without the control characters that only break things.

A vertical tab pasted from a slide, a NUL from a binary file, U+FFFF from a
broken converter: none of them is text a reader sees, PostgreSQL refuses NUL,
and an XML feed that carries any of them is not XML. Forms drop them
(aiwatch.core.forms) and so does the import of a capture (articles.intake).
"""

import re

# What XML 1.0 cannot carry is these two, which stand for a space, and the rest of
# the C0 controls but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
# Slides and word processors paste a line break inside a paragraph as a vertical tab,
# and text from a PDF has a form feed between pages: both stand between two words.
SEPARATORS = re.compile("[\x0b\x0c]")
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Input drops DEL as well: XML allows it, but no one types it on purpose.
_DROPPED = re.compile(f"{NOT_XML.pattern}|\x7f")


def without_control_characters(text: str) -> str:
    """`text` with the characters above dropped, and a vertical tab or form feed as a space."""
    return SEPARATORS.sub(" ", _DROPPED.sub("", text))


def count_control_characters(text: str) -> int:
    """How many characters without_control_characters() drops or replaces in `text`."""
    return len(_DROPPED.findall(text)) + len(SEPARATORS.findall(text))
