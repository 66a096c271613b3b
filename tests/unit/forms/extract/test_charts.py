"""The extract's PNG charts: drawn again only for other figures. (matplotlib is imported only to draw:
test_definitions loads the definitions and looks.)"""

from __future__ import annotations

from matplotlib.figure import Figure
from PIL import Image

from pipelines.forms.extract.charts import draw


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
