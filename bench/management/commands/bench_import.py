"""python manage.py bench_import [--pages 1000] [--seed 42]: import speed of saved HTML pages.

Writes --pages generated pages (each a different story with an outlet's
furniture: menus, share bar, sidebar, footer, metadata in meta tags) to a
temporary folder, then times `import_articles` on the folder, once as a dry run
(reading and extraction only) and once for real (extraction, inserts, search
index, republication check). Prints pages per second for each. The articles
it made, and their history, are deleted afterwards, so a rerun measures the same work.
"""

import io
import pathlib
import random
import tempfile
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from reversion.models import Revision

from aiwatch.core.progress import progress
from articles.models import Article, Source

OUTLETS = ["Harbour Ledger", "Dragon Dev Blog", "TechPulse Asia", "Valley Briefing", "Kejiqianyan"]
SUBJECTS = ["OpenAI", "Baidu", "Alibaba Cloud", "Zhipu AI", "Moonshot AI", "SenseTime", "01.AI"]
VERBS = ["said", "warned", "announced", "confirmed", "argued", "told developers", "wrote"]
OBJECTS = [
    "that API traffic from unsupported regions would be blocked",
    "free tokens for developers moving from OpenAI's models",
    "a migration plan for start-ups in Hong Kong and Shenzhen",
    "that the cut-off would speed up work on domestic models",
    "prices for its largest model would fall by half",
    "that Azure customers were not affected by the change",
]


def _sentence(rng: random.Random, n: int) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"in statement {n}-{rng.randrange(10**6)}, according to people briefed on the plan."
    )


def _page(rng: random.Random, n: int) -> str:
    outlet = OUTLETS[n % len(OUTLETS)]
    title = f"{rng.choice(SUBJECTS)} responds as OpenAI cuts off China, report {n}"
    paragraphs = "\n".join(
        f"<p>{' '.join(_sentence(rng, n) for _ in range(rng.randint(2, 4)))}</p>"
        for _ in range(rng.randint(5, 12))
    )
    day = 1 + n % 28
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="2024-07-{day:02d}T08:00:00+08:00">
<meta name="author" content="Reporter {n % 40}">
<link rel="canonical" href="https://bench.example/{n}">
<script>window.dataLayer = [];</script><style>.x{{color:red}}</style></head>
<body><header><a href="/">{outlet}</a><nav><ul><li><a href="/">Home</a></li>
<li><a href="/tech">Tech</a></li><li><a href="/business">Business</a></li></ul></nav></header>
<main><article><h1>{title}</h1><div class="byline">By Reporter {n % 40}</div>
{paragraphs}
<div class="share"><h3>Share this:</h3><ul><li><a href="#">Twitter</a></li>
<li><a href="#">Facebook</a></li></ul></div></article>
<aside><h3>Most read</h3><ul><li><a href="/a">Baidu cuts Ernie prices</a></li>
<li><a href="/b">Why Hong Kong fears an AI gap</a></li></ul></aside></main>
<footer>© 2024 {outlet}. All rights reserved.</footer></body></html>"""


class Command(BaseCommand):
    help = "Time import_articles on generated HTML pages; prints pages per second."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, pages, seed, **options):
        rng = random.Random(seed)
        with tempfile.TemporaryDirectory(prefix="aiwatch-bench-import-") as directory:
            folder = pathlib.Path(directory)
            for n in progress(range(pages), total=pages, label="write pages"):
                (folder / f"page-{n:05d}.html").write_text(_page(rng, n), encoding="utf-8")
            size = sum(path.stat().st_size for path in folder.iterdir())
            self.stdout.write(f"{pages} pages, {size / 1024 / 1024:.1f} MB of HTML")
            before = set(Article.objects.values_list("pk", flat=True))
            sources_before = set(Source.objects.values_list("pk", flat=True))
            last_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
            try:
                dry = self._timed(folder, "--dry-run")
                real = self._timed(folder)
            finally:
                Article.objects.exclude(pk__in=before).delete()
                Source.objects.exclude(pk__in=sources_before).delete()
                # The history of what it made, too: a rerun must start from the same tables.
                Revision.objects.filter(pk__gt=last_revision or 0).delete()
        self.stdout.write(
            f"dry run (read and extract): {dry:.1f} s, {pages / dry:.1f} pages/s\n"
            f"import (extract, write, index, republication check): {real:.1f} s, "
            f"{pages / real:.1f} pages/s (target: at least 20 pages/s)"
        )

    @staticmethod
    def _timed(folder: pathlib.Path, *options: str) -> float:
        started = time.perf_counter()
        call_command("import_articles", str(folder), *options, stdout=io.StringIO())
        return time.perf_counter() - started
