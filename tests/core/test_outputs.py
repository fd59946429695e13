"""Text on its way out: what XML and spreadsheets can carry (aiwatch.core.outputs)."""

import pytest

from aiwatch.core.outputs import spreadsheet_safe, xml_safe


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-A1", "'-A1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("- a dash and words", "'- a dash and words"),
        ("-3+A1", "'-3+A1"),
        # A plain number is no formula: a spreadsheet reads it as the number it says.
        ("-3", "-3"),
        ("+44", "+44"),
        ("-3.5", "-3.5"),
        ("Tokens = money", "Tokens = money"),
        ("", ""),
    ],
)
def test_a_cell_is_neutralized_only_when_a_spreadsheet_would_read_a_formula(cell, exported):
    assert spreadsheet_safe(cell) == exported


def test_xml_safe_drops_only_what_xml_cannot_carry_and_keeps_words_apart():
    assert xml_safe("a\x0bb\x0c\x00c\x1f\ufffe\uffffd") == "a b cd"
    kept = "tab\tnewline\nreturn\r DEL\x7f 商汤 \ue000 😀"
    assert xml_safe(kept) == kept
