from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

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
