"""Bulk onboarding: a CSV of officials (name, e-mail, organisation id, role),
each row checked as one invitation; all invited in one transaction, or none
when any row is wrong, with every wrong row's number and column reported.

The organisation is named by its id (shown on the import page beside each
organisation where the administrator may place staff): names repeat across
regions and region codes are shared by an authority and its departments.
The role is its code (intake, handler, supervisor, admin) or its name in
either language. The file is UTF-8 (with or without the BOM Excel writes) or
GBK/GB 18030 (Excel's CSV on Chinese Windows)."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts import selectors, verbs
from qingqian.accounts.models import STAFF_ROLES, Role, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.services.invitations import (
    invitation_create,
    invitation_errors,
    normalised_email,
)
from qingqian.core import audit

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("name", "email", "organisation_id", "role")
# The service's field for each column, and the column's name in a report.
FIELD_COLUMNS = {"full_name": "name", "email": "email", "organisation": "organisation_id"}
COLUMN_LABELS = {
    "name": gettext_lazy("name"),
    "email": gettext_lazy("e-mail"),
    "organisation_id": gettext_lazy("organisation id"),
    "role": gettext_lazy("role"),
}


def template_csv(*, actor) -> str:
    """The file to fill in: the header and one example row in the actor's organisation."""
    example = selectors.staff_organisations(actor=actor).first()
    lines = [",".join(COLUMNS)]
    if example is not None:
        lines.append(f"张三,zhang.san@example.cn,{example.pk},{Role.INTAKE.value}")
    return "\r\n".join(lines) + "\r\n"


@transaction.atomic
def users_import(*, actor, name: str, data: bytes) -> list[User]:
    require_perm(actor, Perm.USER_MANAGE)
    rows = _rows(data)
    invitations, problems = _checked(actor, rows)
    if problems:
        raise ValidationError({"file": problems})
    users = [invitation_create(actor=actor, **invitation) for invitation in invitations]
    audit.record(
        actor=actor,
        verb=verbs.USERS_IMPORT,
        payload={"file": name, "rows": len(users), "users": [u.pk for u in users]},
    )
    return users


def _rows(data: bytes) -> list[tuple[int, dict]]:
    """(line number, row) of every non-blank row under the header."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 1 MB.")})
    text = _decoded(data)
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise ValidationError(
            {
                "file": _("The first row must be the columns: %(columns)s.")
                % {"columns": ",".join(COLUMNS)}
            }
        )
    rows = [
        (reader.line_num, dict(zip(COLUMNS, (c.strip() for c in cells), strict=False)))
        for cells in reader
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise ValidationError({"file": _("The file has no rows of staff.")})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": _("At most %(max)d rows per file.") % {"max": MAX_ROWS}})
    return rows


def _decoded(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("Save the file as CSV in UTF-8 or GBK.")})


def _checked(actor, rows) -> tuple[list[dict], list[str]]:
    """The invitations of the rows, and a message for each wrong cell."""
    organisations = {str(o.pk): o for o in selectors.staff_organisations(actor=actor)}
    roles = _role_names()
    seen: dict[str, int] = {}
    invitations, problems = [], []
    for line, row in rows:
        email = normalised_email(row.get("email") or "")
        invitation = {
            "full_name": row.get("name") or "",
            "email": email,
            "organisation": organisations.get(row.get("organisation_id") or ""),
            "role": roles.get((row.get("role") or "").lower(), row.get("role") or ""),
        }
        errors = invitation_errors(actor=actor, **invitation)
        if invitation["organisation"] is None and row.get("organisation_id"):
            errors["organisation"] = _("No organisation where you may place staff has this id.")
        if email in seen and "email" not in errors:
            errors["email"] = _("The same e-mail address is on row %(row)d.") % {"row": seen[email]}
        seen.setdefault(email, line)
        problems += [_problem(line, field, message) for field, message in errors.items()]
        invitations.append(invitation)
    return invitations, problems


def _role_names() -> dict[str, str]:
    """Each official role by its code and by its name in every language."""
    names = {}
    for value, label in Role.choices:
        if value in STAFF_ROLES:
            names[value] = value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    names[str(label).lower()] = value
    return names


def _problem(line: int, field: str, message) -> str:
    column = FIELD_COLUMNS.get(field, field)
    if isinstance(message, list):
        message = " ".join(str(m) for m in message)
    return _("Row %(row)d, column “%(column)s”: %(message)s") % {
        "row": line,
        "column": COLUMN_LABELS.get(column, column),
        "message": message,
    }
