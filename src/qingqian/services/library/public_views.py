"""The library's public pages (no sign-in, no JavaScript needed): the index, a
document entry by entry with an anchor per entry, the 2020/2025 comparison and
the search. Reads through `selectors` and `search` only."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language

from qingqian.services.library import forms, selectors
from qingqian.services.library.search import search

RESULTS = 10


def language() -> str:
    """The language of the texts shown: English pages show the English text."""
    return "en" if (get_language() or "").startswith("en") else "zh"


def index(request):
    return render(
        request,
        "services/library/index.html",
        {
            "documents": selectors.documents(),
            "form": forms.SearchForm(),
            "summary": selectors.change_summary(),
            "lang": language(),
        },
    )


def document(request, slug: str):
    document = selectors.document_get(slug)
    return render(
        request,
        "services/library/document.html",
        {"document": document, "entries": selectors.entries_of(document), "lang": language()},
    )


def compare(request):
    return render(
        request,
        "services/library/compare.html",
        {
            "changes": selectors.changed_articles(),
            "summary": selectors.change_summary(),
            "lang": language(),
        },
    )


def search_page(request):
    form = forms.SearchForm(request.GET or None)
    hits = []
    question = ""
    if form.is_valid():
        question = form.cleaned_data["q"].strip()
        hits = search(question, limit=RESULTS) if question else []
    return render(
        request,
        "services/library/search.html",
        {"form": form, "question": question, "hits": hits, "lang": language()},
    )
