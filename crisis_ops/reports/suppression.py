"""Small-cell suppression: the one place that decides which counts a report may publish.

A table is R x C interior counts with its row totals, column totals and grand total
(a one-way table is R x 1). Primary suppression hides every count 1..4. Complementary
suppression then hides further cells, smallest value first, until for every hidden
cell the interval its true value could take, given everything published, is at least
``THRESHOLD`` wide.

The interval is computed exactly rather than by the "two per line" rule alone (which
leaves a hidden cell exact when it is a bridge between two hidden cycles): a table with
its margins is a circulation on the bipartite graph of its lines (rows + total row,
columns + total column), each hidden cell an edge, so how far a hidden cell can move up
or down is a max-flow through the other hidden cells, bounded by their values. This is
the same bound a linear-programming attacker gets (tests/reports/test_attack.py checks
it with scipy's linprog). Flows are capped at ``THRESHOLD``: only "wide enough" matters.

Cells forced by an earlier published pattern stay hidden; cells published before are
chosen as complementary cells only when nothing else will do. Everything is ordered,
so the same table always gets the same pattern.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

THRESHOLD = 5
INF = THRESHOLD  # flows are capped: THRESHOLD means "at least THRESHOLD"

Pos = tuple[int, int]  # (row, col); row R is the total row, col C the total column


@dataclass(frozen=True)
class Pattern:
    """Which cells of an (R+1) x (C+1) table (margins included) are hidden."""

    rows: int
    cols: int
    hidden: frozenset[Pos]
    primary: frozenset[Pos]

    def is_hidden(self, pos: Pos) -> bool:
        return pos in self.hidden


def extended_table(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals (last column), column totals (last row), grand total."""
    rows, cols = len(cells), len(cells[0]) if cells else 0
    table = [[*row, sum(row)] for row in cells]
    table.append([sum(table[r][c] for r in range(rows)) for c in range(cols + 1)])
    return table


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    forced: Iterable[Pos] = (),
    avoid: Iterable[Pos] = (),
) -> Pattern:
    """Hide cells of ``cells`` (interior counts) and of its margins; see the module doc.

    ``forced``: positions hidden in an earlier published pattern (kept hidden).
    ``avoid``: positions published earlier (hidden again only as a last resort).
    """
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if rows == 0 or cols == 0:
        return Pattern(rows, cols, frozenset(), frozenset())
    table = extended_table(cells)
    one_way = cols == 1
    positions = [(r, c) for r in range(rows + 1) for c in range(cols + 1)]
    primary = {p for p in positions if 0 < table[p[0]][p[1]] < THRESHOLD}
    hidden = set(primary) | {p for p in forced if p in set(positions)}
    avoided = set(avoid)
    if one_way:
        # A row total of a one-way table is the row's cell itself: one fate for both.
        hidden |= {(r, 1 - c) for r, c in hidden if r < rows}
    verified: set[Pos] = set()
    while True:
        todo = sorted(p for p in hidden if p not in verified)
        if not todo:
            break
        for pos in todo:
            if _width(table, hidden, pos, rows, cols) >= THRESHOLD:
                verified.add(pos)
                continue
            extra = _complement_for(table, hidden, avoided, pos, rows, cols)
            hidden.add(extra)
            if one_way and extra[0] < rows:
                hidden.add((extra[0], 1 - extra[1]))
            break
    return Pattern(rows, cols, frozenset(hidden), frozenset(primary))


def _complement_for(
    table: list[list[int]], hidden: set[Pos], avoided: set[Pos], pos: Pos, rows: int, cols: int
) -> Pos:
    """The next cell to hide for ``pos``: on its row or column, smallest value first."""
    r, c = pos
    line = {(r, j) for j in range(cols + 1)} | {(i, c) for i in range(rows + 1)}
    hidden_rows = {i for i, _ in hidden}
    hidden_cols = {j for _, j in hidden}
    # A cell whose row and column both hold hidden cells closes a cycle of hidden cells.
    closing = {
        (i, j)
        for i in hidden_rows
        for j in hidden_cols
        if (i, j) not in hidden and (i in (r,) or j in (c,) or (i, c) in hidden or (r, j) in hidden)
    }
    candidates = [p for p in line | closing if p not in hidden]
    if not candidates:
        candidates = [
            (i, j) for i in range(rows + 1) for j in range(cols + 1) if (i, j) not in hidden
        ]

    def cost(p: Pos) -> tuple[bool, bool, bool, int, bool, Pos]:
        value = table[p[0]][p[1]]
        is_margin = p[0] == rows or p[1] == cols
        # Zeros move only upwards; a cell published before protects nothing.
        return (p in avoided, p not in closing, value == 0, value, is_margin, p)

    return min(candidates, key=cost)


def _width(table: list[list[int]], hidden: set[Pos], pos: Pos, rows: int, cols: int) -> int:
    """How far the hidden cell at ``pos`` can move (up + down), capped at THRESHOLD."""
    # Nodes: rows 0..rows (rows = total row), then columns as rows+1+j.
    graph: dict[int, dict[int, int]] = {}

    def add(u: int, v: int, cap: int) -> None:
        graph.setdefault(u, {})
        graph.setdefault(v, {})
        graph[u][v] = min(INF * 4, graph[u].get(v, 0) + cap)

    for i, j in hidden:
        if (i, j) == pos:
            continue
        value = table[i][j]
        row_node, col_node = i, rows + 1 + j
        positive = (i < rows) == (j < cols)
        if positive:  # may grow freely, shrink by its value
            add(row_node, col_node, INF)
            add(col_node, row_node, min(value, INF))
        else:
            add(row_node, col_node, min(value, INF))
            add(col_node, row_node, INF)
    i, j = pos
    row_node, col_node = i, rows + 1 + j
    value = table[i][j]
    positive = (i < rows) == (j < cols)
    forward = _max_flow(graph, row_node, col_node)
    backward = _max_flow(graph, col_node, row_node)
    up, down = (backward, forward) if positive else (forward, backward)
    return min(INF, up + min(value, down))


def _max_flow(graph: dict[int, dict[int, int]], source: int, sink: int) -> int:
    if source not in graph or sink not in graph:
        return 0
    residual = {u: dict(edges) for u, edges in graph.items()}
    for u, edges in graph.items():
        for v in edges:
            residual[v].setdefault(u, 0)
    flow = 0
    while flow < INF:
        parent: dict[int, int] = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v in sorted(residual[u]):
                if v not in parent and residual[u][v] > 0:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            break
        bottleneck, v = INF - flow, sink
        while v != source:
            bottleneck = min(bottleneck, residual[parent[v]][v])
            v = parent[v]
        v = sink
        while v != source:
            residual[parent[v]][v] -= bottleneck
            residual[v][parent[v]] += bottleneck
            v = parent[v]
        flow += bottleneck
    return flow
