"""Intake for the admin's "Import article" page: turning an upload or a paste into a capture.

A capture is text, one paragraph per line, as articles.cleaning expects. An
HTML page is reduced to that text here, with BeautifulSoup and the standard
library's html.parser; the text, not the HTML, is what gets imported and
stored as the article's raw capture, so the line numbers that cleaning
reports, and the quotes checked against the body, refer to text an editor
can read.
"""

import pathlib
import re
import tempfile

from bs4 import BeautifulSoup, CData, NavigableString, Tag
from django.db.models import Q

from articles.models import Article, content_hash
from articles.services import CaptureError, read_capture

# Elements whose text is never the article's: code, styling, and the page's
# furniture (menus, site banner and footer, sidebars, search and comment forms).
DROPPED_ELEMENTS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "iframe",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
)
# Inside an <article> or <main>, a <header> holds the headline, byline and date
# and a <footer> the article's own end matter: those are kept, and cleaning
# sorts their lines out. Only the site's banner and footer are dropped.
_KEPT_INSIDE = ("article", "main")
_SECTIONING = frozenset({"header", "footer"})

# Elements that start a new line of text; everything else (a, em, span…) runs on.
BLOCK_ELEMENTS = frozenset(
    """address article blockquote body caption dd details dialog div dl dt fieldset
    figcaption figure h1 h2 h3 h4 h5 h6 hgroup hr html li main ol p pre section summary
    table tbody td tfoot th thead tr ul""".split()  # noqa: SIM905 (reads better as prose)
)
_PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext"})
_WHITESPACE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, one block (paragraph, heading, list item) a line.

    Lines are separated by a blank line, like a hand-made capture. Scripts,
    styles and the page's furniture are left out; whitespace inside a block is
    collapsed to single spaces, as a browser shows it.
    """
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(list(DROPPED_ELEMENTS)):
        if element.decomposed or _is_article_part(element):
            continue
        element.decompose()
    for string in soup.find_all(string=True):
        if type(string) not in (NavigableString, CData):
            string.extract()  # comments, doctypes, processing instructions
        elif not any(parent.name in _PREFORMATTED for parent in string.parents):
            string.replace_with(_WHITESPACE.sub(" ", string))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(sorted(BLOCK_ELEMENTS)):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return "\n\n".join(line for line in lines if line)


def _is_article_part(element: Tag) -> bool:
    return element.name in _SECTIONING and element.find_parent(_KEPT_INSIDE) is not None


def decode_capture(data: bytes) -> str:
    """The text of an uploaded or pasted capture, checked as import_articles checks files.

    The same rules as read_capture (which reads a path): UTF-8, not empty, not
    binary; a leading BOM is dropped, line endings are kept. Raises
    CaptureError with a message that names no file.
    """
    with tempfile.TemporaryDirectory(prefix="aiwatch-intake-") as directory:
        path = pathlib.Path(directory) / "capture"
        path.write_bytes(data)
        try:
            return read_capture(path)
        except CaptureError as error:
            raise CaptureError(str(error).removeprefix(f"{path}: ")) from None


def duplicates_of(raw: str, original_url: str = "") -> list[tuple[Article, str]]:
    """The Articles that would make importing `raw` (from `original_url`) a duplicate, and why.

    Both checks of articles.services.import_capture, reported together: the
    same capture (its content hash), and the same original URL. One query.
    """
    digest = content_hash(raw)
    same = Q(content_hash=digest)
    if original_url:
        same |= Q(original_url=original_url)
    found = []
    for article in Article.objects.filter(same).order_by("pk"):
        if article.content_hash == digest:
            found.append((article, "this capture has already been imported"))
        else:
            found.append((article, f"{original_url} is already the URL of another article"))
    return found
