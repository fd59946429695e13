import django_filters
from django import forms

from entities.models import Claim, ClaimKind, Entity, EntityKind, Event, Verification


def _published_entities(request):
    return Entity.objects.published()


class EntityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)

    class Meta:
        model = Entity
        fields = ["kind"]


class EventFilter(django_filters.FilterSet):
    entity = django_filters.ModelChoiceFilter(
        field_name="participants",
        queryset=_published_entities,
        to_field_name="slug",
        distinct=True,
        label="Involving",
        empty_label="Any entity",
    )
    kind = django_filters.ChoiceFilter(
        field_name="participants__kind",
        choices=EntityKind.choices,
        distinct=True,
        label="Involving a",
        empty_label="Any kind of entity",
    )
    year = django_filters.NumberFilter(
        field_name="date__year", min_value=1900, max_value=2100, label="Year"
    )

    class Meta:
        model = Event
        fields = ["entity", "kind", "year"]


class ClaimFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    entity = django_filters.ModelChoiceFilter(
        field_name="about_entities",
        queryset=_published_entities,
        to_field_name="slug",
        distinct=True,
        label="About",
    )

    deprecated = django_filters.BooleanFilter(
        label="Include deprecated claims",
        widget=forms.CheckboxInput,
        method="with_deprecated",
    )

    class Meta:
        model = Claim
        fields = ["kind", "verification", "entity", "deprecated"]

    def with_deprecated(self, queryset, name, value):
        return queryset if value else queryset.not_deprecated()

    @property
    def qs(self):
        # Without any parameter the filter set is unbound and filters nothing: the
        # superseded and retracted stay hidden all the same.
        return super().qs if self.is_bound else super().qs.not_deprecated()
