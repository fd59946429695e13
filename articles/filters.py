import django_filters
from django.db.models.functions import ExtractYear

from articles.models import Article, Role, Source

# ?republications=exclude: an outlet's own work only, without the confirmed
# republications of other outlets' stories. Suggested links count as the
# outlet's own until an editor confirms them.
REPUBLICATIONS = [
    ("include", "Include republications"),
    ("exclude", "Leave out confirmed republications"),
]


def republications_filter():
    return django_filters.ChoiceFilter(
        choices=REPUBLICATIONS,
        label="Republications",
        empty_label=None,
        method="filter_republications",
    )


class RepublicationsFilterSet(django_filters.FilterSet):
    """A list of articles that can leave out confirmed republications."""

    republications = republications_filter()

    class Meta:
        model = Article
        fields = ["republications"]

    def filter_republications(self, queryset, name, value):
        return queryset.not_republished() if value == "exclude" else queryset

    @property
    def excludes_republications(self) -> bool:
        return self.is_valid() and self.form.cleaned_data.get("republications") == "exclude"


class ArticleFilter(RepublicationsFilterSet):
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", label="Outlet"
    )
    year = django_filters.TypedChoiceFilter(
        field_name="published_on__year", coerce=int, label="Year", choices=[]
    )
    language = django_filters.CharFilter(label="Language", max_length=16)
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Role", empty_label="Any role")
    republications = republications_filter()

    class Meta:
        model = Article
        fields = ["source", "year", "language", "role", "republications"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            Article.objects.published()
            .filter(published_on__isnull=False)
            .annotate(y=ExtractYear("published_on"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        self.filters["year"].extra["choices"] = [(y, y) for y in years]
