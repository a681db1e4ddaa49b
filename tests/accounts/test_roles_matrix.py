"""The roles page: generated from the permission table, for every official,
read by screen readers as a table of role × permission."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import PERMISSION_DESCRIPTIONS, ROLE_PERMISSIONS, Perm
from qingqian.accounts.views.roles import roles_matrix_context

OFFICIALS = ["admin", "miit-intake", "supervisor", "gd-intake", "gd-handler"]


class _Table(HTMLParser):
    """The matrix as rows of cell texts; cells that are headers keep their scope."""

    def __init__(self):
        super().__init__()
        self.rows, self.scopes, self.caption, self._cell = [], [], "", None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = ""
            if tag == "th":
                self.scopes.append(dict(attrs).get("scope"))
        elif tag == "caption":
            self._in_caption = True
        elif tag == "br" and self._cell is not None:
            self._cell += " "

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_caption:
            self.caption += data


def parse(html: str) -> _Table:
    table = _Table()
    table.feed(html.split('data-testid="roles-matrix"', 1)[1].split("</table>", 1)[0])
    return table


def columns_by_role(table: _Table) -> dict[str, dict[str, bool]]:
    """role label → {permission code → ticked}; "是" (yes) is the tick's text for screen readers."""
    header, *body = table.rows
    marks = {role: {} for role in header[1:]}
    for row in body:
        code = row[0].split()[-1]
        for role, cell in zip(header[1:], row[1:], strict=True):
            assert cell in ("✓是", "否"), cell
            marks[role][code] = cell == "✓是"
    return marks


@pytest.mark.django_db
def test_each_role_s_marks_are_its_permissions_in_the_table(client_for):
    html = client_for("gd-intake").get("/accounts/roles/").content.decode()
    marks = columns_by_role(parse(html))
    with translation.override("zh-hans"):
        expected = {
            str(Role(role).label): {str(perm): perm in ROLE_PERMISSIONS[role] for perm in Perm}
            for role in ROLE_PERMISSIONS
        }
    assert marks == expected
    # Spelled out from the permission table's intent: only the debtor's side (and
    # the administrator, who holds every permission) answers a ledger item.
    assert [role for role, held in marks.items() if held["ledger.answer"]] == [
        "欠款单位代表",
        "管理员",
    ]


@pytest.mark.django_db
def test_the_table_is_labelled_for_screen_readers(client_for):
    table = parse(client_for("gd-handler").get("/accounts/roles/").content.decode())
    assert table.caption.strip()
    assert table.scopes == ["col"] * (1 + len(ROLE_PERMISSIONS)) + ["row"] * len(Perm)


def test_a_new_permission_shows_without_a_template_change():
    table = {**ROLE_PERMISSIONS, Role.HANDLER: ROLE_PERMISSIONS[Role.HANDLER] | {"case.reopen"}}
    with translation.override("zh-hans"):
        html = render_to_string(
            "accounts/roles_matrix.html", roles_matrix_context(table, [*Perm, "case.reopen"])
        )
    marks = columns_by_role(parse(html))
    assert {role for role, held in marks.items() if held["case.reopen"]} == {"处理人员"}


def test_every_permission_says_what_it_allows_in_both_languages():
    assert set(PERMISSION_DESCRIPTIONS) == set(Perm)
    for description in PERMISSION_DESCRIPTIONS.values():
        with translation.override("en"):
            english = str(description)
        with translation.override("zh-hans"):
            assert str(description) != english, english


@pytest.mark.django_db
@pytest.mark.parametrize("username", OFFICIALS)
def test_every_official_sees_it_from_the_navigation(client_for, username):
    client = client_for(username)
    home = client.get("/").content.decode()
    assert 'href="/accounts/roles/"' in home
    assert client.get("/accounts/roles/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sme-demo", "debtor-demo"])
def test_enterprise_users_neither_see_nor_open_it(client_for, username):
    client = client_for(username)
    assert 'href="/accounts/roles/"' not in client.get("/").content.decode()
    assert client.get("/accounts/roles/").status_code == 403
