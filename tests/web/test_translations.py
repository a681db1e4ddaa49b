"""Both catalogues are complete, and the compiled files match their sources."""

from pathlib import Path

import polib
import pytest
from django.test import Client

LOCALE = Path(__file__).resolve().parents[2] / "src" / "qingqian" / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled_ids = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in compiled}
    source_ids = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in po if not e.obsolete}
    assert source_ids == compiled_ids, "run scripts/translations compile"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_placeholders_survive_translation(language):
    import re

    for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
        wanted = set(re.findall(r"%\(\w+\)s", entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                assert set(re.findall(r"%\(\w+\)s", text)) == wanted, entry.msgid


@pytest.mark.django_db
def test_chinese_is_the_default_and_english_is_switchable():
    client = Client()
    assert "清理拖欠中小企业账款" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Clearing arrears owed to small" in client.get("/").content.decode()


@pytest.mark.django_db
def test_browser_language_does_not_override_the_default():
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "清理拖欠中小企业账款" in client.get("/").content.decode()
