"""What extracting a capture gives: the text to store, the metadata, and where each came from."""

import datetime
from dataclasses import dataclass, field

from articles.cleaning import DroppedLine


@dataclass(frozen=True)
class Found:
    """A value the importer found, and where: "og:title meta tag", "text line 3"…"""

    value: object
    source: str = ""

    def __bool__(self):
        return bool(self.value)


NOT_FOUND = Found("", "")


@dataclass
class Extracted:
    """A capture reduced to an article: its stored text, body, metadata and report."""

    label: str
    kind: str  # "html" or "text"
    raw: str  # the text stored as the capture: quotes and line numbers refer to it
    body: str
    title: Found
    published_on: Found = NOT_FOUND
    modified_on: Found = NOT_FOUND
    author: Found = NOT_FOUND
    language: Found = NOT_FOUND
    url: Found = NOT_FOUND
    site_name: Found = NOT_FOUND
    encoding: Found = NOT_FOUND
    captured_at: datetime.datetime | None = None
    dropped: list[DroppedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The original file, byte for byte, for the Original beside the article.
    original: bytes = b""
    media_type: str = "text/plain"
    filename: str = ""
    archive_headers: str = ""

    def provenance(self) -> dict[str, str]:
        """Where each metadata field came from, as the Article stores it."""
        fields = {
            "title": self.title,
            "published_on": self.published_on,
            "modified_on": self.modified_on,
            "author": self.author,
            "language": self.language,
            "url": self.url,
            "site_name": self.site_name,
            "encoding": self.encoding,
        }
        return {name: found.source for name, found in fields.items() if found}
