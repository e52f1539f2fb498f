"""Independent oracle for services/insights/network-science.ts: networkx computes the same measures.

Reads {"nodes": [...], "edges": [[a, b], ...]} (an undirected, unweighted graph) on stdin and prints the measures
as JSON. Installed by test/oracle/requirements.txt (`.ci/run` installs it; tests skip without it).
"""
import json
import sys

import networkx as nx

graph_in = json.load(sys.stdin)
g = nx.Graph()
g.add_nodes_from(graph_in["nodes"])
g.add_edges_from(graph_in["edges"])

modularities = []
for seed in range(5):
    communities = nx.community.louvain_communities(g, seed=seed)
    modularities.append(nx.community.modularity(g, communities))

json.dump({
    "degree": nx.degree_centrality(g),
    "betweenness": nx.betweenness_centrality(g, normalized=True),
    "closeness": nx.closeness_centrality(g, wf_improved=True),
    "eigenvector": nx.eigenvector_centrality(g, max_iter=1000, tol=1e-12),
    "pagerank": nx.pagerank(g, alpha=0.85, max_iter=1000, tol=1e-12),
    "louvainBestModularity": max(modularities),
    "constraint": {v: c for v, c in nx.constraint(g).items() if g.degree(v) > 0},
    "effectiveSize": {v: e for v, e in nx.effective_size(g).items() if g.degree(v) > 0},
}, sys.stdout)
