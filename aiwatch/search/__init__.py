"""Search: one denormalized, full-text index over every published kind, and the page that reads it.

- models: SearchEntry, with its stored tsvectors and GIN indexes
- indexing: keeps entries current from the kinds the registry declares
- text, query: what a user typed, parsed and turned into a tsquery
- engine: the SQL that matches, ranks, counts facets and highlights one page
- filters, views: the parameters (a form), and the HTML, JSON and CSV answers
- suggest, relevance: "did you mean", and the judged set that measures ranking

May import: aiwatch.core, articles, entities.
"""
