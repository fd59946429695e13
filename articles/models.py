import hashlib

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from aiwatch.core.fields import WebURLField, web_url_constraint
from aiwatch.core.publishing import Publishable, PublishableQuerySet, RendersMarkdown, Status
from aiwatch.core.seeding import Seedable
from aiwatch.core.slugs import unique_slug
from articles.shingles import signature


class Source(Seedable):
    """An outlet that published articles: a newspaper, a blog, a company's site."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    homepage = WebURLField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            *Seedable.Meta.constraints,
            models.UniqueConstraint(Lower("name"), name="articles_source_name_unique_ci"),
            web_url_constraint("homepage", name="articles_source_homepage_http"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Source, self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:source-detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    """What an article is in the story, set by an editor."""

    ORIGINAL = "original", "Original report"
    FOLLOW_UP = "follow-up", "Follow-up"
    ANALYSIS = "analysis", "Analysis or opinion"
    STATEMENT = "statement", "Official statement"
    COMPANY_RESPONSE = "company-response", "Company response"
    REPUBLICATION = "republication", "Republication"


class ArticleQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-created_at")

    def mentioning(self, entity):
        """Articles an editor has linked to `entity` (accepted mentions, not suggestions)."""
        # The graph's Mention is reached by its reverse relation: articles imports no app above.
        return self.filter(mentions__entity=entity, mentions__status="accepted")

    def from_outlet(self, name: str):
        """Articles of the outlet called `name`, in any case."""
        return self.filter(source__name__iexact=" ".join(name.split()))

    def not_republished(self):
        """An outlet's own work: not a confirmed copy of another article, nor given that role."""
        return self.exclude(_republication())

    def counted_once(self):
        """These articles less the confirmed copies of another of them: a wire story run by
        five outlets is one. A copy whose original is not among them still counts."""
        return self.exclude(self._copy_of_another())

    def copies_among(self) -> int:
        """How many of these articles counted_once() leaves out. One query."""
        return self.filter(self._copy_of_another()).count()

    def _copy_of_another(self) -> models.Exists:
        return models.Exists(
            Republication.objects.confirmed().filter(
                copy=models.OuterRef("pk"), original__in=self.values("pk")
            )
        )

    def with_republication_flag(self):
        """Each row carries `is_republication`, as not_republished() judges it."""
        return self.annotate(
            is_republication=models.ExpressionWrapper(
                _republication(), output_field=models.BooleanField()
            )
        )

    def counted(self) -> dict[str, int]:
        """How many articles, and how many of them are confirmed republications. One query."""
        return self.aggregate(
            articles=models.Count("pk"),
            republications=models.Count("pk", filter=_republication()),
        )

    def with_republications(self):
        """The republication links an article's page shows, prefetched into two lists.

        `republishes`: the links where the article is the copy; `republished_by`:
        where it is the original. Rejected links and links to an article that is
        not published are left out; suggested ones are kept (labelled unconfirmed).
        Lists of their own (to_attr), so the filtered links are never mistaken for
        every link (`republished_from.all()`, as the admin edits them).
        """
        shown = Republication.objects.shown()
        return self.prefetch_related(
            models.Prefetch(
                "republished_from",
                queryset=shown.filter(original__status=Status.PUBLISHED).select_related(
                    "original__source"
                ),
                to_attr="republishes",
            ),
            models.Prefetch(
                "republished_as",
                queryset=shown.filter(copy__status=Status.PUBLISHED).select_related("copy__source"),
                to_attr="republished_by",
            ),
        )


def _republication() -> models.Q:
    """An article an editor has called a republication: by confirming a link, or by its role."""
    confirmed = models.Exists(Republication.objects.confirmed().filter(copy=models.OuterRef("pk")))
    return models.Q(role=Role.REPUBLICATION) | models.Q(confirmed)


