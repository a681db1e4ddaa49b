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


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
