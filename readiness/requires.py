"""The prerequisite graph (`requires`) as plain dicts: an edge runs from a prerequisite to the indicator that
requires it. Cycles (for R003), the order indicators are scored in and their depth, written here in a few lines
so that `check` and `score` do not import networkx at start-up; the site's drawings and `readiness graph` still
use networkx (`Project.graph`)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field


@dataclass
class Requires:
    nodes: list[str] = field(default_factory=list)
    """Indicator ids, sorted."""
    out: dict[str, list[str]] = field(default_factory=dict)
    """Prerequisite -> the indicators that require it, in the order the edges were added."""

    def add_edge(self, prerequisite: str, dependent: str) -> None:
        self.__dict__.pop("_into", None)
        targets = self.out.setdefault(prerequisite, [])
        if dependent not in targets:
            targets.append(dependent)

    @property
    def edges(self) -> list[tuple[str, str]]:
        return [(a, b) for a in self.out for b in self.out[a]]

    def predecessors(self, node: str) -> list[str]:
        """The prerequisites of `node` (every call after the graph is complete: the index is built once)."""
        into = self.__dict__.get("_into")
        if into is None:
            into = {}
            for a, targets in self.out.items():
                for b in targets:
                    into.setdefault(b, []).append(a)
            self.__dict__["_into"] = into
        return into.get(node, [])

    def components(self) -> list[set[str]]:
        """Strongly connected components (Tarjan's algorithm, iterative)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        found: list[set[str]] = []
        counter = 0
        for root in self.nodes:
            if root in index:
                continue
            work = [(root, iter(self.out.get(root, [])))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, children = work[-1]
                advanced = False
                for child in children:
                    if child not in index:
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(self.out.get(child, []))))
                        advanced = True
                        break
                    if child in on_stack:
                        low[node] = min(low[node], index[child])
                if advanced:
                    continue
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
        return found

    def cycle_from(self, start: str, within: set[str]) -> list[str]:
        """A cycle through the component `within`, found by a depth-first walk from `start` along the edges in
        the order they were added: the nodes of the cycle, from where the walk closes it."""
        path: list[str] = []
        on_path: set[str] = set()
        done: set[str] = set()

        def walk(node: str) -> list[str] | None:
            path.append(node)
            on_path.add(node)
            for child in self.out.get(node, []):
                if child not in within:
                    continue
                if child in on_path:
                    return path[path.index(child) :]
                if child not in done:
                    found = walk(child)
                    if found is not None:
                        return found
            path.pop()
            on_path.discard(node)
            done.add(node)
            return None

        return walk(start) or []

    def topological(self) -> list[str] | None:
        """Every node after its prerequisites, the smallest id first among those ready (as networkx's
        lexicographical topological sort); None when there is a cycle."""
        incoming = {n: 0 for n in self.nodes}
        for _, b in self.edges:
            incoming[b] = incoming.get(b, 0) + 1
        ready = [n for n, k in incoming.items() if k == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            node = heapq.heappop(ready)
            order.append(node)
            for child in self.out.get(node, []):
                incoming[child] -= 1
                if incoming[child] == 0:
                    heapq.heappush(ready, child)
        return order if len(order) == len(incoming) else None
