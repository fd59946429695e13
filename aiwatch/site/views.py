from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from aiwatch.site import coverage as charts
from aiwatch.site import network as graph
from articles.models import Article
from entities.models import Claim, Entity, Event


def home(request):
    """The story at a glance: latest articles, the timeline, key players and disputed claims."""
    context = {
        "articles": Article.objects.published().select_related("source").newest_first()[:6],
        "events": list(Event.objects.published().chronological()),
        "entities": Entity.objects.published().order_by("kind", "name"),
        "claims": Claim.objects.published()
        .select_related("claimant", "article")
        .most_disputed()[:6],
        "counts": {
            "articles": Article.objects.published().count(),
            "entities": Entity.objects.published().count(),
            "events": Event.objects.published().count(),
            "claims": Claim.objects.published().count(),
        },
    }
    return render(request, "home.html", context)


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /feeds/search/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def coverage(request):
    """Articles per outlet per week and events per month, as SVG and tables. Four queries."""
    form = charts.CoverageForm(request.GET or None)
    chosen = {}
    if form.is_bound:
        form.is_valid()  # the fields that validated apply; the page reports the others
        chosen = form.cleaned_data
    entity, role = chosen.get("entity"), chosen.get("role", "")
    context = {
        "filters": {"form": form},
        "entity": entity,
        "role": dict(charts.Role.choices).get(role, ""),
        "articles": charts.articles_by_outlet(entity=entity, role=role),
        # An article's role says nothing of events: only the entity narrows them.
        "events": charts.events_by_month(entity=entity),
    }
    return render(request, "site/coverage.html", context)


def network(request):
    """Entities linked by shared articles and events: SVG and a table. Cached per version."""
    g = graph.graph()
    return render(
        request,
        "site/network.html",
        {
            "drawing": graph.drawing(g),
            "rows": graph.table(g),
            "limit": graph.MOST_NODES,
            "linked": len(g.names),
        },
    )
