import hashlib

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from aiwatch.core.publishing import Publishable, PublishableQuerySet, RendersMarkdown
from aiwatch.core.slugs import unique_slug


class Source(models.Model):
    """An outlet that published articles: a newspaper, a blog, a company's site."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    homepage = models.URLField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="articles_source_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Source, self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:source-detail", kwargs={"slug": self.slug})


class ArticleQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-created_at")

    def mentioning(self, entity):
        """Articles an editor has linked to `entity` (accepted mentions, not suggestions)."""
        # The graph's Mention is reached by its reverse relation: articles imports no app above.
        return self.filter(mentions__entity=entity, mentions__status="accepted")


def content_hash(raw: str) -> str:
    """The identity of a capture: the SHA-256 of its exact text."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Article(Publishable, RendersMarkdown):
    """A source document: one captured web page, cleaned for reading."""

    MARKDOWN_FIELDS = ("summary",)

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The outlet. Leave empty when the capture does not say.",
    )
    original_url = models.URLField(max_length=500, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(
        max_length=16, default="en", help_text="BCP 47 tag of the text: en, zh-Hans, zh-Hant…"
    )
    summary = models.TextField(blank=True, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    body = models.TextField(help_text="The cleaned text, paragraphs separated by blank lines.")
    raw = models.TextField(
        editable=False, help_text="The capture exactly as imported. The database refuses changes."
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        permissions = [("publish_article", "Can publish and withdraw articles")]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["original_url"],
                condition=~models.Q(original_url=""),
                name="articles_article_original_url_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(body=""), name="articles_article_body_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(content_hash__regex=r"^[0-9a-f]{64}$"),
                name="articles_article_content_hash_sha256",
            ),
        ]
        indexes = [
            # The public list and the home page: published articles, newest first.
            models.Index(
                fields=["-published_on", "-created_at"],
                condition=models.Q(status="published"),
                name="article_published_recent_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, instance_pk=self.pk)
        if not self.raw:
            # Typed in by an editor rather than imported: the text they typed is the capture.
            self.raw = self.body
        if not self.content_hash:
            self.content_hash = content_hash(self.raw)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]
