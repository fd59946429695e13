"""Outlets and articles as every layer sees them: search, JSON, JSON-LD, sitemap, history.

Registered from ArticlesConfig.ready(); see aiwatch.core.registry for what
each part is used for. The knowledge graph links to articles, not the other
way round, so its rows are reached here through the reverse relations
(`mentions`, `events`, `claims`) and the registry, never by import.
"""

from django.db.models import Prefetch

from aiwatch.core import registry
from aiwatch.core.registry import ContentKind, Document
from articles.models import Article, Republication, Source


def join_words(*parts: str) -> str:
    """The non-empty parts, space-separated: a search document's keywords."""
    return " ".join(p for p in parts if p)


def names(entities) -> str:
    """Entities' names and aliases as one string of keywords: 商汤科技 finds SenseTime."""
    return join_words(*(join_words(e.name, *(a.name for a in e.aliases.all())) for e in entities))


class SourceContent(ContentKind):
    model = Source
    key = "source"

    def affects(self, obj):
        # An article's entry carries its outlet's name.
        return [("article", pk) for pk in obj.articles.values_list("pk", flat=True)]

    def as_json(self, obj, absolute, *, full=False, context=None) -> dict:
        return {
            "name": obj.name,
            "url": absolute(obj.get_absolute_url()),
            "homepage": obj.homepage or None,
        }


class ArticleContent(ContentKind):
    model = Article
    key = "article"
    # Its links belong to the graph: a version of an entity or an event carries
    # them, so reverting an article's text never undoes an editor's links.
    sitemap_priority = 0.8

    def name(self, obj) -> str:
        return obj.title

    def indexed(self):
        mention = Article._meta.get_field("mentions").related_model
        return (
            Article.objects.published()
            .with_republication_flag()
            .select_related("source")
            .prefetch_related(
                Prefetch(
                    "mentions",
                    queryset=mention.objects.accepted()
                    .of_published_entities()
                    .prefetch_related("entity__aliases"),
                )
            )
        )

    def document(self, obj) -> Document:
        linked = [m.entity for m in obj.mentions.all()]
        return Document(
            title=obj.title,
            keywords=join_words(obj.source.name if obj.source else "", obj.author, names(linked)),
            body=f"{obj.summary}\n\n{obj.body}".strip(),
            date=obj.published_on,
            outlet_id=obj.source_id,
            entity_ids=[e.pk for e in linked],
            role=obj.role,
            republication=obj.is_republication,
        )

    def as_json(self, obj, absolute, *, full=False, context=None) -> dict:
        data = {
            "title": obj.title,
            "url": absolute(obj.get_absolute_url()),
            "outlet": obj.source.name if obj.source else None,
            "author": obj.author or None,
            "published_on": obj.published_on.isoformat() if obj.published_on else None,
            "language": obj.language,
            "role": obj.role or None,
            "original_url": obj.original_url or None,
        }
        if full:
            data.update(
                summary=obj.summary,
                body=obj.body,
                raw_url=absolute(obj.get_absolute_url() + "raw/"),
                original_file_url=(
                    absolute(obj.get_absolute_url() + "original/") if obj.has_original else None
                ),
                republishes=[_link(r, r.original, absolute) for r in shown_links(obj, "copy")],
                republished_by=[_link(r, r.copy, absolute) for r in shown_links(obj, "original")],
                entities=[registry.ref(m.entity, absolute) for m in obj.mentions.all()],
                events=[registry.ref(e, absolute) for e in obj.events.all()],
                claims=[registry.of(c).as_json(c, absolute) for c in obj.claims.all()],
            )
        return data

    def as_jsonld(self, obj, absolute) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": obj.title,
            "url": absolute(obj.get_absolute_url()),
            "inLanguage": obj.language,
        }
        if obj.published_on:
            data["datePublished"] = obj.published_on.isoformat()
        if obj.author:
            data["author"] = {"@type": "Person", "name": obj.author}
        if obj.source:
            data["publisher"] = {"@type": "Organization", "name": obj.source.name}
        # What it is based on: the page it was captured from and, for a confirmed
        # republication, the article it republishes.
        based_on = [obj.original_url] if obj.original_url else []
        based_on += [
            {
                "@type": "NewsArticle",
                "headline": link.original.title,
                "url": absolute(link.original.get_absolute_url()),
                **({"sameAs": link.original.original_url} if link.original.original_url else {}),
            }
            for link in shown_links(obj, "copy")
            if link.is_confirmed
        ]
        if based_on:
            data["isBasedOn"] = based_on[0] if len(based_on) == 1 else based_on
        return data


def shown_links(article, side: str) -> list[Republication]:
    """The republication links an article's page shows, where the article is `side`.

    Read from ArticleQuerySet.with_republications(); an article fetched without
    it shows none, rather than every link (rejected ones included).
    """
    return getattr(article, "republishes" if side == "copy" else "republished_by", [])


def _link(link: Republication, other: Article, absolute) -> dict:
    return {
        "title": other.title,
        "url": absolute(other.get_absolute_url()),
        "outlet": other.source.name if other.source else None,
        "published_on": other.published_on.isoformat() if other.published_on else None,
        "similarity": None if link.similarity is None else round(link.similarity, 2),
        "status": link.status,
    }


def register() -> None:
    registry.register(SourceContent())
    registry.register(ArticleContent())
    # A confirmed link makes its copy's entry a republication (search's
    # republications=exclude); edited in the article's inlines. The original file
    # has no history: it never changes, and a copy in every version would store it twice.
    registry.register_link(Republication, affects=lambda link: [("article", link.copy_id)])
