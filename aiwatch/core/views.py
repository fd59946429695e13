from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render

from aiwatch.core import registry
from aiwatch.core.slugs import current_url_for_old_slug


class PublishedMixin:
    """Owns the queryset of a public view: only published rows, with what the template needs.

    Subclasses name the joins in `select_related` and `prefetch_related` so a
    page costs a fixed number of queries however many rows it shows.
    """

    select_related: tuple = ()
    prefetch_related: tuple = ()
    paginate_by = 25

    def previewing(self) -> bool:
        """An editor looking at an unpublished item on the public design (?preview=1)."""
        user = self.request.user
        return (
            self.request.GET.get("preview") == "1"
            and user.is_staff
            and user.has_perm(f"{self.model._meta.app_label}.view_{self.model._meta.model_name}")
        )

    def get_queryset(self):
        qs = self.model.objects.all() if self.previewing() else self.model.objects.published()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if "slug" not in kwargs:
                raise
            # A withdrawn item is gone on purpose: say so with a 410, not a bare 404.
            withdrawn = self.model.objects.withdrawn().filter(slug=kwargs["slug"]).first()
            if withdrawn is not None:
                return render(request, "410.html", {"item": withdrawn}, status=410)
            # A link shared before a rename still works: the old slug answers a 301.
            url = current_url_for_old_slug(self.model, kwargs["slug"])
            if not url:
                raise
            return HttpResponsePermanentRedirect(url)

    def render_to_response(self, context, **response_kwargs):
        """?format=json answers with the same content as data: the page's JSON twin."""
        if self.request.GET.get("format") != "json":
            response = super().render_to_response(context, **response_kwargs)
            if self.previewing():
                # A preview is for the editor only: never cached, never indexed.
                response["Cache-Control"] = "private, no-store"
                response["X-Robots-Tag"] = "noindex"
            return response
        absolute = self.request.build_absolute_uri
        if "object" in context and context["object"] is not None and not context.get("page_obj"):
            data = self.object_as_json(context["object"], absolute, context)
        else:
            page = context["page_obj"]
            data = {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "next": self._page_url(page.next_page_number()) if page.has_next() else None,
                "results": [self.object_as_json(o, absolute, None) for o in context["object_list"]],
            }
            if "filter" in context:
                data["errors"] = context["filter"].form.errors
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})

    def object_as_json(self, obj, absolute, context) -> dict:
        """One row of a list (`context` None) or the detail page's object, as its kind says."""
        full = context is not None
        return registry.of(obj).as_json(obj, absolute, full=full, context=context)

    def _page_url(self, number) -> str:
        params = self.request.GET.copy()
        params["page"] = number
        return self.request.build_absolute_uri("?" + params.urlencode())

    def paginate_queryset(self, queryset, page_size):
        # get_page() clamps "abc", "0" or "99999" to a real page instead of a 404:
        # a reader following an old or mistyped link still lands on results.
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
