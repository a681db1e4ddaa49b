"""Audited writes of enterprises."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, has_perm, require_perm
from qingqian.core import audit
from qingqian.core.bulk import insert_rows
from qingqian.core.messages import uscc_error_message
from qingqian.core.queries import any_one
from qingqian.core.regions import is_valid_region_code
from qingqian.core.scoping import scope_for
from qingqian.core.sizeclass import classify, list_industries
from qingqian.core.uscc import check_uscc
from qingqian.parties import verbs
from qingqian.parties.models import Enterprise

SIZE_FACTS = ("industry", "staff", "revenue_wan", "assets_wan")
CONTACT_AND_SIZE_FIELDS = frozenset(
    {"address", "contact_name", "contact_phone", "industry", "staff", "revenue_wan", "assets_wan"}
)
EDITABLE_FIELDS = CONTACT_AND_SIZE_FIELDS | {"name", "type", "region_code", "is_central"}
# The columns a bulk registration writes; the others keep their defaults (NULL).
BULK_FIELDS = (
    "uscc",
    "name",
    "type",
    "region_code",
    "is_central",
    "address",
    "contact_name",
    "contact_phone",
    "industry",
    "created_at",
    "updated_at",
)


@transaction.atomic
def enterprise_create(
    *,
    actor,
    uscc: str,
    name: str,
    type: str,
    region_code: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    industry: str = "",
    staff: int | None = None,
    revenue_wan: Decimal | None = None,
    assets_wan: Decimal | None = None,
    is_central: bool = False,
) -> Enterprise:
    require_perm(actor, Perm.ENTERPRISE_CREATE)
    fields = {
        "name": name.strip(),
        "type": type,
        "region_code": region_code.strip(),
        "address": address.strip(),
        "contact_name": contact_name.strip(),
        "contact_phone": contact_phone.strip(),
        "industry": industry,
        "staff": staff,
        "revenue_wan": revenue_wan,
        "assets_wan": assets_wan,
        "is_central": is_central,
    }
    errors = _field_errors(fields)
    normalised_uscc = _check_new_uscc(uscc, errors)
    if errors:
        raise ValidationError(errors)
    _require_region_in_scope(actor, fields["region_code"])
    return _create(actor, verbs.ENTERPRISE_CREATE, normalised_uscc, fields)


@transaction.atomic
def enterprise_find_or_register_debtor(
    *,
    actor,
    uscc: str,
    name: str,
    type: str,
    region_code: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Enterprise:
    """The debtor named in a complaint: the known enterprise with that credit code,
    or a new record. Anyone who may file a complaint may name a debtor; an
    existing record is never changed from here."""
    result = check_uscc(uscc)
    existing = any_one(Enterprise.objects.filter(uscc=result.code)) if result.valid else None
    if existing:
        return existing
    fields = _debtor_fields(name, type, region_code, address, contact_name, contact_phone)
    errors = _debtor_errors(result, fields)
    if errors:
        raise ValidationError(errors)
    return _create(actor, verbs.ENTERPRISE_REGISTER_DEBTOR, result.code, fields)


@transaction.atomic
def enterprise_find_or_register_claimant(
    *, actor, uscc: str, name: str, region_code: str, contact_name: str, contact_phone: str
) -> Enterprise:
    """The enterprise an SME signing up says it acts for: the known one with that
    credit code (never changed from here: the account is not bound yet), or a new
    SME record on its word, as a debtor named in a complaint is."""
    result = check_uscc(uscc)
    existing = any_one(Enterprise.objects.filter(uscc=result.code)) if result.valid else None
    if existing:
        return existing
    fields = _debtor_fields(name, Enterprise.Type.SME, region_code, "", contact_name, contact_phone)
    errors = _field_errors(fields)
    if not result.valid:
        errors["uscc"] = uscc_error_message(result)
    if errors:
        raise ValidationError(errors)
    return _create(actor, verbs.ENTERPRISE_REGISTER_CLAIMANT, result.code, fields)


@transaction.atomic
def enterprise_declare_size(*, actor, enterprise: Enterprise, facts: dict, on: date) -> Enterprise:
    """The enterprise's size facts and the class the standard in force `on` gives
    them (its self-test), kept with that date. `facts`: industry, staff,
    revenue_wan, assets_wan, already checked by the self-test."""
    scope = scope_for(actor)
    if not (scope.covers_region(enterprise.region_code) or scope.enterprise_id == enterprise.pk):
        raise PermissionDenied(_("You may not change these details of this enterprise."))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    classification = classify(
        facts["industry"], facts["staff"], facts["revenue_wan"], facts["assets_wan"], on
    )
    for name in SIZE_FACTS:
        setattr(enterprise, name, facts[name])
    enterprise.size_declared = classification.size
    enterprise.size_declared_on = on
    enterprise.save()
    audit.record(
        actor=actor,
        verb=verbs.ENTERPRISE_SIZE_DECLARE,
        target=enterprise,
        payload={
            **{name: str(facts[name]) for name in SIZE_FACTS},
            "size": classification.size,
            "standard": classification.standard,
            "on": on.isoformat(),
        },
    )
    return enterprise


def debtor_particulars_errors(
    *,
    uscc: str,
    name: str,
    type: str,
    region_code: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> dict[str, str]:
    """Every problem that keeps these particulars from naming a debtor, by
    particular (none: they name one). A registered credit code names its
    enterprise whatever else was typed; otherwise all of them are checked."""
    result = check_uscc(uscc)
    if result.valid and Enterprise.objects.filter(uscc=result.code).exists():
        return {}
    fields = _debtor_fields(name, type, region_code, address, contact_name, contact_phone)
    return _debtor_errors(result, fields)


def _debtor_fields(name, type, region_code, address, contact_name, contact_phone) -> dict:
    return {
        "name": name.strip(),
        "type": type,
        "region_code": region_code.strip(),
        "address": address.strip(),
        "contact_name": contact_name.strip(),
        "contact_phone": contact_phone.strip(),
        "industry": "",
        "staff": None,
        "revenue_wan": None,
        "assets_wan": None,
    }


def _debtor_errors(uscc_result, fields: dict) -> dict[str, str]:
    errors = {} if uscc_result.valid else {"uscc": uscc_error_message(uscc_result)}
    return {**errors, **_field_errors(fields)}


@transaction.atomic
def enterprises_register_bulk(*, actor, parties: dict[str, tuple[str, str, str]], source) -> None:
    """Register many enterprises at once: credit code -> (name, type, region).

    For the ledger importer, which has checked every value and that none of
    the codes is registered yet (its file's rows are reported, not raised).
    One bulk insert, and one audit event naming every credit code registered,
    against the `source` that brought them (the import).
    """
    if not parties:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (uscc, name, kind, region, False, "", "", "", "", now, now)
        for uscc, (name, kind, region) in sorted(parties.items())  # in the unique index's order
    ]
    with _names_indexed_in_one_statement():
        insert_rows(Enterprise, BULK_FIELDS, rows)
    audit.record(
        actor=actor,
        verb=verbs.ENTERPRISE_REGISTER_BULK,
        target=source,
        payload={"created": {"parties.enterprise": sorted(parties)}},
    )


@transaction.atomic
def enterprises_register_staged(*, actor, staged: str, source) -> int:
    """Register every enterprise of a staging table (the ledger importer's:
    columns uscc, name, type, region_code and grams, its names' indexed form,
    see `name_bigrams`), which the importer has checked as it checks
    `enterprises_register_bulk`'s. One INSERT ... SELECT, and one audit event
    a `AUDIT_CHUNK` codes naming them, against `source`. Returns how many."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = ", ".join(Enterprise._meta.get_field(name).column for name in BULK_FIELDS)
    with _names_indexed_in_one_statement(grams_from=staged), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ENTERPRISE_TABLE} ({columns}) "  # nosec B608 # names from _meta and the caller's own table
            f"SELECT uscc, name, type, region_code, false, '', '', '', '', %s, %s FROM {staged} "
            "ORDER BY uscc",  # in the unique index's order
            [now, now],
        )
        cursor.execute(f"SELECT uscc FROM {staged} ORDER BY uscc")  # nosec B608 # the caller's own table
        codes = [uscc for (uscc,) in cursor.fetchall()]
    for start in range(0, len(codes), AUDIT_CHUNK):
        audit.record(
            actor=actor,
            verb=verbs.ENTERPRISE_REGISTER_BULK,
            target=source,
            payload={"created": {"parties.enterprise": codes[start : start + AUDIT_CHUNK]}},
        )
    return len(codes)


