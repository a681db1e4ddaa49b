"""`qingqian docs`: the reference pages that are generated from the code, so
they cannot go stale: the roles × permissions matrix, the command line and
the environment variables.

`qingqian docs --write` writes them under docs/reference/; `qingqian docs
--check` fails when the committed pages differ from what the code generates
(the test suite runs the same comparison)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from qingqian.cli.base import fail, setup_django

REFERENCE_DIR = Path("docs") / "reference"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "docs",
        help="write or check the generated reference pages (roles, command line, settings)",
        description="The pages of docs/reference/ are generated from the code.",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="write docs/reference/*.md")
    action.add_argument("--check", action="store_true", help="fail if they differ from the code")
    parser.add_argument("--root", default=".", help="the repository root (default: here)")
    parser.set_defaults(handler=docs_command)


def docs_command(args) -> int:
    directory = Path(args.root) / REFERENCE_DIR
    stale = []
    for name, text in reference_pages().items():
        path = directory / name
        if args.write:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path))
    if stale:
        return fail(f"out of date (run `qingqian docs --write`): {', '.join(stale)}")
    return 0


def reference_pages() -> dict[str, str]:
    setup_django()  # the permission table names the roles of the accounts models
    from qingqian.accounts.permissions import ROLE_PERMISSIONS, Perm
    from qingqian.cli import build_parser
    from qingqian.environment import VARIABLES

    return {
        "roles.md": roles_matrix(ROLE_PERMISSIONS, list(Perm)),
        "cli.md": command_reference(build_parser()),
        "settings.md": settings_reference(VARIABLES),
    }


def settings_reference(variables) -> str:
    """Markdown: every environment variable with its default and meaning."""
    lines = [
        "# Settings",
        "",
        "Generated from `qingqian.environment` by `qingqian docs --write`; do not edit.",
        "Every setting is an environment variable; settings.py reads no other.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{v.name}` | {v.documented_default} | {v.meaning} |" for v in variables]
    return "\n".join(lines) + "\n"


def roles_matrix(table: Mapping[str, frozenset], permissions: list) -> str:
    """Markdown: a row per permission with what it allows, a column per role,
    ✓ where the role has it. In English, whatever the active language."""
    from django.utils import translation

    from qingqian.accounts.permissions import permission_matrix

    roles = list(table)
    lines = [
        "# Roles and permissions",
        "",
        "Generated from `qingqian.accounts.permissions` by `qingqian docs --write`;",
        "do not edit. Where a role may act is its scope (its organisation's region).",
        "Signed-in officials see the same table, translated, at `/accounts/roles/`.",
        "",
        "| permission | allows | " + " | ".join(str(role) for role in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    with translation.override("en"):
        rows = permission_matrix(table, permissions)
    for perm, description, held in rows:
        marks = " | ".join("✓" if has else "" for has in held)
        lines.append(f"| `{perm}` | {description} | {marks} |")
    return "\n".join(lines) + "\n"


def command_reference(parser: argparse.ArgumentParser) -> str:
    """Markdown: every command and subcommand with its options and their help."""
    lines = [
        "# The `qingqian` command",
        "",
        "Generated from the command's parsers by `qingqian docs --write`; do not edit.",
        "",
    ]
    for path, command, summary in _commands(parser, ["qingqian"], ""):
        lines += [f"## `{' '.join(path)}`", ""]
        if command.description or summary:
            lines += [command.description or summary, ""]
        options = [a for a in command._actions if not isinstance(a, _SKIPPED)]
        if options:
            lines += ["| argument | meaning |", "|---|---|"]
            lines += [f"| `{_spelling(a)}` | {_help(a)} |" for a in options]
            lines.append("")
    return "\n".join(lines)


_SKIPPED = (argparse._HelpAction, argparse._SubParsersAction)


def _commands(parser: argparse.ArgumentParser, path: list[str], summary: str):
    """(path, parser, its one-line help) for every command, depth first."""
    if len(path) > 1:
        yield path, parser, summary
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield from _commands(child, [*path, name], summaries.get(name, ""))


def _spelling(action: argparse.Action) -> str:
    if not action.option_strings:
        return action.metavar or action.dest
    flags = ", ".join(action.option_strings)
    takes_value = action.nargs != 0
    return f"{flags} {action.metavar or action.dest.upper()}" if takes_value else flags


def _help(action: argparse.Action) -> str:
    text = (action.help or "").replace("|", "\\|").replace("\n", " ")
    if action.choices and not isinstance(action.choices, dict):
        text += f" (one of: {', '.join(map(str, action.choices))})"
    return text
