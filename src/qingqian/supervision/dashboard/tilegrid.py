"""The national dashboard's tile grid: one square per provincial-level unit,
placed roughly where it lies, coloured by its figure.

A map of China's boundaries may only be published with a map approval number
(审图号); the tiles draw no boundary, so they need none. An operator who holds an
approved map shows it instead (QINGQIAN_MAP_GEOJSON, docs/operator-guide.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qingqian.accounts.rules import NO_AUTHORITY_PROVINCES
from qingqian.core import regions

# (short name, row, column) of each provincial-level unit, north to south and
# west to east on an 8 x 8 grid. Neighbours stay neighbours where a square grid
# allows it; the strait is left open between Fujian and Taiwan.
LAYOUT = {
    "230000": ("黑龙江", 0, 7),
    "650000": ("新疆", 1, 0),
    "150000": ("内蒙古", 1, 4),
    "110000": ("北京", 1, 5),
    "210000": ("辽宁", 1, 6),
    "220000": ("吉林", 1, 7),
    "620000": ("甘肃", 2, 2),
    "640000": ("宁夏", 2, 3),
    "140000": ("山西", 2, 4),
    "130000": ("河北", 2, 5),
    "120000": ("天津", 2, 6),
    "540000": ("西藏", 3, 0),
    "630000": ("青海", 3, 1),
    "510000": ("四川", 3, 2),
    "610000": ("陕西", 3, 3),
    "410000": ("河南", 3, 4),
    "370000": ("山东", 3, 5),
    "500000": ("重庆", 4, 2),
    "420000": ("湖北", 4, 3),
    "340000": ("安徽", 4, 4),
    "320000": ("江苏", 4, 5),
    "310000": ("上海", 4, 6),
    "530000": ("云南", 5, 1),
    "520000": ("贵州", 5, 2),
    "430000": ("湖南", 5, 3),
    "360000": ("江西", 5, 4),
    "330000": ("浙江", 5, 5),
    "450000": ("广西", 6, 2),
    "440000": ("广东", 6, 3),
    "350000": ("福建", 6, 4),
    "710000": ("台湾", 6, 6),
    "460000": ("海南", 7, 2),
    "820000": ("澳门", 7, 3),
    "810000": ("香港", 7, 4),
}

# Colour steps of a figure above zero, lightest first; step 0 is "none". The
# style sheet gives each step a background with at least 4.5:1 contrast for its
# text (site.css, "Dashboard tile grid").
STEPS = 5


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    short_name: str
    row: int
    column: int
    value: int | str | None  # None: not applicable (no SME authority in the programme);
    step: int  # a str: a mark shown instead of a withheld figure (the public "<5")
    url: str

    @property
    def applicable(self) -> bool:
        return self.value is not None

    @property
    def withheld(self) -> bool:
        """A mark, not a figure: drawn apart from every colour step, never as a value."""
        return isinstance(self.value, str)


def step_of(value: int, highest: int) -> int:
    """The colour step of a figure: 0 for none, else 1..STEPS in equal bands of
    the highest figure (the highest is always in the darkest)."""
    if value <= 0 or highest <= 0:
        return 0
    return -(-value * STEPS // highest)  # ceiling division, integers only


def legend(highest: int) -> list[tuple[int, int, int]]:
    """(step, lowest figure, highest figure) of every step that some figure can fall in."""
    bands = []
    for step in range(1, STEPS + 1):
        low, high = (step - 1) * highest // STEPS + 1, step * highest // STEPS
        if low <= high:
            bands.append((step, low, high))
    return bands


def highest_of(figures: dict[str, int | str]) -> int:
    """The highest figure, marks (withheld figures) left out."""
    return max((value for value in figures.values() if isinstance(value, int)), default=0)


def tiles(figures: dict[str, int | str], url_of: Callable[[str], str]) -> list[Tile]:
    """Every provincial-level unit's tile, in reading order (row by row).

    `figures` maps a province code to its figure (absent: 0), or to a mark shown
    in its place (the public site's suppressed "<5"): such a tile gets no colour
    step and does not count towards the highest; `url_of` gives the drill-down
    address of a two-digit region prefix.
    """
    highest = highest_of(figures)
    out = []
    for code, (short_name, row, column) in LAYOUT.items():
        region = regions.lookup(code)
        applicable = code not in NO_AUTHORITY_PROVINCES
        value = figures.get(code, 0) if applicable else None
        out.append(
            Tile(
                code=code,
                name=region.name if region else short_name,
                short_name=short_name,
                row=row,
                column=column,
                value=value,
                step=step_of(value, highest) if isinstance(value, int) else 0,
                url=url_of(code[:2]) if applicable else "",
            )
        )
    return sorted(out, key=lambda tile: (tile.row, tile.column))