ENTERPRISE_TABLE = Enterprise._meta.db_table
AUDIT_CHUNK = 5000  # credit codes named by one audit event
# SQLite's name-search index (publication migration 0002) is kept by a trigger
# that runs once a row; for thousands of rows, one INSERT ... SELECT does its
# work in less than half the time.
_NAMES_TRIGGER = "publication_enterprise_names_insert"
_FILL_NAMES = (
    "INSERT INTO publication_enterprise_names (rowid, grams) "
    f"SELECT id, qq_name_bigrams(name) FROM {ENTERPRISE_TABLE} WHERE id > %s"  # nosec B608 # table name from _meta
)
_FILL_NAMES_FROM = (
    "INSERT INTO publication_enterprise_names (rowid, grams) "
    f"SELECT e.id, s.grams FROM {ENTERPRISE_TABLE} e JOIN {{staged}} s ON s.uscc = e.uscc "  # nosec B608 # table names from _meta and the caller's own
    "WHERE e.id > %s"
)


@contextmanager
def _names_indexed_in_one_statement(grams_from: str | None = None):
    """Within the caller's transaction on SQLite: the name-index trigger is
    taken away while the enterprises go in, the new rows (their ids above the
    highest before, the table being AUTOINCREMENT) indexed in one statement,
    and the trigger put back as it was; a rollback undoes all three. The
    names' indexed form is computed here, or read from the table `grams_from`
    (the work done before the writer was taken)."""
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            yield
            return
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [_NAMES_TRIGGER]
        )
        trigger = cursor.fetchone()
        if trigger is None:  # a database migrated without the search index
            yield
            return
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {ENTERPRISE_TABLE}")  # nosec B608 # table name from _meta
        (highest,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER {_NAMES_TRIGGER}")
        yield
        fill = _FILL_NAMES_FROM.format(staged=grams_from) if grams_from else _FILL_NAMES
        cursor.execute(fill, [highest])
        cursor.execute(trigger[0])


def _create(actor, verb: str, uscc: str, fields: dict) -> Enterprise:
    enterprise = Enterprise.objects.create(uscc=uscc, **fields)
    audit.record(actor=actor, verb=verb, target=enterprise, payload={"uscc": uscc, **fields})
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **changes) -> Enterprise:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    _require_may_edit(actor, enterprise, set(changes))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    current = {name: getattr(enterprise, name) for name in EDITABLE_FIELDS}
    proposed = {
        **current,
        **{k: v.strip() if isinstance(v, str) else v for k, v in changes.items()},
    }
    errors = _field_errors(proposed)
    if errors:
        raise ValidationError(errors)
    if "region_code" in changes:
        _require_region_in_scope(actor, proposed["region_code"])
    changed = {
        name: [current[name], proposed[name]] for name in changes if current[name] != proposed[name]
    }
    if not changed:
        return enterprise
    for name, (_old, new) in changed.items():
        setattr(enterprise, name, new)
    enterprise.save()
    audit.record(
        actor=actor, verb=verbs.ENTERPRISE_UPDATE, target=enterprise, payload={"changed": changed}
    )
    return enterprise


