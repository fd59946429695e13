"""The sources: outlets and articles, the raw capture kept as imported, intake and cleaning.

May import: aiwatch.core. The knowledge graph (entities) links to articles, never the
other way round; where an article page shows the graph, it reaches it through
reverse relations and the registry, not imports.
"""
