"""The library's pages: public reading without sign-in, the comparison, the
search with escaped excerpts, and editing for administrators only."""

from django.urls import reverse

from qingqian.services.models import ArticleChange, LibraryEntry


def test_the_public_reads_an_article_at_its_citable_address(client, db):
    response = client.get("/public/library/regulations-2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="art-16"' in html and 'href="#art-16"' in html
    assert "应当自中小企业提出确权请求之日起30日内确认债权债务关系" in html
    assert html.count('data-testid="library-entry"') == 37


def test_the_index_lists_every_document(client, db):
    html = client.get(reverse("library-index")).content.decode()
    for slug in ("regulations-2025", "regulations-2020", "size-standard", "faq", "guides"):
        assert reverse("library-document", args=[slug]) in html


def test_the_comparison_lists_exactly_the_changed_articles(client, db):
    html = client.get(reverse("library-compare")).content.decode()
    changed = ArticleChange.objects.filter(status="changed")
    assert html.count('data-testid="library-change"') == changed.count()
    for change in changed:
        assert f'data-old="{change.old.number}" data-new="{change.new.number}"' in html
    for kept in ArticleChange.objects.exclude(status="changed").exclude(old=None).exclude(new=None):
        assert f'data-old="{kept.old.number}" data-new="{kept.new.number}"' not in html
    # The interest article kept its words; the payment-term article did not.
    assert ArticleChange.objects.get(old__number=15, new__number=17).status == "unchanged"
    assert ArticleChange.objects.get(old__number=8, new__number=9).status == "changed"


def test_the_search_page_shows_marked_results_and_escapes_the_question(client, db):
    response = client.get(reverse("library-search"), {"q": "<b>逾期利息</b>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<b>逾期利息</b>" not in html
    assert "<mark>" in html
    assert 'href="/public/library/regulations-2025/#art-17"' in html


def test_someone_without_the_permission_cannot_open_the_edit_pages(client_for):
    entry = LibraryEntry.objects.get(document__slug="regulations-2025", number=9)
    client = client_for("gd-intake")
    assert client.get(reverse("library-entry-edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("library-entry-edit", args=[entry.pk])).status_code == 404
    assert client.get(reverse("library-entry-history", args=[entry.pk])).status_code == 404
    assert client.get(reverse("library-edit-list")).status_code == 403


def test_an_administrator_edits_and_sees_the_history(client_for):
    entry = LibraryEntry.objects.get(document__slug="faq", key="q-1")
    client = client_for("admin")
    response = client.post(
        reverse("library-entry-edit", args=[entry.pk]),
        {
            "heading_zh": entry.heading_zh,
            "heading_en": entry.heading_en,
            "text_zh": entry.text_zh + "详见第九条。",
            "text_en": entry.text_en,
            "note": "cite the article",
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    history = client.get(response["Location"]).content.decode()
    assert history.count('data-testid="library-version"') == 1
    assert "cite the article" in history


def test_an_empty_field_comes_back_on_the_form(client_for):
    entry = LibraryEntry.objects.get(document__slug="faq", key="q-1")
    response = client_for("admin").post(
        reverse("library-entry-edit", args=[entry.pk]),
        {"heading_zh": entry.heading_zh, "heading_en": "", "text_zh": "x", "text_en": "y"},
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
