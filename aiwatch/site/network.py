"""The entity network: who is named together, and who took part in the same events.

Entities are nodes. Two entities are joined by an edge weighted by the published
articles that mention both (republications counted once, as in coverage) plus the
published events both took part in. The layout is networkx's spring layout with a
fixed seed, so the same graph is always drawn the same way. It is computed once
per content version and kept in the cache: an edit replaces the version
(aiwatch.core.page_cache), and the next reader pays for one layout.
"""

import contextlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx
from django.core.cache import cache

from aiwatch.core.page_cache import CACHE_ERRORS, code_fingerprint, current_version
from articles.models import Article
from entities.models import Entity, Mention, Participation

WIDTH, HEIGHT, MARGIN = 1000, 640, 70
MOST_NODES = 60  # the best connected; the table lists every edge among them
NEIGHBOURS = 12  # on an entity's own page
KEPT_SECONDS = 24 * 3600
SEED = 20240709  # the day the block took effect: any fixed number draws the same picture


@dataclass(frozen=True)
class Edge:
    a: int
    b: int
    articles: int
    events: int

    @property
    def weight(self) -> int:
        return self.articles + self.events


@dataclass
class Graph:
    names: dict[int, tuple[str, str, str]]  # id → (name, kind, URL), of every linked entity
    edges: list[Edge]  # every edge, for an entity's own neighbourhood
    positions: dict[int, tuple[float, float]]  # the MOST_NODES best connected, laid out

    @property
    def drawn_edges(self) -> list[Edge]:
        return [e for e in self.edges if e.a in self.positions and e.b in self.positions]


def _edges() -> tuple[list[Edge], set[int]]:
    """Every weighted pair among published entities. Two queries."""
    by_article: dict[int, list[int]] = defaultdict(list)
    articles = Article.objects.published().counted_once()
    for article_id, entity_id in (
        Mention.objects.accepted()
        .filter(article__in=articles, entity__status="published")
        .values_list("article_id", "entity_id")
    ):
        by_article[article_id].append(entity_id)
    by_event: dict[int, set[int]] = defaultdict(set)
    for event_id, entity_id in (
        Participation.objects.in_published_events()
        .filter(entity__status="published")
        .values_list("event_id", "entity_id")
    ):
        by_event[event_id].add(entity_id)
    shared_articles: Counter = Counter()
    for ids in by_article.values():
        shared_articles.update(combinations(sorted(set(ids)), 2))
    shared_events: Counter = Counter()
    for ids in by_event.values():
        shared_events.update(combinations(sorted(ids), 2))
    pairs = set(shared_articles) | set(shared_events)
    edges = [Edge(a, b, shared_articles[a, b], shared_events[a, b]) for a, b in sorted(pairs)]
    return edges, {i for pair in pairs for i in pair}


def _build() -> Graph:
    edges, ids = _edges()
    degree: Counter = Counter()
    for e in edges:
        degree[e.a] += e.weight
        degree[e.b] += e.weight
    ranked = sorted(degree.items(), key=lambda item: (-item[1], item[0]))
    kept = {i for i, _ in ranked[:MOST_NODES]}
    names = {
        pk: (name, kind, Entity(pk=pk, slug=slug).get_absolute_url())
        for pk, name, kind, slug in Entity.objects.filter(pk__in=ids).values_list(
            "pk", "name", "kind", "slug"
        )
    }
    graph = networkx.Graph()
    graph.add_nodes_from(sorted(kept))
    graph.add_weighted_edges_from(
        (e.a, e.b, e.weight) for e in edges if e.a in kept and e.b in kept
    )
    positions = {}
    if kept:
        layout = networkx.spring_layout(graph, weight="weight", seed=SEED, iterations=200)
        positions = {pk: (float(x), float(y)) for pk, (x, y) in layout.items()}
    return Graph(names, edges, positions)


