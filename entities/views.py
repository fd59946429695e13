from django.db.models import Prefetch
from django.views.generic import DetailView
from django_filters.views import FilterView

from aiwatch.core.views import PublishedMixin
from articles.citation import Citable, all_formats
from articles.models import Article
from entities import lineage
from entities.filters import ClaimFilter, EntityFilter, EventFilter
from entities.models import Claim, ClaimAppearance, ClaimRelation, Entity, Event, Participation

RELATED_ENTITIES = 10
PUBLISHED_CLAIMS = Claim.objects.published().select_related("claimant", "article")


class EntityListView(PublishedMixin, FilterView):
    model = Entity
    filterset_class = EntityFilter
    template_name = "entities/entity_list.html"

    def get_queryset(self):
        return super().get_queryset().with_article_count().order_by("name")

    def object_as_json(self, obj, absolute, context):
        return {
            **super().object_as_json(obj, absolute, context),
            "article_count": obj.article_count,
        }


class EntityDetailView(PublishedMixin, DetailView):
    model = Entity
    prefetch_related = ("aliases",)
    template_name = "entities/entity_detail.html"

    def get_context_data(self, **kwargs):
        entity = self.object
        return super().get_context_data(
            claims_made=PUBLISHED_CLAIMS.made_by(entity),
            claims_about=PUBLISHED_CLAIMS.filter(about_entities=entity),
            articles=Article.objects.published()
            .mentioning(entity)
            .select_related("source")
            .newest_first(),
            participations=Participation.objects.in_published_events()
            .filter(entity=entity)
            .order_by("event__date"),
            related=Entity.objects.published().co_mentioned_with(entity)[:RELATED_ENTITIES],
            **kwargs,
        )


class EventListView(PublishedMixin, FilterView):
    model = Event
    filterset_class = EventFilter
    paginate_by = 100
    template_name = "entities/event_list.html"

    def get_queryset(self):
        return super().get_queryset().chronological()


class EventDetailView(PublishedMixin, DetailView):
    model = Event
    template_name = "entities/event_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.of_published_entities().order_by("entity__name"),
                ),
                Prefetch("sources", queryset=Article.objects.published().select_related("source")),
                Prefetch("claims", queryset=PUBLISHED_CLAIMS),
            )
        )


class ClaimListView(PublishedMixin, FilterView):
    model = Claim
    filterset_class = ClaimFilter
    select_related = ("claimant", "article")
    template_name = "entities/claim_list.html"


class ClaimDetailView(PublishedMixin, DetailView):
    model = Claim
    select_related = ("claimant", "article", "article__source")
    template_name = "entities/claim_detail.html"

    def get_context_data(self, **kwargs):
        claim = self.object
        citation = Citable(
            key=f"aiwatch-claim-{claim.slug}",
            title=f"{claim.claimant.name}: {claim.statement}",
            url=self.request.build_absolute_uri(claim.get_absolute_url()),
            container="aiwatch",
            kind="webpage",
        )
        return super().get_context_data(
            citations=all_formats(citation),
            lineage=lineage.appearances(claim),
            chain=lineage.chain(claim),
            **kwargs,
        )

    def get_queryset(self):
        published_relations = ClaimRelation.objects.between_published()
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("about_entities", queryset=Entity.objects.published()),
                Prefetch("about_events", queryset=Event.objects.published()),
                Prefetch("relations_out", queryset=published_relations),
                Prefetch("relations_in", queryset=published_relations),
                Prefetch("appearances", queryset=ClaimAppearance.objects.in_published_articles()),
            )
        )
