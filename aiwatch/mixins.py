from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect

from aiwatch.slugs import current_url_for_old_slug


class PublishedMixin:
    """Owns the queryset of a public view: only published rows, with what the template needs.

    Subclasses name the joins in `select_related` and `prefetch_related` so a
    page costs a fixed number of queries however many rows it shows.
    """

    select_related: tuple = ()
    prefetch_related: tuple = ()
    paginate_by = 25

    def get_queryset(self):
        qs = self.model.objects.published()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get(self, request, *args, **kwargs):
        # A link shared before a rename still works: the old slug answers a 301.
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            url = "slug" in kwargs and current_url_for_old_slug(self.model, kwargs["slug"])
            if not url:
                raise
            return HttpResponsePermanentRedirect(url)

    def paginate_queryset(self, queryset, page_size):
        # get_page() clamps "abc", "0" or "99999" to a real page instead of a 404:
        # a reader following an old or mistyped link still lands on results.
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
