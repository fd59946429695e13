"""The knowledge graph: entities, events, claims with their evidence, and the links between them.

May import: aiwatch.core, articles.
"""
