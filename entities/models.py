"""The story's knowledge graph: entities, events, claims and the links between them.

Every cross-link is an explicit through-model that can carry an editor's note.
Links point at what they join with on_delete=PROTECT: deleting an article, an
entity, an event or a claim that something still links to is refused rather
than silently dropping the links.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from aiwatch.core.dates import display_date
from aiwatch.core.fields import WebURLField, web_url_constraint
from aiwatch.core.publishing import Publishable, PublishableQuerySet, RendersMarkdown, Status
from aiwatch.core.seeding import Seedable
from aiwatch.core.slugs import unique_slug
from articles.models import Article
from entities.evidence import locate_quote


class SlugOnSave(models.Model):
    SLUG_FROM = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), getattr(self, self.SLUG_FROM), instance_pk=self.pk)
        super().save(*args, **kwargs)


class EditorNote(models.Model):
    note = models.TextField(blank=True, help_text="Why this link exists, for other editors.")

    class Meta:
        abstract = True


# --- Entities -----------------------------------------------------------------


class EntityKind(models.TextChoices):
    COMPANY = "company", "Company"
    ORGANIZATION = "organization", "Organization"
    PERSON = "person", "Person"
    GOVERNMENT = "government", "Government body"
    PLACE = "place", "Country or region"
    AI_MODEL = "ai_model", "AI model or product"


class EntityQuerySet(PublishableQuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def with_article_count(self):
        """Each row carries `article_count`: the published articles that mention it."""
        return self.annotate(
            article_count=models.Count(
                "mentions",
                filter=Q(
                    mentions__status=MentionStatus.ACCEPTED,
                    mentions__article__status=Status.PUBLISHED,
                ),
                distinct=True,
            )
        )

    def co_mentioned_with(self, entity):
        """Entities named in the same published articles as `entity`, most shared first.

        Each row carries `shared`, the number of articles the two have in common.
        """
        return (
            self.filter(
                mentions__status=MentionStatus.ACCEPTED,
                mentions__article__status=Status.PUBLISHED,
                mentions__article__mentions__entity=entity,
                mentions__article__mentions__status=MentionStatus.ACCEPTED,
            )
            .exclude(pk=entity.pk)
            .annotate(shared=models.Count("mentions__article", distinct=True))
            .order_by("-shared", "name")
        )


class Entity(Publishable, RendersMarkdown, SlugOnSave, Seedable):
    """A company, organization, person, government body, country or region, or AI model."""

    Kind = EntityKind

    MARKDOWN_FIELDS = ("description",)

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    website = WebURLField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata ID", max_length=16, blank=True, help_text="For example Q21708200."
    )
    articles = models.ManyToManyField(
        Article, through="Mention", related_name="entities", blank=True
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        permissions = [("publish_entity", "Can publish and withdraw entities")]
        constraints = [
            *Publishable.Meta.constraints,
            *Seedable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=EntityKind.values), name="entities_entity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="entities_entity_wikidata_id_format",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="entities_entity_wikidata_id_unique",
            ),
            web_url_constraint("website", name="entities_entity_website_http"),
        ]
        indexes = [
            # The entity list filtered by kind, in name order.
            models.Index(fields=["kind", "name"], name="entity_kind_name_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entities:entity-detail", kwargs={"slug": self.slug})

    @property
    def wikidata_url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""


class Alias(models.Model):
    """Another name for an entity, in a given language: 商汤科技 for SenseTime."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    language = models.CharField(
        max_length=16, default="en", help_text="BCP 47 tag: en, zh-Hans, zh-Hant, zh-Latn-pinyin…"
    )

    class Meta:
        ordering = ["entity", "language", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "name", "language"], name="entities_alias_unique_per_entity"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="entities_alias_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def get_absolute_url(self):
        return self.entity.get_absolute_url()


class MentionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class EntityLinkQuerySet(models.QuerySet):
    """Links from something to an entity: a mention, a role in an event."""

    def of_published_entities(self):
        """Only links to published entities, each with its entity: what a public page shows."""
        return self.filter(entity__status=Status.PUBLISHED).select_related("entity")


class MentionQuerySet(EntityLinkQuerySet):
    def accepted(self):
        return self.filter(status=MentionStatus.ACCEPTED)

    def suggested(self):
        return self.filter(status=MentionStatus.SUGGESTED)


