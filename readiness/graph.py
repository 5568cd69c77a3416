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
    """A DOT quoted string that Graphviz reads back as `text`, character for character: a backslash is doubled
    (in a label Graphviz reads `\\n`, `\\N`, `\\G`... as escapes, and `\\\\` as one backslash), a quote is
    escaped, and a line break within the text becomes a space (a name is one line)."""
    one_line = " ".join(text.splitlines())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(*lines: str) -> str:
    """A node label of several lines: each line quoted as text, joined by DOT's line break `\\n` (added after
    quoting, so that it is not escaped again)."""
    return '"' + "\\n".join(_quote(line)[1:-1] for line in lines) + '"'


def to_dot(project: Project, graph: nx.DiGraph) -> str:
    lines = ["digraph prerequisites {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    for node in sorted(graph.nodes):
        ind = project.indicators[node]
        label = _label(node, str(ind.name))
        lines.append(f"  {_quote(node)} [label={label}{', penwidth=2' if ind.critical else ''}];")
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
    nodes = [
        charts.Node(
            n,
            project.indicators[n].name,
            "#e8eef5" if not project.indicators[n].critical else "#f5d9d5",
            "critical" if project.indicators[n].critical else "",
        )
        for n in sorted(graph.nodes)
    ]
    layers = [sorted(layer) for layer in nx.topological_generations(graph)]
    svg = charts.dependency_graph(
        "graph",
        title,
        "Arrows run from a prerequisite to the indicator that requires it; critical indicators are shaded red.",
        nodes,
        sorted(graph.edges),
        layers,
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
