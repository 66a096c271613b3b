"""The extract's PNG charts: drawn again only for other figures, and matplotlib imported only to draw."""

from __future__ import annotations

import subprocess
import sys

from matplotlib.figure import Figure
from PIL import Image

from pipelines.forms.extract.charts import draw


def test_loading_the_definitions_does_not_import_matplotlib():
    probe = "import sys, pipelines.definitions; print(sorted(m for m in sys.modules if 'matplotlib' in m))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_chart_is_drawn_once_for_the_same_figures_and_again_for_others(tmp_path):
    drawn = []

    def chart(trend):
        drawn.append(trend)
        figure = Figure(figsize=(3, 2))
        axes = figure.subplots()
        axes.plot([2023, 2024, 2025], trend)
        return figure

    path = tmp_path / "chi-so.png"
    assert draw(chart, [80.1, 82.4, 85.0], path, "figures of 2025") == path
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width > 100
    draw(chart, [80.1, 82.4, 85.0], path, "figures of 2025")
    assert len(drawn) == 1  # the PNG there says it was drawn from these figures
    draw(chart, [80.1, 82.4, 86.0], path, "figures of 2025, corrected")
    assert drawn == [[80.1, 82.4, 85.0], [80.1, 82.4, 86.0]]
    path.write_bytes(path.read_bytes()[:100])  # cut short: not a whole PNG of ours
    draw(chart, [80.1, 82.4, 86.0], path, "figures of 2025, corrected")
    assert len(drawn) == 3 and not list(tmp_path.glob(".*.part"))
