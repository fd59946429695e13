from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView
from django_filters.views import FilterView

from aiwatch import serializers, timeline
from aiwatch.mixins import PublishedMixin
from aiwatch.publishing import Status
from articles.citation import Citable, all_formats
from articles.models import Article
from entities.filters import ClaimFilter, EntityFilter, EventFilter
from entities.models import Claim, ClaimRelation, Entity, Event, Participation

RELATED_ENTITIES = 10
PUBLISHED_CLAIMS = Claim.objects.published().select_related("claimant", "article")


class EntityListView(PublishedMixin, FilterView):
    model = Entity
    filterset_class = EntityFilter
    template_name = "entities/entity_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                article_count=Count(
                    "mentions",
                    filter=Q(mentions__status="accepted", mentions__article__status="published"),
                    distinct=True,
                )
            )
            .order_by("name")
        )

    def object_as_json(self, obj, absolute, context):
        return {**serializers.entity(obj, absolute), "article_count": obj.article_count}


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
            .filter(mentions__entity=entity, mentions__status="accepted")
            .select_related("source")
            .newest_first(),
            participations=Participation.objects.filter(
                entity=entity, event__status=Status.PUBLISHED
            )
            .select_related("event")
            .order_by("event__date"),
            related=Entity.objects.published().co_mentioned_with(entity)[:RELATED_ENTITIES],
            **kwargs,
        )

    def object_as_json(self, obj, absolute, context):
        return serializers.entity(obj, absolute, context=context)


class EventListView(PublishedMixin, FilterView):
    model = Event
    filterset_class = EventFilter
    paginate_by = 100
    template_name = "entities/event_list.html"

    def get_queryset(self):
        return super().get_queryset().chronological()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = timeline.layout(context["object_list"])
        return context

    def object_as_json(self, obj, absolute, context):
        return serializers.event(obj, absolute)


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
                    queryset=Participation.objects.filter(entity__status=Status.PUBLISHED)
                    .select_related("entity")
                    .order_by("entity__name"),
                ),
                Prefetch("sources", queryset=Article.objects.published().select_related("source")),
                Prefetch("claims", queryset=PUBLISHED_CLAIMS),
            )
        )

    def object_as_json(self, obj, absolute, context):
        return serializers.event(obj, absolute, full=True)


class ClaimListView(PublishedMixin, FilterView):
    model = Claim
    filterset_class = ClaimFilter
    select_related = ("claimant", "article")
    template_name = "entities/claim_list.html"

    def object_as_json(self, obj, absolute, context):
        return serializers.claim(obj, absolute)


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
        return super().get_context_data(citations=all_formats(citation), **kwargs)

    def object_as_json(self, obj, absolute, context):
        return serializers.claim(obj, absolute, full=True)

    def get_queryset(self):
        published_relations = ClaimRelation.objects.filter(
            source__status=Status.PUBLISHED, target__status=Status.PUBLISHED
        ).select_related("source", "target")
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("about_entities", queryset=Entity.objects.published()),
                Prefetch("about_events", queryset=Event.objects.published()),
                Prefetch("relations_out", queryset=published_relations),
                Prefetch("relations_in", queryset=published_relations),
            )
        )
