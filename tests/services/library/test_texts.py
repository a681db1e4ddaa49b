"""The library's texts of the Regulations: the 2025 revision complete and checked
(State Council Decree No. 802: 37 articles in 5 chapters), and a 2020 → 2025
table whose statuses follow the two texts."""

from qingqian.services.models import ArticleChange, LibraryEntry

# The chapters of the 2025 revision and the articles each one holds.
CHAPTERS_2025 = {
    "第一章 总则": range(1, 8),
    "第二章 款项支付规定": range(8, 21),
    "第三章 监督管理": range(21, 31),
    "第四章 法律责任": range(31, 36),
    "第五章 附则": range(36, 38),
}


def _articles(slug: str) -> dict[int, LibraryEntry]:
    entries = LibraryEntry.objects.filter(document__slug=slug, kind="article")
    return {entry.number: entry for entry in entries}


def test_every_2025_article_is_checked_and_in_its_chapter(db):
    articles = _articles("regulations-2025")
    assert sorted(articles) == list(range(1, 38))
    assert all(entry.verified for entry in articles.values())
    for chapter, numbers in CHAPTERS_2025.items():
        assert {articles[number].chapter_zh for number in numbers} == {chapter}


def test_the_2025_articles_carry_the_rules_at_their_numbers(db):
    articles = _articles("regulations-2025")
    assert "10个工作日内，按程序将投诉转交" in articles[25].text_zh
    assert "10个工作日" not in articles[24].text_zh
    assert "公务消费、办公用房、经费安排" in articles[26].text_zh
    assert articles[27].text_zh == (
        "审计机关依法对机关、事业单位和国有大型企业支付中小企业款项情况实施审计监督。"
    )
    assert "商业秘密" not in articles[20].text_zh


def test_the_table_calls_unchanged_exactly_the_articles_with_the_same_words(db):
    for change in ArticleChange.objects.exclude(old=None).exclude(new=None):
        same_words = change.old.text_zh == change.new.text_zh
        assert (change.status == ArticleChange.Status.UNCHANGED) == same_words, change


def test_the_table_accounts_for_every_article_of_both_texts(db):
    changes = ArticleChange.objects.all()
    successors = {change.new.number for change in changes if change.new}
    predecessors = {change.old.number for change in changes if change.old}
    assert successors == set(_articles("regulations-2025"))
    assert predecessors == set(_articles("regulations-2020"))
    for change in changes:
        assert (change.old is None) == (change.status == ArticleChange.Status.NEW)
        assert (change.new is None) == (change.status == ArticleChange.Status.REMOVED)
