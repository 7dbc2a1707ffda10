"""A horizontal bar chart as plain numbers; the template draws it as inline SVG.

Only geometry and the escaped labels go to the template, so no markup is
ever built from data by string concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass

from bipro.core.formatting import format_decimal

LABEL_WIDTH = 110
BAR_AREA = 150
VALUE_WIDTH = 45
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    bar_height: int
    label_x: int


def bar_chart(items: list[tuple[str, int]]) -> Chart:
    """Bars scaled to the largest value; every bar at least a sliver wide."""
    largest = max((value for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        width = max(2, round(BAR_AREA * value / largest)) if value else 0
        bars.append(Bar(label=label, value=format_decimal(value), y=y, width=width,
                        text_y=y + BAR_HEIGHT - 5))
    return Chart(bars=bars, width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
                 height=max(ROW_HEIGHT, len(items) * ROW_HEIGHT), bar_x=LABEL_WIDTH,
                 bar_height=BAR_HEIGHT, label_x=LABEL_WIDTH - 10)


@dataclass(frozen=True)
class Split:
    """Two shares of one bar (open and closed claims), in a 0..``width`` box."""

    first: int
    second: int
    width: int = 300
    height: int = 14


def split_bar(first: int, second: int, width: int = 300) -> Split:
    total = first + second
    if not total:
        return Split(0, 0, width)
    first_width = round(width * first / total)
    return Split(first_width, width - first_width, width)
