"""Text on its way out to formats with rules of their own: XML and spreadsheets.

Editors' text is stored as typed. What a format cannot carry, or would read
as something other than text, is dealt with here, at the edge, so that a row
stored before input cleaning (or by update()) cannot break an output either.
"""

import re

from aiwatch.core.text import NOT_XML, SEPARATORS

# OWASP's CSV injection list, plus the full-width forms of = + - @, which some
# spreadsheets in CJK locales also read as the start of a formula.
_FORMULA_START = tuple("=+-@\t\r＝＋－＠")
# A signed number ("-3", "+44", "-3.5") is read as that number, never as a formula.
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:[.,]\d+)*")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry, which Django's feed writer refuses.

    A vertical tab or form feed becomes a space, as on input (aiwatch.core.text).
    """
    return SEPARATORS.sub(" ", NOT_XML.sub("", text))


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a would-be formula gets a leading quote.

    The quote is what OWASP recommends: spreadsheets hide it and show the text.
    """
    if cell.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
