"""Words of a text for the full-text index and for queries, the same way for both.

Chinese is segmented by rjieba (jieba-rs: the dictionary is compiled into the
wheel, nothing is read or downloaded at run time) in its search mode, which
also yields the shorter words inside long ones (应收账款 → 应收, 账款, 应收账款),
so that a two-character word finds the longer word it is part of. English is
split into lower-case words. Stop words carry no meaning for the search and
are dropped from queries only; a few everyday words are mapped to the law's own
(天 → 日) so that the question and the article meet.
"""

from __future__ import annotations

import re
from functools import cache

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CHINESE_TOKEN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")

ZH_STOP_WORDS = frozenset(
    {
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "是",
        "有",
        "在",
        "和",
        "与",
        "或",
        "及",
        "我",
        "我们",
        "你",
        "他",
        "她",
        "它",
        "对方",
        "这",
        "那",
        "哪",
        "哪些",
        "哪里",
        "什么",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "多久",
        "多少",
        "多长",
        "几",
        "能",
        "能不能",
        "不能",
        "可以",
        "可不可以",
        "是否",
        "会",
        "要",
        "需要",
        "必须",
        "应该",
        "该",
        "还",
        "就",
        "都",
        "也",
        "又",
        "很",
        "一",
        "个",
        "被",
        "把",
        "给",
        "让",
        "后",
        "时",
        "时候",
        "里",
        "上",
        "下",
        "中",
        "用",
        "做",
        "办",
        "算",
        "为",
        "为什么",
        "从",
        "到",
        "对",
        "向",
        "吗？",
        "没有",
        "没",
        "不",
        "呀",
    }
)
EN_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "be",
        "been",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "must",
        "should",
        "shall",
        "will",
        "would",
        "may",
        "might",
        "i",
        "we",
        "you",
        "it",
        "they",
        "my",
        "our",
        "your",
        "their",
        "me",
        "us",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "why",
        "if",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "at",
        "as",
        "from",
        "about",
        "into",
        "not",
        "no",
        "any",
        "some",
        "much",
        "many",
        "long",
    }
)
# Everyday words an SME uses for the law's terms.
ZH_SYNONYMS = {"天": "日", "天数": "日", "欠款": "拖欠", "欠": "拖欠", "货款": "款项", "钱": "款项"}


@cache
def _jieba():
    """rjieba, imported on first use only: its dictionary is built into the module."""
    import rjieba

    return rjieba


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text or ""))


def words_zh(text: str) -> list[str]:
    """Every word of a Chinese text, overlapping words included, in order."""
    return [
        token
        for token in _jieba().cut_for_search((text or "").lower())
        if CHINESE_TOKEN.fullmatch(token)
    ]


def words_en(text: str) -> list[str]:
    return ENGLISH_WORD.findall((text or "").lower())


def index_text_zh(text: str) -> str:
    return " ".join(words_zh(text))


def index_text_en(text: str) -> str:
    return " ".join(words_en(text))


def query_terms(question: str) -> tuple[str, list[str]]:
    """(language, the distinct terms to look for): Chinese when the question has
    any Chinese character, else English; stop words dropped."""
    if is_chinese(question):
        terms = [ZH_SYNONYMS.get(word, word) for word in words_zh(question)]
        return "zh", _distinct(word for word in terms if word not in ZH_STOP_WORDS)
    return "en", _distinct(w for w in words_en(question) if w not in EN_STOP_WORDS)


def _distinct(words) -> list[str]:
    return list(dict.fromkeys(words))
