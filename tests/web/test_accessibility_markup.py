"""Accessibility rules cheap to check without a browser (the browser pass with
axe-core is tests/e2e/test_accessibility.py): scrollable table wrappers are
named keyboard regions, language options say their language, dashboard
figures say what they count, the internal note is labelled by its name and
described by its hint, and no page loads a script nothing uses."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation

from qingqian.complaints.models import State
from tests.complaints.test_transitions import bring_to

SOURCE = Path(__file__).resolve().parents[2] / "src" / "qingqian"
TEMPLATES = sorted(SOURCE.glob("*/templates/**/*.html"))
TAG = re.compile(r"<[a-z][^>]*>")


class Elements(HTMLParser):
    """Every start tag's attributes, and the text inside each element with an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text_by_id: dict[str, str] = {}
        self.open_ids: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.open_ids.append((tag, attrs["id"]))
            self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()

    def handle_data(self, data):
        for _tag, ident in self.open_ids:
            self.text_by_id[ident] += data


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


def table_wraps(template: Path) -> list[str]:
    return [tag for tag in TAG.findall(template.read_text()) if 'class="table-wrap"' in tag]


def template_id(ident: str) -> str:
    """A pattern for an id that may hold template variables (named differently
    in the including template: months-{{ testid }} is months-{{ row.code }})."""
    return re.sub(r"\\\{\\\{.*?\\\}\\\}", r"\\{\\{[^}]*\\}\\}", re.escape(ident))


def test_every_table_wrap_is_a_named_region_reachable_by_keyboard():
    """A wide table scrolls inside its wrapper on a phone: the wrapper takes the
    focus (so the arrow keys scroll it) and is announced by the table's name."""
    every_id = "\n".join(template.read_text() for template in TEMPLATES)
    wraps = [(template.name, tag) for template in TEMPLATES for tag in table_wraps(template)]
    assert len(wraps) > 30
    for name, tag in wraps:
        assert 'role="region"' in tag and 'tabindex="0"' in tag, (name, tag)
        label = re.search(r'aria-labelledby="([^"]+)"', tag)
        assert label, (name, tag)
        assert re.search(f'id="{template_id(label.group(1))}"', every_id), (name, label.group(1))


def test_a_table_wrap_without_a_name_is_seen(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<div class="table-wrap" tabindex="0"><table></table></div>')
    assert table_wraps(bad) == ['<div class="table-wrap" tabindex="0">']
    assert 'role="region"' not in table_wraps(bad)[0]


@pytest.mark.django_db
def test_each_language_option_is_marked_with_its_language(client):
    page = elements(client.get("/").content.decode())
    options = {attrs["value"]: attrs.get("lang") for tag, attrs in page.tags if tag == "option"}
    assert options == {"zh-hans": "zh-Hans", "en": "en"}


@pytest.mark.django_db
def test_no_page_loads_htmx(client):
    assert "htmx" not in client.get("/").content.decode()
    assert not list(SOURCE.glob("web/static/**/htmx*"))


@pytest.mark.django_db
def test_a_dashboard_figure_link_says_what_it_counts(client_for):
    page = elements(client_for("supervisor").get("/supervision/").content.decode())
    figures = [attrs for tag, attrs in page.tags if "figure-value" in attrs.get("class", "")]
    links = [attrs for attrs in figures if "href" in attrs]
    assert len(links) >= 5
    for link in links:
        parts = link["aria-labelledby"].split()
        name = " ".join(page.text_by_id[part].strip() for part in parts)
        value, label = page.text_by_id[parts[0]].strip(), page.text_by_id[parts[1]].strip()
        assert parts[0] == link["id"] and value and label, link
        assert name == f"{value} {label}"
    received = next(link for link in links if link.get("data-testid") == "figure-received")
    with translation.override("zh-hans"):
        assert page.text_by_id[received["aria-labelledby"].split()[1]] == translation.gettext(
            "received"
        )


@pytest.mark.django_db
def test_the_internal_note_is_labelled_by_its_name_and_described_by_its_hint(
    draft, client_for, user
):
    complaint = bring_to(State.TRANSFERRED, draft, user)
    html = client_for("gd-handler").get(f"/complaints/{complaint.pk}/").content.decode()
    page = elements(html)
    area = next(attrs for _tag, attrs in page.tags if attrs.get("id") == "id_note_text")
    with translation.override("zh-hans"):
        name = translation.gettext("Text of the note")
        hint = translation.gettext("Visible to officials only, never to the SME or the debtor.")
    assert f'<label for="id_note_text">{name}</label>' in html
    assert page.text_by_id[area["aria-describedby"]] == hint


def relative_luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    digits = "".join(d * 2 for d in digits) if len(digits) == 3 else digits
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    darker, lighter = sorted([relative_luminance(first), relative_luminance(second)])
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_the_wcag_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#ffbf47", "#f6f7f9"), 2) == 1.53  # the old ring: too faint


def test_the_focus_ring_stands_out_three_to_one_from_every_background():
    """WCAG 1.4.11: the ring against the page, the cards, the notices and the header."""
    css = (SOURCE / "web" / "static" / "qingqian" / "site.css").read_text()
    root = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6}|#[0-9a-f]{3})\b", css.split("}", 1)[0]))
    assert re.search(r":focus-visible \{ outline: 3px solid var\(--focus\)", css)
    light = [root["bg"], root["card"], "#fff4ce", "#eef2ff", "#fdecea", "#e8f0fb", "#fff8e6"]
    for background in light:
        assert contrast(root["focus"], background) >= 3, background
    header = re.search(r"\.site-header \{ --focus: var\(--([a-z-]+)\); \}", css)
    assert header, "the header's ring colour"
    assert contrast(root[header.group(1)], root["accent"]) >= 3


def test_a_refused_text_area_gets_the_error_border():
    css = (SOURCE / "web" / "static" / "qingqian" / "site.css").read_text()
    rule = re.search(r"^(.*)\{ border: 2px solid var\(--error\); \}$", css, re.MULTILINE)
    selectors = {part.strip() for part in rule.group(1).split(",")}
    assert {".has-error textarea", '[aria-invalid="true"]'} <= selectors
