"""Editing the library: a version per edit, the index in step, the audit event,
refusals that write nothing, and the seed that never overwrites an edit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.core.models import AuditEvent
from qingqian.services.library import verbs
from qingqian.services.library.search import search
from qingqian.services.library.services import library_entry_edit, library_seed
from qingqian.services.models import LibraryEntry, LibraryEntryVersion


def _article(number: int, slug: str = "regulations-2025") -> LibraryEntry:
    return LibraryEntry.objects.get(document__slug=slug, number=number, kind="article")


def _edit(actor, entry, **changes):
    fields = {
        "heading_zh": entry.heading_zh,
        "heading_en": entry.heading_en,
        "text_zh": entry.text_zh,
        "text_en": entry.text_en,
    }
    return library_entry_edit(actor=actor, entry=entry, **{**fields, **changes})


def test_an_edit_keeps_the_previous_text_as_a_version(db, user):
    admin = user("admin")
    entry = _article(30)
    before = entry.text_zh
    edited = _edit(admin, entry, text_zh=before + "（示例修改）", note="typo")
    assert edited.version == 2
    version = LibraryEntryVersion.objects.get(entry=entry)
    assert (version.version, version.text_zh, version.replaced_by, version.note) == (
        1,
        before,
        admin,
        "typo",
    )
    event = AuditEvent.objects.filter(verb=verbs.LIBRARY_ENTRY_EDIT).latest("seq")
    assert event.payload["version"] == 2


def test_an_edit_reindexes_the_entry(db, user):
    entry = _article(37)
    assert not [hit for hit in search("蓝鲸") if hit.entry == entry]
    _edit(user("admin"), entry, text_zh="本条例自2025年6月1日起施行。蓝鲸测试。")
    assert [hit.entry for hit in search("蓝鲸")] == [entry]
    _edit(user("admin"), entry, text_en="These Regulations take effect on 1 June 2025. Walrus.")
    assert [hit.entry for hit in search("walrus")] == [entry]


def test_someone_without_the_permission_cannot_edit(db, user):
    entry = _article(9)
    with pytest.raises(PermissionDenied):
        _edit(user("gd-intake"), entry, text_zh="改")
    entry.refresh_from_db()
    assert entry.version == 1 and not entry.versions.exists()


def test_an_empty_text_is_refused_by_field_and_nothing_is_written(db, user):
    entry = _article(9)
    with pytest.raises(ValidationError) as refused:
        _edit(user("admin"), entry, text_en="  ")
    assert "text_en" in refused.value.message_dict
    entry.refresh_from_db()
    assert entry.version == 1 and not entry.versions.exists()


def test_a_stale_version_is_refused(db, user):
    entry = _article(9)
    with pytest.raises(ValidationError) as refused:
        library_entry_edit(
            actor=user("admin"),
            entry=entry,
            heading_zh=entry.heading_zh,
            heading_en=entry.heading_en,
            text_zh=entry.text_zh + "。",
            text_en=entry.text_en,
            version=entry.version + 1,
        )
    assert "version" in refused.value.message_dict


def test_seeding_again_adds_nothing_and_keeps_edits(db, user):
    entry = _article(30)
    _edit(user("admin"), entry, text_zh="管理员修改的文本")
    assert library_seed(actor=None) == 0
    entry.refresh_from_db()
    assert entry.text_zh == "管理员修改的文本"


def test_the_packaged_texts_have_every_article(db):
    assert LibraryEntry.objects.filter(document__slug="regulations-2020").count() == 29
    assert LibraryEntry.objects.filter(document__slug="regulations-2025").count() == 37
    assert LibraryEntry.objects.filter(document__slug="faq").count() >= 15
    assert set(
        LibraryEntry.objects.filter(document__slug="guides").values_list("key", flat=True)
    ) == {"sme", "debtor", "official"}
