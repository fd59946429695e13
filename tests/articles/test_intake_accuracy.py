"""Accuracy of intake on many outlets' captures: title, date, body kept, boilerplate dropped.

Each set is a folder of captures and a manifest of what an editor would want
from each. `dev` is what the cleaner was developed against. `heldout` and
`unseen` were written separately, in other styles and without the issue's
example phrases; each was first scored untuned (heldout 11/16, unseen 7/15
clean), then the cleaner learnt from what they showed, by kind of
boilerplate, never by phrase. The `blind` sets were written by people who
never saw the cleaner or the other captures, and were scored as written:
they are the honest figure. The test prints a line a capture and fails on
any capture below the bar that is not listed in KNOWN_SHORT.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from articles import intake

CORPUS = Path(__file__).resolve().parent / "intake_corpus"
SETS = ("dev", "heldout", "unseen", "blind", "blind2", "blind3")
MIN_SENTENCES_KEPT = 0.98
# Captures below the bar today, each with what falls short. A ratchet: the test
# fails when any other capture falls below the bar, and when one of these passes
# (take it off the list).
KNOWN_SHORT = {
    # Debatable: the author's closing offer to the reader. unseen/06's manifest keeps a
    # near-identical one ("If you're dealing with this right now, happy to compare notes.")
    # as the post's text, so no rule can satisfy both; it is left as the writer of each wanted.
    "blind2/10_medium_style_post.html": "the author's call to reach out kept",
    "blind3/01_au_news_site_listen_now.html": "a key-points box kept",
    "blind3/04_csdn_style_blog.txt": "a column's collection note kept",
    "blind3/08_hkex_voluntary_announcement.txt": "title (the company's name); board lines kept",
    "blind3/09_us_commerce_press_statement.html": "'FOR IMMEDIATE RELEASE' kept",
    "blind3/11_newsletter_email.html": "subheadings in table cells lost; sponsor lines kept",
    "blind3/13_youtube_video_page.txt": "refused as no article text",
    "blind3/14_podcast_transcript.html": "transcript notes and show-notes heading kept",
}

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’」)]*\s+|(?<=[。！？])")


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def sentences(paragraph: str) -> list[str]:
    return [s for s in (_norm(part) for part in _SENTENCE_END.split(paragraph)) if s]


@dataclass
class Score:
    name: str
    title_ok: bool
    date_ok: bool
    kept: float
    boilerplate_kept: list[str]

    @property
    def ok(self) -> bool:
        return (
            self.title_ok
            and self.date_ok
            and self.kept >= MIN_SENTENCES_KEPT
            and not self.boilerplate_kept
        )


def entries() -> list[tuple[str, dict]]:
    found = []
    for name in SETS:
        manifest = tomllib.loads((CORPUS / name / "manifest.toml").read_text(encoding="utf-8"))
        found.extend((name, entry) for entry in manifest["capture"])
    return found


def extract(folder: str, entry: dict) -> intake.Extracted:
    files = intake.read(CORPUS / folder / entry["file"])
    if entry.get("url"):
        files = [file for file in files if file.url == entry["url"]] or files
    return intake.extract(files[0])


def score(folder: str, entry: dict) -> Score:
    # An archive's pages are told apart by their address.
    name = f"{folder}/{entry['file']}" + (f" {entry['url']}" if entry.get("url") else "")
    try:
        extracted = extract(folder, entry)
    except intake.CaptureError as error:
        # Refused as no article at all: nothing kept, every part of the capture missed.
        return Score(name, False, False, 0.0, [f"refused: {error}"])
    body = _norm(extracted.body)
    paragraphs = {_norm(p) for p in extracted.body.split("\n\n")}
    expected = [s for paragraph in entry["body"] for s in sentences(paragraph)]
    kept = sum(1 for sentence in expected if sentence in body) / len(expected)
    expected_text = _norm(" ".join([entry["title"], *entry["body"]]))
    leaked = [
        block
        for block in entry["boilerplate"]
        if (key := _norm(block))
        # A block that is also article text (a pull quote, a one-word menu item) cannot leak.
        and key not in expected_text
        and (key in paragraphs or (len(key) >= 25 and key in body))
    ]
    date = extracted.published_on.value
    date_ok = (date.isoformat() if date else "") == entry["date"]
    return Score(
        name=name,
        title_ok=_norm(str(extracted.title.value)) == _norm(entry["title"]),
        date_ok=date_ok,
        kept=kept,
        boilerplate_kept=leaked,
    )


def test_the_corpus_covers_thirty_captures_in_twelve_styles():
    found = entries()
    assert len(found) >= 30
    assert len({entry["style"] for _, entry in found}) >= 12
    assert {Path(entry["file"]).suffix for _, entry in found} >= {".txt", ".html", ".gz"}


def test_every_capture_imports_with_its_title_date_body_and_no_boilerplate(capsys):
    scores = [score(folder, entry) for folder, entry in entries()]

    with capsys.disabled():
        print("\nintake accuracy, a line a capture (title, date, body sentences kept, leaks):")
        for s in scores:
            print(
                f"  {'ok  ' if s.ok else 'FAIL'} {s.name:<55} title {'✓' if s.title_ok else '✗'}"
                f"  date {'✓' if s.date_ok else '✗'}  kept {s.kept:6.1%}"
                f"  leaked {len(s.boilerplate_kept)}"
                + (f": {s.boilerplate_kept[:3]}" if s.boilerplate_kept else "")
            )
        for folder in SETS:
            mine = [s for s in scores if s.name.startswith(folder + "/")]
            print(
                f"  {folder}: {sum(s.ok for s in mine)}/{len(mine)} captures clean; "
                f"titles {sum(s.title_ok for s in mine)}/{len(mine)}, "
                f"dates {sum(s.date_ok for s in mine)}/{len(mine)}, "
                f"median sentences kept {sorted(s.kept for s in mine)[len(mine) // 2]:.1%}, "
                f"boilerplate blocks leaked {sum(len(s.boilerplate_kept) for s in mine)}"
            )

    regressed = [s.name for s in scores if not s.ok and s.name not in KNOWN_SHORT]
    improved = [s.name for s in scores if s.ok and s.name in KNOWN_SHORT]
    assert not regressed, f"{len(regressed)} captures fell below the bar: {regressed}"
    assert not improved, f"now above the bar, take them off KNOWN_SHORT: {improved}"


@pytest.mark.parametrize(
    ("folder", "entry"),
    [(folder, entry) for folder, entry in entries() if entry.get("ambiguous_date")],
    ids=lambda value: value["file"] if isinstance(value, dict) else value,
)
def test_an_ambiguous_date_is_flagged_not_guessed(folder, entry):
    extracted = extract(folder, entry)

    assert not extracted.published_on
    assert any("ambiguous" in warning for warning in extracted.warnings)
