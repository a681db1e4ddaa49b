"""Models of the Regulations library (see qingqian.services.library).

A document (a version of the Regulations, the size standard, the complaint
measures, the FAQ, the guides) holds entries (an article, a section, a question,
a guide), each in Chinese and English. Every edit keeps the text it replaced as
an `LibraryEntryVersion`. `ArticleChange` maps the 2020 articles to the 2025 ones.
The entries' segmented text (`segments_zh`, `segments_en`) feeds the full-text
index: FTS5 on SQLite, a GIN expression index on PostgreSQL (migration 0003)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ArticleChange", "LibraryDocument", "LibraryEntry", "LibraryEntryVersion"]


class LibraryDocument(models.Model):
    class Kind(models.TextChoices):
        REGULATIONS = "regulations", _("regulations")
        REFERENCE = "reference", _("reference text")
        FAQ = "faq", _("questions and answers")
        GUIDE = "guide", _("guides")

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    in_force = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.title_zh


class LibraryEntry(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("article")
        SECTION = "section", _("section")
        FAQ = "faq", _("question")
        GUIDE = "guide", _("guide")

    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="entries")
    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    heading_zh = models.CharField(max_length=200)
    heading_en = models.CharField(max_length=200)
    chapter_zh = models.CharField(max_length=100, blank=True)
    chapter_en = models.CharField(max_length=100, blank=True)
    text_zh = models.TextField()
    text_en = models.TextField()
    # False while the Chinese text awaits its check against the official publication.
    verified = models.BooleanField(default=True)
    segments_zh = models.TextField(blank=True, editable=False)
    segments_en = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "key"], name="library_entry_key_unique")
        ]

    def __str__(self):
        return f"{self.document.slug}#{self.key}"


class LibraryEntryVersion(models.Model):
    """The text an edit replaced, with who wrote the replacement and when."""

    entry = models.ForeignKey(LibraryEntry, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    heading_zh = models.CharField(max_length=200)
    heading_en = models.CharField(max_length=200)
    text_zh = models.TextField()
    text_en = models.TextField()
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="library_version_unique")
        ]

    def __str__(self):
        return f"{self.entry} v{self.version}"


class ArticleChange(models.Model):
    """One line of the 2020 → 2025 table: an article kept, changed, added or removed."""

    class Status(models.TextChoices):
        UNCHANGED = "unchanged", _("unchanged")
        CHANGED = "changed", _("changed")
        NEW = "new", _("new")
        REMOVED = "removed", _("removed")

    old = models.ForeignKey(
        LibraryEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    new = models.ForeignKey(
        LibraryEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["new__number", "old__number"]

    def __str__(self):
        return f"{self.old} → {self.new}: {self.status}"
