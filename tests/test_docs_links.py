"""Every relative link and image in the documentation leads to a file, so a
renamed page or a screenshot no browser test takes any more is caught."""

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]

# [text](target) and ![alt](target); the target ends at a space or a ")".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def relative_targets(text: str) -> list[str]:
    """The link targets that name a file of the repository (no URL, no bare anchor)."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code blocks are not links
    targets = [m.group(1) for m in LINK.finditer(text)]
    return [
        unquote(t.split("#", 1)[0])
        for t in targets
        if not re.match(r"^[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")
    ]


def missing_targets() -> set[str]:
    missing = set()
    for document in documents():
        for target in relative_targets(document.read_text(encoding="utf-8")):
            path = (document.parent / target).resolve()
            if not path.exists():
                missing.add(path.relative_to(ROOT).as_posix())
    return missing


def test_every_relative_link_and_image_resolves():
    assert missing_targets() == set()


def test_the_parser_finds_links_images_and_skips_urls_and_anchors():
    text = (
        "See [a](guide/README.md#x) and ![b](../screenshots/c.png), "
        "[web](https://example.org/a.md), [here](#top).\n```\n[code](nope.md)\n```\n"
    )
    assert relative_targets(text) == ["guide/README.md", "../screenshots/c.png"]


def test_the_guides_exist_in_both_languages():
    for role in ("sme", "debtor", "intake", "handler", "supervisor", "admin"):
        for language in ("zh-Hans", "en"):
            assert (ROOT / "docs" / "guide" / language / f"{role}.md").exists(), (language, role)
