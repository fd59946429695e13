import csv
import math
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize

from aiwatch.core.outputs import spreadsheet_safe
from aiwatch.search import engine
from aiwatch.search.filters import SearchFilter, SearchOptions
from aiwatch.search.models import SearchEntry, SearchKind
from aiwatch.search.query import to_search_query
from aiwatch.search.suggest import suggest
from aiwatch.search.text import clean, parse
from articles.models import Role
from entities.models import ClaimKind, Verification

FEW_RESULTS = 3
SHOWN_PER_FACET = 10
FACET_HEADINGS = {
    "kind": "Kind",
    "entity": "Entity",
    "outlet": "Outlet",
    "year": "Year",
    "month": "Month",
    "claim_kind": "Claim kind",
    "verification": "Verification",
    "role": "Article role",
    "republications": "Republications",
}
OWN_FIELDS = {"q", "sort", "date_from", "date_to", "page", "format"}
LABELS = {
    "kind": dict(SearchKind.choices),
    "claim_kind": dict(ClaimKind.choices),
    "verification": dict(Verification.choices),
    "role": dict(Role.choices),
}


def search(request):
    """The search page, and its JSON and CSV forms: at most 8 queries, however many matches."""
    raw = request.GET.get("q", "")
    parsed = parse(raw)
    filterset = SearchFilter(request.GET, queryset=SearchEntry.objects.all())
    options = SearchOptions(request.GET)
    options.is_valid()
    sort = options.cleaned_data.get("sort") or "relevance"
    page = options.cleaned_data.get("page") or 1
    fmt = options.cleaned_data.get("format") or "html"
    # The deprecated-claims switch widens a search rather than narrowing it: not a filter.
    active_filters = {
        k: v
        for k, v in filterset.form.data.items()
        if k in filterset.filters and k != "deprecated" and v
    }
    ctx = {
        "q": clean(raw)[0],
        # The other parameters, carried through the sort-and-dates form.
        "carried": [(k, v) for k, v in request.GET.items() if k not in OWN_FIELDS],
        "parsed": parsed,
        "filterset": filterset,
        "sort": sort,
        "errors": {**filterset.form.errors, **options.errors},
        "results": engine.Results(),
        "searched": not parsed.is_empty or bool(active_filters),
    }
    if ctx["searched"]:
        results = engine.run(
            filterset.qs,
            parsed,
            sort=sort,
            page=page,
            page_size=engine.MATCH_CAP if fmt == "csv" else engine.PAGE_SIZE,
            filtered=bool(active_filters),
        )
        page, total = results.page, results.total
        facets = _labelled(results)
        ctx.update(results=results, page=page, facets=facets)
        ctx["first_number"] = (page - 1) * engine.PAGE_SIZE + 1
        ctx["pages"] = max(1, min(math.ceil(results.ranked / engine.PAGE_SIZE), engine.MAX_PAGE))
        ctx["ranking_cap"] = engine.MATCH_CAP
        if total < FEW_RESULTS and not parsed.is_empty:
            ctx["suggestion"] = _suggestion(parsed, raw, filterset.qs)
    if fmt == "json":
        return JsonResponse(_as_json(ctx), json_dumps_params={"ensure_ascii": False})
    if fmt == "csv":
        return _as_csv(ctx, request)
    if not parsed.is_empty and not ctx["results"].total:
        ctx["fewer_words"] = _fewer_words(parsed, raw)
    ctx["facet_panels"] = _panels(ctx.get("facets", {}), request, filterset)
    if filterset.form.cleaned_data.get("deprecated"):
        leave_out = _facet_href({}, _without(request.GET, "deprecated"))
        ctx["deprecated_switch"] = ("included", leave_out)
    else:
        ctx["deprecated_switch"] = ("left out", _facet_href({"deprecated": "on"}, request.GET))
    if filterset.form.cleaned_data.get("republications") == "exclude":
        # Applied, the facet has no value left to show: a way back instead.
        ctx["with_republications_href"] = _facet_href({}, _without(request.GET, "republications"))
    return render(request, "search/search.html", ctx)