def _require_may_edit(actor, enterprise: Enterprise, fields: set[str]) -> None:
    scope = scope_for(actor)
    if has_perm(actor, Perm.ENTERPRISE_EDIT_ANY) and (
        actor is None or scope.covers_region(enterprise.region_code)
    ):
        return
    own = actor is not None and scope.enterprise_id == enterprise.pk
    if own and has_perm(actor, Perm.ENTERPRISE_EDIT_OWN) and fields <= CONTACT_AND_SIZE_FIELDS:
        return
    raise PermissionDenied(_("You may not change these details of this enterprise."))


def _require_region_in_scope(actor, region_code: str) -> None:
    if actor is not None and not scope_for(actor).covers_region(region_code):
        raise ValidationError({"region_code": _("This region is outside your jurisdiction.")})


def _check_new_uscc(uscc: str, errors: dict) -> str:
    result = check_uscc(uscc)
    if not result.valid:
        errors["uscc"] = uscc_error_message(result)
    elif Enterprise.objects.filter(uscc=result.code).exists():
        errors["uscc"] = _("An enterprise with this unified social credit code already exists.")
    return result.code


def _field_errors(fields: dict) -> dict[str, str]:
    errors = {}
    if not fields["name"]:
        errors["name"] = _("Enter the enterprise's full name.")
    elif len(fields["name"]) > 200:
        errors["name"] = _("The name is longer than 200 characters.")
    if fields["type"] not in Enterprise.Type.values:
        errors["type"] = _("Choose a valid enterprise type.")
    if not is_valid_region_code(fields["region_code"]):
        errors["region_code"] = _("Enter a valid 6-digit administrative division code.")
    if fields["industry"] and fields["industry"] not in {i.id for i in list_industries()}:
        errors["industry"] = _("Choose an industry from the list.")
    for name in ("staff", "revenue_wan", "assets_wan"):
        if fields[name] is not None and fields[name] < 0:
            errors[name] = _("This figure cannot be negative.")
    return errors