def graph() -> Graph:
    """The whole network with its layout, from the cache when this content version has it.

    Hides three queries and a layout when it does not.
    """
    version = current_version()
    if version is None:  # no cache to keep it in: draw it for this request alone
        return _build()
    # The code's fingerprint too: a deploy may change what a Graph is.
    key = f"aiwatch:network:{code_fingerprint()}:{version}"
    try:
        kept = cache.get(key)
    except CACHE_ERRORS:
        kept = None
    if isinstance(kept, Graph):
        return kept
    built = _build()
    # Drawn for this request if the cache fails; the next one tries it again. A day: a
    # version outlived by an edit is never read again, and should not stay.
    with contextlib.suppress(*CACHE_ERRORS):
        cache.set(key, built, timeout=KEPT_SECONDS)
    return built


def drawing(g: Graph, *, centre: int | None = None) -> dict | None:
    """Nodes and edges placed in the SVG's coordinates; None for an empty network.

    With `centre`, that entity and its NEIGHBOURS strongest links, in a ring around it.
    """
    if centre is None:
        positions, edges = g.positions, g.drawn_edges
    else:
        mine = sorted(
            (e for e in g.edges if centre in (e.a, e.b)),
            key=lambda e: (-e.weight, g.names[e.b if e.a == centre else e.a][0]),
        )[:NEIGHBOURS]
        others = [e.b if e.a == centre else e.a for e in mine]
        if not others:
            return None
        positions = {centre: (0.0, 0.0)}
        for i, other in enumerate(others):
            angle = 2 * math.pi * i / len(others) - math.pi / 2
            positions[other] = (0.8 * math.cos(angle), 0.8 * math.sin(angle))
        edges = mine
    if not positions:
        return None
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    height = HEIGHT if centre is None else 420
    width = WIDTH if centre is None else 800
    # Room beside the outermost nodes for their names.
    side = MARGIN if centre is None else 210

    def place(pk):
        x, y = positions[pk]
        return (
            round(side + (width - 2 * side) * (x - min(xs)) / span_x, 1),
            round(MARGIN / 2 + (height - MARGIN) * (y - min(ys)) / span_y, 1),
        )

    strength: Counter = Counter()
    for e in edges:
        strength[e.a] += e.weight
        strength[e.b] += e.weight
    heaviest = max((e.weight for e in edges), default=1)
    nodes = []
    for pk in positions:
        if pk not in g.names:
            continue
        name, kind, url = g.names[pk]
        x, y = place(pk)
        r = round(6 + 3 * math.sqrt(strength[pk]), 1)
        if pk == centre:  # its name under it, clear of the spokes' ends
            label = (x, round(y + r + 18, 1), "middle")
        elif (centre is None and x > width - 160) or (centre is not None and x < width / 2):
            label = (round(x - r - 6, 1), round(y + 5, 1), "end")
        else:
            label = (round(x + r + 6, 1), round(y + 5, 1), "start")
        nodes.append(
            {
                "x": x,
                "y": y,
                "r": r,
                "name": name,
                "kind": kind,
                "url": url,
                "links": strength[pk],
                "centre": pk == centre,
                "label_x": label[0],
                "label_y": label[1],
                "anchor": label[2],
            }
        )
    lines = []
    for e in edges:
        (x1, y1), (x2, y2) = place(e.a), place(e.b)
        lines.append(
            {
                "x1": x1,
                "y1": y1,
                "x2": x2,
                "y2": y2,
                "width": round(1 + 5 * e.weight / heaviest, 1),
            }
        )
    return {"width": width, "height": height, "nodes": nodes, "lines": lines}


def table(g: Graph, *, centre: int | None = None) -> list[dict]:
    """The edges, strongest first, with both names: the drawing's numbers, to be read."""
    edges = g.drawn_edges if centre is None else [e for e in g.edges if centre in (e.a, e.b)]
    rows = []

    def ends(e):  # the centre first, on an entity's page
        return (e.a, e.b) if centre in (None, e.a) else (e.b, e.a)

    for e in sorted(edges, key=lambda e: (-e.weight, *(g.names[i][0] for i in ends(e)))):
        a, b = ends(e)
        rows.append(
            {
                "a": g.names[a][0],
                "a_url": g.names[a][2],
                "b": g.names[b][0],
                "b_url": g.names[b][2],
                "articles": e.articles,
                "events": e.events,
            }
        )
    return rows