def content_hash(raw: str) -> str:
    """The identity of a capture: the SHA-256 of its exact text."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Article(Publishable, RendersMarkdown, Seedable):
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
    original_url = WebURLField(max_length=500, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    modified_on = models.DateField(
        null=True, blank=True, help_text="The last update the page declares, if any."
    )
    language = models.CharField(
        max_length=16, default="en", help_text="BCP 47 tag of the text: en, zh-Hans, zh-Hant…"
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text="What the article is in the story. Leave empty until an editor has decided.",
    )
    summary = models.TextField(blank=True, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    body = models.TextField(help_text="The cleaned text, paragraphs separated by blank lines.")
    raw = models.TextField(
        editable=False, help_text="The capture exactly as imported. The database refuses changes."
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    encoding = models.CharField(
        max_length=40, blank=True, editable=False, help_text="How the capture's bytes were read."
    )
    provenance = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Where the importer found the title, date and author.",
    )
    captured_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a web archive captured the page."
    )
    # MinHash of the body's word shingles, and its LSH bands: republished copy shares a band.
    minhash = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    minhash_bands = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        permissions = [("publish_article", "Can publish and withdraw articles")]
        constraints = [
            *Publishable.Meta.constraints,
            *Seedable.Meta.constraints,
            models.UniqueConstraint(
                fields=["original_url"],
                condition=~models.Q(original_url=""),
                name="articles_article_original_url_unique",
            ),
            web_url_constraint("original_url", name="articles_article_original_url_http"),
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
            # The republication check on import: articles sharing an LSH band (&& overlap).
            GinIndex(fields=["minhash_bands"], name="article_minhash_bands_idx"),
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
        # Recomputed whenever the body is saved: an editor's fix changes what it resembles.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.minhash, self.minhash_bands = signature(self.body)
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "minhash", "minhash_bands"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    @property
    def has_original(self) -> bool:
        """Whether the imported file is kept (no query when `original` was selected with it)."""
        return hasattr(self, "original")

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class Original(models.Model):
    """The file an article was imported from, byte for byte, beside the text drawn from it.

    A separate table, so listing articles never loads megabytes of page source.
    The database refuses any change to a stored original.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="original"
    )
    content = models.BinaryField(help_text="The page or text file exactly as imported.")
    media_type = models.CharField(max_length=100, help_text="text/html, text/plain…")
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    archive_headers = models.TextField(
        blank=True, help_text="The WARC record's headers and the HTTP response headers."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="articles_original_sha256",
            ),
        ]
        indexes = [
            # The duplicate check on import: has this very file been imported before?
            models.Index(fields=["sha256"], name="original_sha256_idx"),
        ]

    def __str__(self):
        return f"original of {self.article}"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article-original", kwargs={"slug": self.article.slug})

    @property
    def download_name(self) -> str:
        """A file name for the download: the imported one, or one made from the article's slug."""
        if self.filename:
            return self.filename
        extension = "html" if self.media_type == "text/html" else "txt"
        return f"{self.article.slug}.{extension}"


class RepublicationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Republication.Status.CONFIRMED)

    def suggested(self):
        """Found by the importer, not yet confirmed or rejected by an editor."""
        return self.filter(status=Republication.Status.SUGGESTED)

    def shown(self):
        """The links article pages show: suggested and confirmed, not rejected."""
        return self.exclude(status=Republication.Status.REJECTED)


class Republication(models.Model):
    """`copy` republishes `original`'s text: a wire story run again by another outlet.

    Found on import by MinHash similarity; an editor confirms or rejects it.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    copy = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="republished_from")
    original = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="republished_as")
    similarity = models.FloatField(
        null=True,
        blank=True,
        help_text="Estimated share of word shingles in common; empty for a link made by hand.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RepublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-similarity"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy", "original"], name="articles_republication_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(copy=models.F("original")),
                name="articles_republication_not_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(similarity__gte=0, similarity__lte=1),
                name="articles_republication_similarity_range",
            ),
        ]

    def __str__(self):
        return f"{self.copy} republishes {self.original}"

    def get_absolute_url(self):
        return (
            reverse("articles:article-detail", kwargs={"slug": self.copy.slug}) + "#republication"
        )

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def similarity_percent(self) -> int | None:
        return None if self.similarity is None else round(self.similarity * 100)
