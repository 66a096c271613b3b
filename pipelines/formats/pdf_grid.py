"""Table cells from ruling lines, for both PDF readers: the lines drawn in a printed PDF and the lines
OpenCV finds in a scan become pdfplumber edges, and pdfplumber's own algorithm (snap, join,
intersections, smallest cells, tables) turns them into rows of cells."""

from __future__ import annotations

from pdfplumber.table import Table as GridTable
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from pipelines.formats.pdf_layout import Grid


def horizontal(x0: float, x1: float, y: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "orientation": "h"}


def vertical(x: float, top: float, bottom: float) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "height": bottom - top, "orientation": "v"}


def _closed(edges: list[dict], tolerance: float) -> list[dict]:
    """The edges, with a line drawn where two or more vertical lines end together and no line joins
    them: a row cut by the page break, which some printers (a browser) leave open at the page's foot
    and at the next page's head."""
    verticals = [edge for edge in edges if edge["orientation"] == "v"]
    horizontals = [edge for edge in edges if edge["orientation"] == "h"]
    added = []
    for end in ("top", "bottom"):
        ordered = sorted(verticals, key=lambda edge: edge[end])
        groups: list[list[dict]] = []
        for edge in ordered:
            if groups and edge[end] - groups[-1][-1][end] <= tolerance:
                groups[-1].append(edge)
            else:
                groups.append([edge])
        for group in filter(lambda group: len(group) >= 2, groups):
            y = sum(edge[end] for edge in group) / len(group)
            left, right = min(edge["x0"] for edge in group), max(edge["x0"] for edge in group)
            if not any(
                abs(line["top"] - y) <= tolerance
                and line["x0"] <= left + tolerance
                and line["x1"] >= right - tolerance
                for line in horizontals
            ):
                added.append(horizontal(left, right, y))
    return edges + added


def grids(edges: list[dict], tolerance: float) -> tuple[Grid, ...]:
    """The tables the edges draw, each as rows of cell boxes (None where a merged cell spans)."""
    if not edges:
        return ()
    merged = merge_edges(_closed(edges, tolerance), tolerance, tolerance, tolerance, tolerance)
    cells = intersections_to_cells(edges_to_intersections(merged, tolerance, tolerance))
    found = []
    for group in cells_to_tables(cells):
        rows = GridTable(None, group).rows  # type: ignore[arg-type]  # rows need no page
        grid = tuple(tuple(tuple(map(float, box)) if box else None for box in row.cells) for row in rows)
        if max(len(row) for row in grid) >= 2:
            found.append(grid)
    return tuple(found)
