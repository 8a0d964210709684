"""Charts drawn at build time as inline SVG: no script, no chart library in the browser.

Each chart carries <title> and <desc> for screen readers, prints its values as text (so
colour never carries meaning alone), and the table beside it holds the same figures.
"""

from html import escape

from markupsafe import Markup
from vn_text import format_percent

WIDTH = 640
INK = "#1f2328"
MUTED = "#4a5360"
GOOD = "#0a4f96"
LOW = "#a3141c"
GRID = "#d7dce2"


def _svg(ident: str, height: int, title: str, desc: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" id="{escape(ident)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{escape(ident)}-title">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def describe_rates(items: list[tuple[str, float | None]], target: float) -> str:
    rated = [(name, rate) for name, rate in items if rate is not None]
    if not rated:
        return "Chưa có đơn vị nào có hồ sơ để tính tỷ lệ đúng hạn."
    best = max(rated, key=lambda item: item[1])
    worst = min(rated, key=lambda item: item[1])
    reached = sum(1 for _, rate in rated if rate >= target)
    text = (
        f"Cao nhất: {best[0]} ({format_percent(best[1])}); thấp nhất: {worst[0]} "
        f"({format_percent(worst[1])}). {reached}/{len(items)} đơn vị đạt từ "
        f"{format_percent(target, 0)}."
    )
    missing = len(items) - len(rated)
    return text + (f" {missing} đơn vị không có hồ sơ để tính." if missing else "")


def rate_bars(
    ident: str, title: str, items: list[tuple[str, float | None]], target: float
) -> Markup:
    """Horizontal bars of the on-time rate, one per unit, with the target as a line."""
    label_width, value_width, row, top = 170, 70, 24, 28
    bar_width = WIDTH - label_width - value_width
    height = top + row * len(items) + 10
    x_target = label_width + bar_width * target
    body = [
        f'<text x="{label_width}" y="16" fill="{MUTED}">0%</text>',
        f'<text x="{label_width + bar_width}" y="16" fill="{MUTED}" text-anchor="end">100%</text>',
        f'<line x1="{x_target:.1f}" y1="{top - 6}" x2="{x_target:.1f}" y2="{height - 6}" '
        f'stroke="{INK}" stroke-dasharray="4 3"/>',
        f'<text x="{x_target:.1f}" y="16" fill="{INK}" text-anchor="middle">'
        f"mục tiêu {escape(format_percent(target, 0))}</text>",
    ]
    for index, (name, rate) in enumerate(items):
        y = top + index * row
        body.append(
            f'<text x="{label_width - 8}" y="{y + 16}" fill="{INK}" '
            f'text-anchor="end">{escape(name)}</text>'
        )
        if rate is None:
            body.append(
                f'<text x="{label_width + 4}" y="{y + 16}" fill="{MUTED}">— không có hồ sơ</text>'
            )
            continue
        colour = GOOD if rate >= target else LOW
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width * rate:.1f}" '
            f'height="{row - 8}" fill="{colour}"/>'
        )
        body.append(
            f'<text x="{WIDTH - 4}" y="{y + 16}" fill="{INK}" '
            f'text-anchor="end">{escape(format_percent(rate))}</text>'
        )
    return _svg(ident, height, title, describe_rates(items, target), body)


def rate_trend(
    ident: str, title: str, points: list[tuple[str, float | None]], target: float
) -> Markup:
    """The on-time rate of one unit over time, oldest on the left."""
    left, right, top, bottom, height = 56, 44, 24, 40, 240
    rated = [rate for _, rate in points if rate is not None]
    floor = min([*rated, target, 0.9])
    floor = max(0.0, int(floor * 10) / 10)  # round down to a tenth: the axis starts there
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def y_of(rate: float) -> float:
        return top + plot_h * (1 - (rate - floor) / (1 - floor or 1))

    body = []
    for tick in (floor, (floor + 1) / 2, 1.0):
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" fill="{MUTED}" text-anchor="end">'
            f"{escape(format_percent(tick, 0))}</text>"
        )
    y_target = y_of(target)
    body.append(
        f'<line x1="{left}" y1="{y_target:.1f}" x2="{WIDTH - right}" '
        f'y2="{y_target:.1f}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    coords = []
    for index, (label, rate) in enumerate(points):
        x = left + (step * index if len(points) > 1 else plot_w / 2)
        body.append(
            f'<text x="{x:.1f}" y="{height - 14}" fill="{MUTED}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        if rate is None:
            continue
        y = y_of(rate)
        coords.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{GOOD}"/>')
        body.append(
            f'<text x="{x:.1f}" y="{y - 9:.1f}" fill="{INK}" text-anchor="middle">'
            f"{escape(format_percent(rate, 1))}</text>"
        )
    if len(coords) > 1:
        body.insert(
            0,
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{GOOD}" stroke-width="2"/>',
        )
    desc = "; ".join(
        f"{label}: {'không có hồ sơ' if rate is None else format_percent(rate)}"
        for label, rate in points
    )
    return _svg(ident, height, title, f"{desc}. Mục tiêu {format_percent(target, 0)}.", body)
