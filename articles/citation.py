"""'Cite this' blocks: APA, BibTeX and CSL-JSON for an article or an aiwatch page."""

import datetime
import json
import re
from dataclasses import dataclass


@dataclass
class Citable:
    key: str
    title: str
    url: str
    author: str = ""
    container: str = ""  # the outlet, or "aiwatch"
    issued: datetime.date | None = None
    kind: str = "article-newspaper"  # a CSL type


def apa(c: Citable, accessed: datetime.date) -> str:
    date = f"({c.issued.year}, {c.issued.strftime('%B')} {c.issued.day})" if c.issued else "(n.d.)"
    container = f" {c.container}." if c.container else ""
    title = c.title.rstrip(".")
    retrieved = (
        ""
        if c.issued
        else f" Retrieved {accessed.strftime('%B')} {accessed.day}, {accessed.year}, from"
    )
    if c.author:
        return f"{c.author}. {date}. {title}.{container}{retrieved} {c.url}"
    return f"{title}. {date}.{container}{retrieved} {c.url}"


# LaTeX's special characters as LaTeX prints them. Braces become commands, not
# \{ and \}: BibTeX counts every brace, escaped or not, so a lone one would
# end the field (or swallow the rest of the entry).
_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "$": r"\$",
        "&": r"\&",
        "#": r"\#",
        "_": r"\_",
        "%": r"\%",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)
# A URL is copied verbatim by biblatex, so what could unbalance the entry is
# percent-encoded instead: the same address to a browser.
_URL = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.-]")


def latex_escape(text: str) -> str:
    """Text as LaTeX prints it, whatever characters it holds."""
    return text.translate(_LATEX)


def bibtex(c: Citable, accessed: datetime.date) -> str:
    def braced(text):
        return "{" + latex_escape(text) + "}"

    fields = [("title", braced(c.title))]
    if c.author:
        fields.append(("author", braced(c.author)))
    if c.container:
        fields.append(("organization", braced(c.container)))
    if c.issued:
        fields.append(("date", braced(c.issued.isoformat())))
    fields += [
        ("url", "{" + c.url.translate(_URL) + "}"),
        ("urldate", braced(accessed.isoformat())),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@online{{{_KEY_UNSAFE.sub('', c.key)},\n{body}\n}}"


def csl_json(c: Citable, accessed: datetime.date) -> str:
    item = {
        "id": c.key,
        "type": c.kind,
        "title": c.title,
        "URL": c.url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if c.author:
        item["author"] = [{"literal": c.author}]
    if c.container:
        item["container-title"] = c.container
    if c.issued:
        item["issued"] = {"date-parts": [[c.issued.year, c.issued.month, c.issued.day]]}
    return json.dumps([item], ensure_ascii=False, indent=2)


def all_formats(c: Citable, accessed: datetime.date | None = None) -> dict[str, str]:
    accessed = accessed or datetime.date.today()
    return {
        "APA": apa(c, accessed),
        "BibTeX": bibtex(c, accessed),
        "CSL-JSON": csl_json(c, accessed),
    }