class Mention(EditorNote):
    """An entity named in an article.

    Saving an article suggests mentions of the entities found in its text; only
    an editor's accepted mentions are public. A rejected one is kept, so the
    same suggestion never comes back.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mentions")
    status = models.CharField(
        max_length=16,
        choices=MentionStatus.choices,
        default=MentionStatus.ACCEPTED,
        db_default=MentionStatus.ACCEPTED,
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="entities_mention_unique"),
            models.CheckConstraint(
                condition=Q(status__in=MentionStatus.values), name="entities_mention_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.entity} in {self.article}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


# --- Events -------------------------------------------------------------------


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class EventQuerySet(PublishableQuerySet):
    def chronological(self):
        return self.order_by("date", "title")

    def involving(self, entity):
        return self.filter(participations__entity=entity).distinct()


class Event(Publishable, RendersMarkdown, SlugOnSave, Seedable):
    """Something that happened on a date, known to the day, the month or the year."""

    Precision = DatePrecision

    MARKDOWN_FIELDS = ("description",)
    SLUG_FROM = "title"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    date = models.DateField(
        help_text="For a month or a year, the first day of it: 2024-07-01 for July 2024."
    )
    date_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    participants = models.ManyToManyField(
        Entity, through="Participation", related_name="events", blank=True
    )
    sources = models.ManyToManyField(
        Article, through="EventSource", related_name="events", blank=True
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "title"]
        permissions = [("publish_event", "Can publish and withdraw events")]
        constraints = [
            *Publishable.Meta.constraints,
            *Seedable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="entities_event_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="entities_event_end_not_before_start",
            ),
            # A month- or year-precise date is stored as the first day of its period,
            # so sorting and filtering by date work the same for every precision.
            models.CheckConstraint(
                condition=Q(date_precision="day")
                | Q(date_precision="month", date__day=1)
                | Q(date_precision="year", date__day=1, date__month=1),
                name="entities_event_date_matches_precision",
            ),
        ]
        indexes = [
            # The timeline: published events in date order.
            models.Index(
                fields=["date", "title"],
                condition=Q(status="published"),
                name="event_published_date_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("entities:event-detail", kwargs={"slug": self.slug})

    @property
    def date_display(self) -> str:
        """The date as precisely as it is known: '9 July 2024', 'July 2024' or '2024'."""
        text = display_date(self.date, self.date_precision)
        if self.end_date:
            text += " – " + display_date(self.end_date)
        return text


class ParticipationQuerySet(EntityLinkQuerySet):
    def in_published_events(self):
        """Only roles in published events, each with its event."""
        return self.filter(event__status=Status.PUBLISHED).select_related("event")


class Participation(EditorNote):
    """An entity taking part in an event, in a role: "blocked access", "affected"…"""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="participations")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=100, help_text="What the entity did in the event.")

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "entity__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "entity", "role"], name="entities_participation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role=""), name="entities_participation_role_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.entity} ({self.role}) in {self.event}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()


class EventSource(EditorNote):
    """An article that reports an event."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="event_sources")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="event_sources")

    class Meta:
        ordering = ["event", "article"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "article"], name="entities_eventsource_unique"
            ),
        ]

    def __str__(self):
        return f"{self.article} on {self.event}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()


# --- Claims -------------------------------------------------------------------


class ClaimKind(models.TextChoices):
    FACT = "fact", "Fact"
    OPINION = "opinion", "Opinion"
    PREDICTION = "prediction", "Prediction"
    ANALYSIS = "analysis", "Analysis"


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    CORROBORATED = "corroborated", "Corroborated"
    DISPUTED = "disputed", "Disputed"
    REFUTED = "refuted", "Refuted"


class Standing(models.TextChoices):
    """A claim's rank among the claims on its question, as Wikidata ranks statements."""

    PREFERRED = "preferred", "Preferred"
    NORMAL = "normal", "Normal"
    DEPRECATED = "deprecated", "Deprecated"


class Deprecation(models.TextChoices):
    """Why a deprecated claim no longer stands."""

    SUPERSEDED = "superseded", "Superseded"
    RETRACTED = "retracted", "Retracted"


