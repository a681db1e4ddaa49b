"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingqian.settings")
    import django

    django.setup()


def run_django_command(argv: list[str]) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["qingqian manage", *argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def cli_params(args, names: tuple[str, ...]) -> dict:
    """The options of `names` as the text parameters `core.calculators` reads
    (the API's query names: the options' names with underscores)."""
    params = {}
    for name in names:
        value = getattr(args, name, None)
        params[name] = ("1" if value else "") if isinstance(value, bool) else value
    return params


def option_error(error, names: dict[str, str] | None = None) -> str:
    """A `core.calculators.InputError` in the CLI's words: the option (or the
    positional argument `names` gives for the field), then why."""
    option = (names or {}).get(error.field) or f"--{error.field.replace('_', '-')}"
    return f"{option}: {error.message}"


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
