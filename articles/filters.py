import django_filters
from django.db.models.functions import ExtractYear

from articles.models import Article, Role, Source


class ArticleFilter(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", label="Outlet"
    )
    year = django_filters.TypedChoiceFilter(
        field_name="published_on__year", coerce=int, label="Year", choices=[]
    )
    language = django_filters.CharFilter(label="Language", max_length=16)
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Role", empty_label="Any role")

    class Meta:
        model = Article
        fields = ["source", "year", "language", "role"]

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
