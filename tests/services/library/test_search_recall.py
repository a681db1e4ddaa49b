"""The library's search measured on 30 questions an SME asks (questions.json):
recall@5 is the share of questions whose answering article is among the first
five results. It runs on the database the suite runs on (SQLite by default,
PostgreSQL with DATABASE_URL), so each engine is measured by its own run."""

import json
from pathlib import Path

from django.db import connection

from qingqian.services.library.search import search

QUESTIONS = json.loads((Path(__file__).parent / "questions.json").read_text(encoding="utf-8"))
TOP = 5
REQUIRED_RECALL = 0.9


def _address(hit) -> str:
    return f"{hit.entry.document.slug}#{hit.entry.key}"


def test_recall_at_5_on_the_sme_questions(db, capsys):
    questions = QUESTIONS["questions"]
    assert len(questions) == 30
    missed = []
    for question in questions:
        found = [_address(hit) for hit in search(question["q"], limit=TOP)]
        if not set(found) & set(question["answers"]):
            missed.append((question["q"], found))
    recall = 1 - len(missed) / len(questions)
    with capsys.disabled():
        print(f"\nlibrary recall@{TOP} on {connection.vendor}: {recall:.2f} ({len(missed)} missed)")
        for text, found in missed:
            print(f"  missed: {text} -> {found}")
    assert recall >= REQUIRED_RECALL
