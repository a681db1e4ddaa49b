"""Search: two-character words, English, ranking, highlighted and escaped excerpts."""

from qingqian.services.library import segment
from qingqian.services.library.search import excerpt, search


def _addresses(question, limit=10):
    return [f"{hit.entry.document.slug}#{hit.entry.key}" for hit in search(question, limit=limit)]


def test_a_two_character_word_finds_the_articles_that_use_it(db):
    # 利息 only occurs inside 逾期利息 in the Regulations (2025 Art. 17, 2020 Art. 15).
    found = _addresses("利息", limit=5)
    assert "regulations-2025#art-17" in found and "regulations-2020#art-15" in found
    # 投诉 is part of 投诉人 and 受理投诉部门: the complaint articles come back.
    found = _addresses("投诉", limit=10)
    assert "regulations-2025#art-24" in found and "regulations-2025#art-25" in found


def test_every_result_contains_a_term_of_the_question(db):
    hits = search("保证金")
    assert hits
    assert all("保证金" in hit.entry.text_zh for hit in hits)
    assert all("<mark>保证金</mark>" in hit.excerpt for hit in hits)


def test_an_english_question_searches_the_english_text(db):
    hits = search("overdue interest")
    assert "regulations-2025#art-17" in [
        f"{hit.entry.document.slug}#{hit.entry.key}" for hit in hits[:5]
    ]
    assert "<mark>" in hits[0].excerpt


def test_a_question_of_stop_words_only_finds_nothing(db):
    assert search("怎么办？") == []
    assert search("   ") == []


def test_characters_that_mean_something_to_the_engines_are_plain_text(db):
    for question in ['"利息', "利息 OR", "利息' | !", "NEAR(利息)", "*", "a & b"]:
        search(question)  # no syntax error from FTS5 or to_tsquery


def test_the_excerpt_escapes_everything_but_the_marks():
    text = "<script>alert(1)</script> 逾期利息 & <b>利息</b>"
    html = str(excerpt(text, ["利息"], "zh"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;/script&gt;" in html and "&amp;" in html
    assert html.count("<mark>利息</mark>") == 2


def test_a_question_is_segmented_into_the_law_s_words():
    language, terms = segment.query_terms("对方不确认应收账款怎么办")
    assert language == "zh"
    assert {"确认", "应收", "账款"} <= set(terms)
    assert "怎么办" not in terms
    assert segment.query_terms("Overdue interest?") == ("en", ["overdue", "interest"])