class ClaimQuerySet(PublishableQuerySet):
    def evidenced(self):
        """Published claims whose article and claimant are published: evidence one can check.

        What the read API and the snapshots offer; a claim resting on a draft is not citable.
        """
        return self.filter(
            status=Status.PUBLISHED,
            article__status=Status.PUBLISHED,
            claimant__status=Status.PUBLISHED,
        )

    def not_deprecated(self):
        """Without the superseded and retracted: what lists show unless asked for them."""
        return self.exclude(standing=Standing.DEPRECATED)

    def about(self, entity):
        return self.filter(Q(about_entities=entity) | Q(claimant=entity)).distinct()

    def made_by(self, entity):
        return self.filter(claimant=entity)

    def in_article(self, article):
        return self.filter(article=article)

    def flagged_for_review(self):
        """Claims whose quote an edit of their article took away."""
        return self.filter(needs_review=True)

    def most_disputed(self):
        """Claims with the most contradicting claims, disputed or refuted verdicts first."""
        contradicts = Q(relations_in__kind="contradicts")
        contradicted = Q(relations_out__kind="contradicts")
        return self.annotate(
            contradictions=models.Count("relations_in", filter=contradicts, distinct=True)
            + models.Count("relations_out", filter=contradicted, distinct=True),
            verdict=models.Case(
                models.When(verification__in=["disputed", "refuted"], then=1),
                default=0,
                output_field=models.IntegerField(),
            ),
        ).order_by("-verdict", "-contradictions", "-updated_at")


