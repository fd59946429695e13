"""The reader pages that span apps: home, robots.txt, Atom feeds, the sitemap, template tags.

The JSON twins and JSON-LD of each page come from the kinds (aiwatch.core.registry);
this package only serves them. May import: aiwatch.core, articles, entities, aiwatch.search.
"""
