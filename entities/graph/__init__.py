"""The curated knowledge graph file (seeds/graph.toml): what a valid one is, and loading it.

Split in two because the file can be judged without a database: schema.py
decides whether the file is valid and turns it into specs; load.py checks
those against the database and writes what is missing. Callers import from here.
"""

from entities.graph.load import GraphReport, load_graph
from entities.graph.schema import Graph, GraphError, parse_graph, read_graph

__all__ = ["Graph", "GraphError", "GraphReport", "load_graph", "parse_graph", "read_graph"]