class Claim(Publishable, SlugOnSave, Seedable):
    """A statement attributed to a claimant, backed by a verbatim quote from an article."""

    Kind = ClaimKind
    Verification = Verification
    Standing = Standing
    Deprecation = Deprecation

    SLUG_FROM = "statement"

    statement = models.TextField(help_text="What is claimed, in plain words.")
    slug = models.SlugField(max_length=80, unique=True)
    claimant = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="claims_made")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField(help_text="The words of the article, verbatim.")
    quote_start = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Where the quote starts in the body."
    )
    quote_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    needs_review = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Set when the article was edited and the quote is no longer found in it.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_reason = models.TextField(
        blank=True, help_text="Why the claim has this status; required unless unverified."
    )
    standing = models.CharField(
        max_length=16,
        choices=Standing.choices,
        default=Standing.NORMAL,
        db_default=Standing.NORMAL,
        help_text="Preferred over the other claims on its question, normal, or deprecated.",
    )
    deprecation = models.CharField(
        max_length=16,
        choices=Deprecation.choices,
        blank=True,
        help_text="Why a deprecated claim no longer stands; only for a deprecated claim.",
    )
    standing_reason = models.TextField(
        blank=True, help_text="Why the claim is preferred or deprecated; required unless normal."
    )
    about_entities = models.ManyToManyField(
        Entity, through="ClaimEntity", related_name="claims_about", blank=True
    )
    about_events = models.ManyToManyField(
        Event, through="ClaimEvent", related_name="claims", blank=True
    )
    related = models.ManyToManyField(
        "self", through="ClaimRelation", symmetrical=False, related_name="+", blank=True
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "id"]
        permissions = [("publish_claim", "Can publish and withdraw claims")]
        constraints = [
            *Publishable.Meta.constraints,
            *Seedable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=ClaimKind.values),
                name="entities_claim_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(verification__in=Verification.values),
                name="entities_claim_verification_valid",
            ),
            models.CheckConstraint(
                condition=Q(verification="unverified") | ~Q(verification_reason=""),
                name="entities_claim_verdict_has_reason",
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="entities_claim_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(standing__in=Standing.values), name="entities_claim_standing_valid"
            ),
            models.CheckConstraint(
                condition=Q(standing=Standing.NORMAL) | ~Q(standing_reason=""),
                name="entities_claim_standing_has_reason",
            ),
            # A deprecated claim says why (superseded or retracted); no other claim does.
            models.CheckConstraint(
                condition=Q(standing=Standing.DEPRECATED, deprecation__in=Deprecation.values)
                | (~Q(standing=Standing.DEPRECATED) & Q(deprecation="")),
                name="entities_claim_deprecation_only_when_deprecated",
            ),
        ]
        indexes = [
            # An article's claims, in the order they were recorded.
            models.Index(fields=["article", "id"], name="claim_article_idx"),
        ]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def save(self, *args, **kwargs):
        # The reader page jumps to the stored position; an unfindable quote is
        # flagged for review rather than refused, so an import never fails on it.
        span = self.locate_quote() if self.article_id else None
        self.quote_start, self.quote_end = span or (None, None)
        self.needs_review = span is None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "quote_start",
                "quote_end",
                "needs_review",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("entities:claim-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.standing != Standing.NORMAL and not self.standing_reason.strip():
            errors["standing_reason"] = (
                f"Say why this claim is {self.get_standing_display().lower()}: readers see the "
                "reason beside the standing."
            )
        if self.standing == Standing.DEPRECATED and not self.deprecation:
            errors["deprecation"] = "Say whether the claim was superseded or retracted."
        if self.standing != Standing.DEPRECATED and self.deprecation:
            errors["deprecation"] = "Only a deprecated claim is superseded or retracted."
        if errors:
            raise ValidationError(errors)
        if self.article_id and self.quote and self.locate_quote() is None:
            raise ValidationError(
                {
                    "quote": "This quote is not in the article's text. Copy it from the "
                    "article exactly; only differences of spacing, quote marks and "
                    "dashes are ignored."
                }
            )

    def locate_quote(self) -> tuple[int, int] | None:
        """Where the quote is in the article body (hides a query if the article is not loaded)."""
        return locate_quote(self.article.body, self.quote)


class ClaimEntity(EditorNote):
    """An entity a claim is about."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="entity_links")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="claim_links")

    class Meta:
        verbose_name = "entity a claim is about"
        constraints = [
            models.UniqueConstraint(fields=["claim", "entity"], name="entities_claimentity_unique"),
        ]

    def __str__(self):
        return f"{self.claim} — about {self.entity}"

    def get_absolute_url(self):
        return self.claim.get_absolute_url()


class ClaimEvent(EditorNote):
    """An event a claim is about."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="event_links")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="claim_links")

    class Meta:
        verbose_name = "event a claim is about"
        constraints = [
            models.UniqueConstraint(fields=["claim", "event"], name="entities_claimevent_unique"),
        ]

    def __str__(self):
        return f"{self.claim} — about {self.event}"

    def get_absolute_url(self):
        return self.claim.get_absolute_url()


class ClaimAppearanceQuerySet(models.QuerySet):
    def in_published_articles(self):
        """Appearances in published articles, each with its article and outlet, oldest first."""
        return (
            self.filter(article__status=Status.PUBLISHED)
            .select_related("article__source")
            .order_by(F("article__published_on").asc(nulls_last=True), "article_id")
        )


class ClaimAppearance(EditorNote):
    """Another article that restates a claim: in its own words and language, on its own date.

    With the claim's own article, the appearances are the claim's lineage: where
    it was first known, and where it was repeated. An editor links each one; the
    admin suggests articles whose text is close to the claim's quote
    (entities.lineage).
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="appearances")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claim_appearances")
    quote = models.TextField(help_text="The words of this article that restate it, verbatim.")
    language = models.CharField(
        max_length=16,
        blank=True,
        help_text="BCP 47 tag of the quote, when it is not the article's language.",
    )

    objects = ClaimAppearanceQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "article"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "article"], name="entities_claimappearance_unique"
            ),
            models.CheckConstraint(
                condition=~Q(quote=""), name="entities_claimappearance_quote_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.claim} — in {self.article}"

    def get_absolute_url(self):
        return self.claim.get_absolute_url()

    @property
    def quote_language(self) -> str:
        return self.language or self.article.language

    def clean(self):
        super().clean()
        if not (self.claim_id and self.article_id):
            return
        if self.article_id == self.claim.article_id:
            raise ValidationError(
                {"article": "This is the article the claim is quoted from; pick another one."}
            )
        if self.quote and locate_quote(self.article.body, self.quote) is None:
            raise ValidationError(
                {"quote": "These words are not in the article's text. Copy them exactly."}
            )


class RelationKind(models.TextChoices):
    SUPPORTS = "supports", "supports"
    CONTRADICTS = "contradicts", "contradicts"
    RESTATES = "restates", "restates"
    UPDATES = "updates", "updates"


class ClaimRelationQuerySet(models.QuerySet):
    def between_published(self):
        """Only links whose two claims are both published, each with both claims."""
        return self.filter(
            source__status=Status.PUBLISHED, target__status=Status.PUBLISHED
        ).select_related("source", "target")


class ClaimRelation(EditorNote):
    """A typed, directed link between two claims: `source` supports `target`, and so on."""

    Kind = RelationKind

    source = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="relations_out")
    target = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="relations_in")
    kind = models.CharField(max_length=16, choices=Kind.choices)

    objects = ClaimRelationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="entities_claimrelation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="entities_claimrelation_no_self_link"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values),
                name="entities_claimrelation_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.kind} {self.target}"

    def get_absolute_url(self):
        return self.source.get_absolute_url()