def _suggestion(parsed, raw, filtered):
    """A respelled query and how many results it has, if it has any."""
    text = suggest(parsed, raw)
    if not text:
        return None
    n = engine.count(filtered, to_search_query(parse(text)))
    return {"query": text, "count": n} if n else None


def _fewer_words(parsed, raw):
    """The query without one of its words, for each word: a way out of zero results."""
    words = raw.split()
    if len(words) < 2:
        return []
    return [" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))][:5]


def _panels(facets, request, filterset):
    """The facets as the page's sidebar shows them (the JSON has them all), with their links.

    The ten largest values of each, and months only once a year is chosen: a
    list of every month in the results told a researcher less than it cost to
    read. The links are built here: the template language took half the page's
    rendering time to build them.
    """
    year_chosen = bool(filterset.form.cleaned_data.get("year"))
    return [
        {
            "heading": FACET_HEADINGS[name],
            "items": [
                {**item, "href": _facet_href(item["params"], request.GET)}
                for item in items[:SHOWN_PER_FACET]
            ],
            "more": max(0, len(items) - SHOWN_PER_FACET),
            # The search counts only the largest entities: there may be others.
            "more_at_least": name == "entity" and len(items) >= engine.ENTITY_FACET_SIZE,
        }
        for name, items in facets.items()
        if items and (name != "month" or year_chosen)
    ]


def _facet_href(applies, params):
    """The page's parameters, less the page number, with a facet value's parameters set."""
    kept = [(k, v) for k, v in params.items() if k != "page" and k not in applies]
    return "?" + urlencode([*kept, *applies.items()])


def _without(params, name):
    """The page's parameters less one."""
    kept = params.copy()
    kept.pop(name, None)
    return kept


def _labelled(results):
    """Facet values with human labels and the parameters that apply them."""
    out = {}
    for facet, values in results.facets.items():
        items = []
        for value, n in values:
            if facet in ("entity", "outlet"):
                label, params = results.names[facet, value], {facet: value}
            elif facet == "republications":
                left_out = results.total - n
                label = f"Without the {left_out} confirmed republication{pluralize(left_out)}"
                params = {facet: value}
            elif facet == "month":
                year, month = value.split("-")
                label, params = value, {"year": year, "month": str(int(month))}
            else:
                label, params = LABELS.get(facet, {}).get(value, value), {facet: value}
            items.append({"label": label, "count": n, "params": params})
        out[facet] = items
    return out


def _as_json(ctx):
    results = ctx["results"]
    return {
        "query": ctx["q"],
        "total": results.total,
        "total_is_capped": results.capped,
        # How many of the matches are ranked, and so reachable through the pages.
        "ranked": results.ranked,
        "page": ctx.get("page", 1),
        "pages": ctx.get("pages", 0),
        "sort": ctx["sort"],
        "results": [
            {
                "kind": hit.kind,
                "title": hit.title_text,
                "url": hit.url,
                "snippet": hit.snippet_text,
                "snippet_html": hit.snippet,
                "date": hit.date.isoformat() if hit.date else None,
                "date_precision": hit.date_precision if hit.date else None,
                # A claim's standing (preferred, normal, deprecated); null for the rest.
                "standing": hit.standing or None,
            }
            for hit in results.hits
        ],
        "facets": {
            facet: [
                {
                    "value": next(iter(i["params"].values())),
                    "label": i["label"],
                    "count": i["count"],
                    "params": i["params"],
                }
                for i in items
            ]
            for facet, items in ctx.get("facets", {}).items()
        },
        "suggestion": ctx.get("suggestion"),
        "errors": {field: [str(e) for e in errs] for field, errs in ctx["errors"].items()},
    }


def _as_csv(ctx, request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aiwatch-search.csv"'
    response["X-Row-Cap"] = str(engine.MATCH_CAP)
    # Every cell quoted, as OWASP's guidance on CSV injection asks.
    writer = csv.writer(response, quoting=csv.QUOTE_ALL)
    writer.writerow(["kind", "title", "url", "date", "snippet", "standing"])
    for hit in ctx["results"].hits:
        url = request.build_absolute_uri(hit.url)
        date = hit.date.isoformat() if hit.date else ""
        cells = [hit.kind, hit.title_text, url, date, hit.snippet_text, hit.standing]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return response
