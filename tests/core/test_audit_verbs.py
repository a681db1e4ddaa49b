"""The audit verbs: one constant per verb in its app's `verbs` module, one spelling
(lowercase, a dot after the subject, underscores inside words), no verb shared
by two constants, and no call that spells a verb out instead of naming its
constant."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import qingqian

PACKAGE = Path(qingqian.__file__).parent
VERB_SPELLING = re.compile(r"^[a-z]+(\.[a-z]+(_[a-z]+)*)+$")


def verb_modules():
    """Every `verbs` module: an app's, or one of its aggregates' (publication/disclosures)."""
    return [
        importlib.import_module(
            "qingqian." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        )
        for path in sorted(PACKAGE.glob("**/verbs.py"))
    ]


def declared_verbs() -> list[tuple[str, str]]:
    """(module.CONSTANT, verb) for every upper-case constant of every verbs module:
    a string, or a table of strings (complaint actions → their verbs)."""
    declared = []
    for module in verb_modules():
        for name, value in vars(module).items():
            if not name.isupper():
                continue
            if isinstance(value, str):
                declared.append((f"{module.__name__}.{name}", value))
            elif isinstance(value, dict):
                declared += [(f"{module.__name__}.{name}[{k!r}]", v) for k, v in value.items()]
    return declared


def test_every_app_with_audited_acts_declares_its_verbs():
    apps = {module.__name__.split(".")[1] for module in verb_modules()}
    assert {
        "accounts",
        "complaints",
        "ledger",
        "notifications",
        "parties",
        "portal",
        "publication",
        "reference",
        "supervision",
    } <= apps


@pytest.mark.parametrize(("constant", "verb"), declared_verbs())
def test_verbs_have_one_spelling(constant, verb):
    assert VERB_SPELLING.match(verb), f"{constant} = {verb!r}"


def test_no_two_constants_share_a_verb():
    owners: dict[str, list[str]] = {}
    for constant, verb in declared_verbs():
        owners.setdefault(verb, []).append(constant)
    shared = {verb: names for verb, names in owners.items() if len(names) > 1}
    assert not shared


def spelled_out(value: ast.expr) -> bool:
    """A string literal or f-string, also as either branch of a conditional."""
    if isinstance(value, ast.IfExp):
        return spelled_out(value.body) or spelled_out(value.orelse)
    return isinstance(value, ast.JoinedStr) or (
        isinstance(value, ast.Constant) and isinstance(value.value, str)
    )


def literal_verbs(source: str) -> list[int]:
    """The lines of the calls whose `verb=` keyword is spelled out."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and any(kw.arg == "verb" and spelled_out(kw.value) for kw in node.keywords)
    ]


def test_calls_name_verb_constants():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in literal_verbs(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


@pytest.mark.parametrize(
    ("call", "offends"),
    [
        ('audit.record(actor=None, verb="x.y")', True),
        ('audit.record(actor=None, verb=f"x.{action}")', True),
        ('audit.record(actor=None, verb=verbs.A if created else "x.y")', True),
        ("audit.record(actor=None, verb=verbs.CASE_OPEN)", False),
        ("audit.record(actor=None, verb=VERBS[action])", False),
        ("_event(case, verb=verb)", False),
    ],
)
def test_the_rule_tells_a_spelled_out_verb_from_a_named_one(call, offends):
    assert bool(literal_verbs(call)) is offends
