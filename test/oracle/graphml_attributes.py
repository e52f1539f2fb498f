"""Reads a GraphML document (a JSON string on stdin) with networkx and prints each node's attributes as JSON,
with their Python types, so a test can check what a networkx user gets from our exports."""
import json
import sys

import networkx as nx

graph = nx.parse_graphml(json.load(sys.stdin))
json.dump(
    {node: {key: [value, type(value).__name__] for key, value in data.items()} for node, data in graph.nodes(data=True)},
    sys.stdout,
)
