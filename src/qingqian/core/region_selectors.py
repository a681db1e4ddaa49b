"""Reads of region names. Region codes are public reference data, so these
selectors take no actor and apply no scope (unlike the domain selectors)."""

from __future__ import annotations

from qingqian.core import regions
from qingqian.core.models import Region


def county_name(code: str) -> str | None:
    """Name of an imported county-level unit, or None if it was not imported."""
    if not regions.is_code_shaped(code):
        return None
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


def region_name(code: str) -> str | None:
    """Name of any region: shipped province/prefecture first, else an imported county."""
    shipped = regions.lookup(code)
    if shipped is not None:
        return shipped.name
    return county_name(code)


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every region to pick, grouped by province (the province itself first,
    then each prefecture followed by its imported counties, then counties
    directly under the province: the municipalities' districts)."""
    counties: dict[str, list[tuple[str, str]]] = {}
    for code, name in Region.objects.order_by("code").values_list("code", "name"):
        counties.setdefault(code[:4], []).append((code, name))
    return [
        (province.name, _province_options(province, counties)) for province in regions.provinces()
    ]


def _province_options(province, counties) -> list[tuple[str, str]]:
    options = [(province.code, province.name)]
    for prefecture in regions.prefectures(province.code):
        options.append((prefecture.code, f"{province.name} · {prefecture.name}"))
        options += [
            (code, f"{province.name} · {prefecture.name} · {name}")
            for code, name in counties.get(prefecture.code[:4], [])
        ]
    prefecture_prefixes = {p.code[:4] for p in regions.prefectures(province.code)}
    for prefix, rows in counties.items():
        if prefix.startswith(province.code[:2]) and prefix not in prefecture_prefixes:
            options += [(code, f"{province.name} · {name}") for code, name in rows]
    return options
