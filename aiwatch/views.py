from django.shortcuts import render

from articles.models import Article
from entities.models import Claim, Entity, Event


def home(request):
    """The story at a glance: latest articles, the timeline, key players and claims."""
    context = {
        "articles": Article.objects.published().select_related("source").newest_first()[:6],
        "events": Event.objects.published().chronological()[:12],
        "entities": Entity.objects.published().order_by("kind", "name"),
        "claims": Claim.objects.published()
        .select_related("claimant", "article")
        .order_by("-updated_at")[:6],
        "counts": {
            "articles": Article.objects.published().count(),
            "entities": Entity.objects.published().count(),
            "events": Event.objects.published().count(),
            "claims": Claim.objects.published().count(),
        },
    }
    return render(request, "home.html", context)
