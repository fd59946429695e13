"""`manage.py seed`: import the seed articles, then load the curated knowledge graph.

Everything comes from one file, seeds/graph.toml by default: its [[sources]]
and [[articles]] say which captures to import and with what metadata, and the
rest is the graph that entities.graph.load_graph loads. The whole run is one
transaction, so an error leaves the database as it was; and a second run
creates nothing, because every row is looked up before it is created and an
existing row is left as it is. Rows are looked up by their seed key, not
their slug, and what an editor deleted or merged away is not made again
(aiwatch.core.seeding); the summary lists what was left as an editor left it.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Q

from aiwatch.core.history import recorded
from aiwatch.core.publishing import Status
from aiwatch.core.seeding import Fate, Seeded, find_seeded, free_slug, record_seeded
from articles.models import Article, Source, content_hash
from articles.services import CaptureError, import_capture, read_capture
from entities.graph import Graph, GraphError, load_graph, parse_graph, read_graph

DEFAULT_GRAPH = Path(settings.BASE_DIR) / "seeds" / "graph.toml"


@dataclass
class _Log:
    """What the run did, printed only once it has committed."""

    lines: list[str] = field(default_factory=list)
    created: int = 0
    left_alone: list[str] = field(default_factory=list)

    def row(self, created: bool, slug: str, detail: str = "") -> None:
        self.created += created
        status = "created " if created else "existing"
        self.lines.append(f"  {status}  {slug}" + (f"  ({detail})" if detail else ""))

    def gone(self, seeded: Seeded) -> None:
        """An entry an editor deleted or merged away: not made again."""
        self.lines.append(f"  skipped   {seeded.key}  ({seeded.fate} by an editor)")

    def note(self, seeded: Seeded) -> None:
        if seeded.left_alone:
            self.left_alone.append(f"{seeded.label}: {seeded.left_alone}")


class Command(BaseCommand):
    help = (
        "Import the seed articles listed in the graph file and load its entities, events, "
        "claims and relations. Existing rows are left as they are; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--graph",
            type=Path,
            default=DEFAULT_GRAPH,
            metavar="PATH",
            help="The graph file (TOML); capture files are found relative to its folder. "
            "Default: seeds/graph.toml.",
        )

    def handle(self, *args, graph: Path, **options):
        log = _Log()
        try:
            spec = parse_graph(read_graph(graph))
            with transaction.atomic(), recorded("seed: the seed articles and the curated graph"):
                sources = self._import_sources(spec, log)
                self._import_articles(spec, sources, graph.parent, log)
                report = load_graph(path=graph, status=Status.PUBLISHED)
        except GraphError as error:
            raise CommandError(
                f"{graph} cannot be loaded; nothing was written.\n{error}"
            ) from error
        except CaptureError as error:
            raise CommandError(
                f"a seed article cannot be imported; nothing was written.\n{error}"
            ) from error
        except IntegrityError as error:
            raise CommandError(
                f"the database refused a row; nothing was written.\n{error}"
            ) from error

        if options["verbosity"] >= 1:
            self.stdout.write("\n".join(self._summary(graph, log, report)))

    def _import_sources(self, spec: Graph, log: _Log) -> dict[str, Source | None]:
        """Each [[sources]] outlet by key: made if new, otherwise left as it is (None: deleted)."""
        if spec.sources:
            log.lines.append("Sources:")
        sources = {}
        for source_spec in spec.sources:
            seeded = find_seeded(Source, source_spec.slug)
            log.note(seeded)
            source = seeded.row
            if seeded.fate == Fate.NEW:
                source = Source.objects.create(
                    seed_key=source_spec.slug,
                    slug=free_slug(Source, source_spec.slug),
                    name=source_spec.name,
                    homepage=source_spec.homepage,
                    description=source_spec.description,
                )
                record_seeded(source)
                log.row(True, source.slug)
            elif source is None:
                log.gone(seeded)
            else:
                log.row(False, source.slug)
            sources[source_spec.slug] = source
        return sources

    def _import_articles(self, spec: Graph, sources, folder: Path, log: _Log) -> None:
        """Each [[articles]] capture, imported with the metadata the graph file gives it."""
        if spec.articles:
            log.lines.append("Articles:")
        for article_spec in spec.articles:
            raw = read_capture(folder / article_spec.file)
            # A capture imported before the seed gave keys, or by an editor, is
            # recognised by its hash, and import_capture refuses an explicit slug
            # that is taken before it looks for the capture itself.
            seeded = find_seeded(
                Article, article_spec.slug, adopt=Q(content_hash=content_hash(raw))
            )
            log.note(seeded)
            if seeded.fate != Fate.NEW:
                if seeded.row is None:
                    log.gone(seeded)
                else:
                    log.row(False, seeded.row.slug, f"{article_spec.file}, already imported")
                continue
            try:
                outcome = import_capture(
                    raw=raw,
                    label=article_spec.file,
                    status=Status.PUBLISHED,
                    source=sources.get(article_spec.source),
                    slug=article_spec.slug,
                    original_url=article_spec.original_url,
                    author=article_spec.author,
                    published_on=article_spec.published_on,
                    summary=article_spec.summary,
                    seed_key=article_spec.slug,
                )
            except ValueError as error:  # no article text, a taken slug, an invalid value
                raise CaptureError(f"{folder / article_spec.file}: {error}") from error
            if outcome.created:
                record_seeded(outcome.article)
                detail = f"{article_spec.file}, {len(outcome.dropped)} boilerplate lines dropped"
            else:
                # The same page under another capture (its URL or its file): the entry's.
                find_seeded(Article, article_spec.slug, adopt=Q(pk=outcome.article.pk))
                detail = f"{article_spec.file}, {outcome.reason}"
            log.row(outcome.created, outcome.article.slug, detail)

    def _summary(self, graph: Path, log: _Log, report) -> list[str]:
        lines = [*log.lines, f"Graph ({graph}):"]
        width = max(len(label) for label, _ in report.rows())
        for label, counts in report.rows():
            lines.append(
                f"  {label:<{width}}  {counts.created:>3} created, "
                f"{counts.existing:>3} already existed"
                + (f", {counts.skipped:>3} skipped" if counts.skipped else "")
            )
        left_alone = [*log.left_alone, *report.left_alone]
        if left_alone:
            lines.append("Left as the editor left it:")
            lines += [f"  {line}" for line in left_alone]
        created = log.created + report.created
        if created:
            lines.append(f"Done: {created} rows created.")
        elif left_alone:
            lines.append("Done: nothing to create; the rest already existed or was left alone.")
        else:
            lines.append("Done: nothing to create; everything already existed.")
        return lines
