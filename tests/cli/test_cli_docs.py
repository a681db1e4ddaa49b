"""The generated reference pages: the committed ones are what the code generates,
and a permission, a role or a command option added without regenerating them
makes the comparison fail."""

import ast
from pathlib import Path

import pytest

from qingqian import environment
from qingqian.accounts.models import Role
from qingqian.accounts.permissions import ROLE_PERMISSIONS, Perm
from qingqian.cli import build_parser
from qingqian.cli import main as cli
from qingqian.cli.docs import (
    REFERENCE_DIR,
    command_reference,
    reference_pages,
    roles_matrix,
    settings_reference,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_reference_pages_are_what_the_code_generates():
    for name, text in reference_pages().items():
        assert (ROOT / REFERENCE_DIR / name).read_text(encoding="utf-8") == text, name
    assert cli(["docs", "--check", "--root", str(ROOT)]) == 0


def test_the_matrix_marks_each_role_s_permissions():
    page = roles_matrix(ROLE_PERMISSIONS, list(Perm))
    header = next(line for line in page.splitlines() if line.startswith("| permission"))
    columns = [cell.strip() for cell in header.strip("|").split("|")][2:]
    assert columns == [str(role) for role in ROLE_PERMISSIONS]
    row = next(line for line in page.splitlines() if line.startswith("| `ledger.answer`"))
    marks = [cell.strip() for cell in row.strip("|").split("|")][2:]
    # Only the debtor's side answers a ledger item (and the administrator, who has all).
    assert dict(zip(columns, marks, strict=True)) == {
        "sme": "",
        "debtor": "✓",
        "intake": "",
        "handler": "",
        "supervisor": "",
        "admin": "✓",
        "adviser": "",
    }


def test_a_new_permission_makes_the_matrix_differ():
    table = {**ROLE_PERMISSIONS, Role.SME: ROLE_PERMISSIONS[Role.SME] | {"complaint.new"}}
    assert roles_matrix(table, [*Perm, "complaint.new"]) != reference_pages()["roles.md"]


def test_a_new_option_makes_the_command_reference_differ():
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command")
    subcommands.choices["size"].add_argument("--sector", help="a new option")
    page = command_reference(parser)
    assert "`--sector SECTOR` | a new option" in page
    assert page != reference_pages()["cli.md"]


@pytest.mark.parametrize("tampered", ["roles.md", "cli.md", "settings.md"])
def test_check_fails_on_a_stale_page(tmp_path, tampered):
    assert cli(["docs", "--write", "--root", str(tmp_path)]) == 0
    page = tmp_path / REFERENCE_DIR / tampered
    page.write_text(page.read_text(encoding="utf-8") + "stale\n", encoding="utf-8")
    assert cli(["docs", "--check", "--root", str(tmp_path)]) == 1


def environment_reads(source: str) -> list[str]:
    """How a module reaches the environment other than through qingqian.environment."""
    return [
        ast.unparse(node)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute | ast.Name)
        and ast.unparse(node) in {"os.environ", "os.getenv", "environ", "getenv"}
    ]


def test_settings_read_the_environment_only_through_the_declared_variables():
    assert environment_reads((ROOT / "src/qingqian/settings.py").read_text("utf-8")) == []
    assert environment_reads('import os\nX = os.environ.get("QINGQIAN_NEW", "1")\n') != []


def test_an_undeclared_variable_cannot_be_read():
    with pytest.raises(KeyError):
        environment.text("QINGQIAN_NEW_THING")


def test_a_declared_variable_reads_its_default_unless_set(monkeypatch):
    monkeypatch.delenv("QINGQIAN_EMAIL_PORT", raising=False)
    assert environment.integer("QINGQIAN_EMAIL_PORT") == 25
    monkeypatch.setenv("QINGQIAN_EMAIL_PORT", "587")
    assert environment.integer("QINGQIAN_EMAIL_PORT") == 587
    monkeypatch.setenv("QINGQIAN_EMAIL_TLS", "yes")
    assert environment.flag("QINGQIAN_EMAIL_TLS") is True


def test_a_new_variable_makes_the_settings_page_differ():
    new = environment.Variable("QINGQIAN_NEW_THING", "a new knob", "1")
    page = settings_reference([*environment.VARIABLES, new])
    assert "| `QINGQIAN_NEW_THING` | `1` | a new knob |" in page
    assert page != reference_pages()["settings.md"]
