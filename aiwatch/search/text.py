"""Text handling shared by indexing and querying: CJK bigrams and query parsing.

PostgreSQL's parser treats an unbroken run of CJK characters as one word, so
"OpenAI宣布" or a whole Chinese sentence would be a single lexeme and 商汤
would never match 商汤科技. aiwatch indexes every CJK run as its single
characters and overlapping bigrams, after folding traditional characters to
simplified (華為 → 华为), and queries the same way.
"""

import re
from dataclasses import dataclass, field
from functools import cache

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
MAX_QUERY_LENGTH = 256
MAX_TERMS = 16
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_PREFIXABLE = re.compile(r"^[^\W_]+$")  # safe inside to_tsquery('…:*')


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Traditional Chinese to simplified; other scripts pass through unchanged."""
    return _converter().convert(text) if CJK_RUN.search(text) else text


def cjk_runs(text: str) -> list[str]:
    return CJK_RUN.findall(fold(text))


def cjk_terms(text: str) -> str:
    """The index terms for the CJK parts of `text`: each run's bigrams, then its characters."""
    terms: list[str] = []
    for run in cjk_runs(text):
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        terms.extend(run)
    return " ".join(terms)


def cjk_query_terms(run: str) -> list[str]:
    """What a CJK query word must match: its bigrams, or the character itself if alone."""
    run = fold(run)
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


# --- Query parsing -------------------------------------------------------------


@dataclass
class Atom:
    """One thing to look for: a word, a "quoted phrase", or a CJK run."""

    text: str
    phrase: bool = False
    prefix: bool = False
    cjk: bool = False
    # The token as typed, when punctuation split it: PostgreSQL indexes "01.AI"
    # as one word, so the query must also try it whole.
    as_typed: str = ""


@dataclass
class ParsedQuery:
    """A web-style query: groups are AND-ed, the atoms inside a group are OR-ed."""

    groups: list[list[Atom]] = field(default_factory=list)
    excluded: list[Atom] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def words(self) -> list[str]:
        return [atom.text for group in self.groups for atom in group]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def clean(raw: str) -> tuple[str, bool]:
    """Drop NUL and other control characters, collapse spaces, cap the length."""
    text = "".join(ch if ch.isprintable() or ch.isspace() else "" for ch in raw)
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH], truncated


def _atoms(text: str, *, phrase: bool) -> list[Atom]:
    """A token's Latin words (one phrase when quoted or hyphenated, like gpt-4o) and CJK runs."""
    atoms: list[Atom] = []
    latin = CJK_RUN.sub(" ", text)
    words = _WORD.findall(latin)
    if phrase:
        joined = " ".join(words)
        typed = latin.strip(" \"'“”‘’()[]{}.,;:!?")
        as_typed = typed if len(words) > 1 and " " not in typed else ""
        atoms.extend(Atom(joined, phrase=len(words) > 1, as_typed=as_typed) for _ in words[:1])
    else:
        atoms.extend(Atom(w) for w in words)
    atoms.extend(Atom(run, cjk=True) for run in cjk_runs(text))
    return atoms


def parse(raw: str) -> ParsedQuery:
    """Parse `"quoted phrases"`, `-excluded` words, `OR`, and a prefix on the last word.

    Anything unbalanced or odd degrades to plain words: a query never fails to parse.
    """
    text, truncated = clean(raw)
    parsed = ParsedQuery(truncated=truncated)
    pending_or = False
    last_atoms: list[Atom] = []  # the positive atoms of the last token typed
    for match in _TOKEN.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        last_atoms = []
        if bare is not None and bare == "OR":
            pending_or = bool(parsed.groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            parsed.excluded.extend(_atoms(bare[1:], phrase=False))
            continue
        # A bare token is one word to the user even when punctuation splits it (gpt-4o).
        atoms = _atoms(quoted if quoted is not None else bare, phrase=True)
        if not atoms:
            continue
        if negated:
            parsed.excluded.extend(atoms)
            continue
        if pending_or and parsed.groups:
            parsed.groups[-1].extend(atoms[:1])
            parsed.groups.extend([a] for a in atoms[1:])
        else:
            parsed.groups.extend([a] for a in atoms)
        pending_or = False
        last_atoms = [] if quoted is not None else atoms
    parsed.groups = parsed.groups[:MAX_TERMS]
    parsed.excluded = parsed.excluded[:MAX_TERMS]
    # The word being typed, if the query ends in one, matches as a prefix.
    latin = [a for a in last_atoms if not a.cjk and _PREFIXABLE.match(a.text)]
    if latin and not raw[-1:].isspace() and text.endswith(latin[-1].text):
        latin[-1].prefix = any(latin[-1] is a for g in parsed.groups for a in g)
    return parsed
