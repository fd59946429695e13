"""The search page's parameters, validated: the query, the facets, the sort and the page."""

import django_filters
from django import forms

from aiwatch.search import engine
from aiwatch.search.models import SearchEntry, SearchKind
from articles.filters import REPUBLICATIONS
from articles.models import Role, Source
from entities.models import ClaimKind, Entity, Verification


class SearchFilter(django_filters.FilterSet):
    """The facets as django-filter filters: every state of the page is a plain GET URL.

    The text query itself is not a filter here: the view parses it and matches it,
    so that a query the form would refuse (a NUL byte, say) can never widen a search.

    A value that does not validate (an unknown kind, a missing entity, a year
    like "abc") is dropped from the search and reported on the page.
    """

    kind = django_filters.ChoiceFilter(choices=SearchKind.choices)
    entity = django_filters.ModelChoiceFilter(
        queryset=Entity.objects.published(), to_field_name="slug", method="filter_entity"
    )
    outlet = django_filters.ModelChoiceFilter(queryset=Source.objects.all(), to_field_name="slug")
    year = django_filters.NumberFilter(method="filter_period", min_value=1900, max_value=2100)
    month = django_filters.NumberFilter(method="filter_period", min_value=1, max_value=12)
    claim_kind = django_filters.ChoiceFilter(choices=ClaimKind.choices, label="Claim kind")
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Article role")
    # Leaves out confirmed republications, so that the outlet counts are each
    # outlet's own stories; entities, events and claims are never left out.
    republications = django_filters.ChoiceFilter(
        choices=REPUBLICATIONS, method="filter_republications"
    )
    # Deprecated claims (superseded or retracted) are left out unless this is ticked.
    deprecated = django_filters.BooleanFilter(
        label="Include deprecated claims", widget=forms.CheckboxInput, method="filter_deprecated"
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To")

    class Meta:
        model = SearchEntry
        fields = []

    def filter_entity(self, queryset, name, value):
        return queryset.filter(entity_ids__contains=[value.pk])

    def filter_deprecated(self, queryset, name, value):
        return queryset if value else queryset.exclude(standing="deprecated")

    def filter_republications(self, queryset, name, value):
        return queryset.filter(republication=False) if value == "exclude" else queryset

    def filter_period(self, queryset, name, value):
        # Year and month are read together; month without a year is ignored.
        if name == "month":
            return queryset
        year, month = int(value), self.form.cleaned_data.get("month")
        if month:
            return queryset.filter(date__year=year, date__month=int(month))
        return queryset.filter(date__year=year)


class SearchOptions(forms.Form):
    sort = forms.ChoiceField(
        choices=[("relevance", "Relevance"), ("newest", "Newest"), ("oldest", "Oldest")],
        required=False,
    )
    page = forms.IntegerField(min_value=1, required=False)
    format = forms.ChoiceField(
        choices=[("html", "HTML"), ("json", "JSON"), ("csv", "CSV")], required=False
    )

    def clean_sort(self):
        return self.cleaned_data.get("sort") or "relevance"

    def clean_page(self):
        # Deep pages are capped: past the cap, results are not ranked anyway.
        return min(self.cleaned_data.get("page") or 1, engine.MAX_PAGE)

    def clean_format(self):
        return self.cleaned_data.get("format") or "html"
