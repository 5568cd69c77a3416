"""`readiness graph`: the prerequisite graph, or one indicator's neighbourhood, as DOT, Mermaid or SVG."""

from __future__ import annotations

import networkx as nx

from . import charts
from .project import Project


def neighbourhood(project: Project, indicator: str | None) -> nx.DiGraph:
    graph = project.graph
    if indicator is None:
        return graph
    nodes = {indicator} | nx.ancestors(graph, indicator) | nx.descendants(graph, indicator)
    return graph.subgraph(nodes)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(project: Project, graph: nx.DiGraph) -> str:
    lines = ["digraph prerequisites {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    for node in sorted(graph.nodes):
        ind = project.indicators[node]
        label = f"{node}\\n{ind.name}"
        lines.append(f"  {_quote(node)} [label={_quote(label)}{', penwidth=2' if ind.critical else ''}];")
    lines += [f"  {_quote(a)} -> {_quote(b)};" for a, b in sorted(graph.edges)]
    return "\n".join(lines + ["}"]) + "\n"


def _mermaid_id(node: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in node)


def to_mermaid(project: Project, graph: nx.DiGraph) -> str:
    lines = ["flowchart LR"]
    for node in sorted(graph.nodes):
        name = project.indicators[node].name.replace('"', "'")
        lines.append(f'  {_mermaid_id(node)}["{node}: {name}"]')
    lines += [f"  {_mermaid_id(a)} --> {_mermaid_id(b)}" for a, b in sorted(graph.edges)]
    return "\n".join(lines) + "\n"


def to_svg(project: Project, graph: nx.DiGraph, title: str) -> str:
    nodes = [charts.Node(n, project.indicators[n].name, "#e8eef5" if not project.indicators[n].critical
                         else "#f5d9d5", "critical" if project.indicators[n].critical else "")
             for n in sorted(graph.nodes)]
    layers = [sorted(layer) for layer in nx.topological_generations(graph)]
    svg = charts.dependency_graph("graph", title, "Arrows run from a prerequisite to the indicator that requires it; "
                                  "critical indicators are shaded red.", nodes, sorted(graph.edges), layers)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
