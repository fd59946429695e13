"""aiwatch, the project: settings, URLs, WSGI/ASGI, environment parsing, the embedded database.

The code is in layers, and each imports only from the layers below it
(`lint-imports` checks this; the contract is in pyproject.toml):

    aiwatch.urls, wsgi, asgi   the project's top: wires the pages together
    aiwatch.site               reader pages spanning apps: home, feeds, sitemap, template tags
    aiwatch.search             the search index, its engine and its page
    entities                   the knowledge graph: entities, events, claims, their links
    articles                   the sources: outlets and articles, intake and cleaning
    aiwatch.core               the base every app uses: publishing, slugs, history,
                               markup, admin bases, the public-view mixin, the registry

settings.py, env.py and embedded_db.py stand beside the layers and import none of them;
settings_test.py is what the test suite runs on.
Benchmark code lives in bench/, outside the shipped package.
"""
