"""Filing a complaint: drafts, their edits, and submission (size class,
accepting authority, tracking number, the review clock), or all in one go."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from qingqian.complaints import deadlines, evidence, routing, verbs
from qingqian.complaints.errors import ComplaintConflict, StaleVersion
from qingqian.complaints.evidence import EvidenceFile
from qingqian.complaints.models import Complaint, State, TrackingCounter
from qingqian.complaints.services.acting import (
    begin,
    check,
    finish,
    lock,
    record_event,
    require_may_draft,
    require_may_file,
    today,
)
from qingqian.complaints.validation import (
    kept_particulars,
    validate_draft_fields,
    validate_for_submission,
)
from qingqian.core import audit
from qingqian.core.sizeclass import SizeClassError, classify
from qingqian.parties import services as party_services
from qingqian.parties.models import Enterprise
from qingqian.parties.services import debtor_particulars_errors

DRAFT_FIELDS = frozenset(
    {
        "channel",
        "source_reference",
        "debtor",
        "debtor_as_entered",
        "contract_number",
        "contract_signed_on",
        "subject",
        "delivered_on",
        "payment_due_on",
        "amount_owed_fen",
        "amount_paid_fen",
        "request_text",
        "facts_text",
        "undertaking",
        "sme_notified_at_signing",
    }
)


@transaction.atomic
def complaint_create_draft(*, actor, complainant, **fields) -> Complaint:
    """An SME starts a complaint for itself; an intake officer records one
    received by phone, letter, fax or visit on an SME's behalf."""
    require_may_draft(actor, complainant)
    validate_draft_fields(fields, DRAFT_FIELDS)
    complaint = Complaint.objects.create(complainant=complainant, created_by=actor, **fields)
    record_event(
        complaint,
        actor,
        "create-draft",
        verbs.DRAFT_CREATED,
        "",
        State.DRAFT,
        details={"channel": complaint.channel},
        day=today(),
    )
    return complaint


@transaction.atomic
def complaint_update_draft(
    *,
    actor,
    complaint: Complaint,
    version: int | None = None,
    submitting: bool = False,
    **fields,
) -> Complaint:
    """Edit a draft; its `debtor` as for `complaint_file`. `submitting`: the edit is
    saved to be submitted at once, so its debtor's particulars must name one."""
    complaint = lock(complaint)
    if complaint.state != State.DRAFT:
        raise ComplaintConflict(_("Only a draft can be edited."))
    require_may_draft(actor, complaint.complainant, complaint)
    if version is not None and version != complaint.version:
        raise StaleVersion()
    fields = _with_named_debtor(actor, complaint.complainant, fields, keep_unnamed=not submitting)
    validate_draft_fields(fields, DRAFT_FIELDS)
    changed = {
        k: [str(getattr(complaint, k)), str(v)]
        for k, v in fields.items()
        if getattr(complaint, k) != v
    }
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.version += 1  # a submission on the version seen before this edit is stale
    complaint.save()
    audit.record(
        actor=actor, verb=verbs.DRAFT_UPDATED, target=complaint, payload={"changed": changed}
    )
    return complaint


@transaction.atomic
def complaint_submit(
    *, actor, complaint: Complaint, version: int | None = None, on: date | None = None
) -> Complaint:
    complaint = begin(actor, complaint, "submit", version)
    return _submit(actor, complaint, on or today())


@transaction.atomic
def complaint_file(
    *,
    actor,
    complainant,
    debtor: Enterprise | dict | None = None,
    submit: bool,
    files: Sequence[EvidenceFile] = (),
    **fields,
) -> Complaint:
    """A complaint filed in one go, with its evidence files as (name, bytes) pairs,
    whichever channel it came through: a draft with its files, or, when asked, a
    submission followed by its files, with no draft written before it. A refusal,
    of the complaint or of any file, writes nothing.

    The debtor is an enterprise, or its particulars (those of
    `enterprise_find_or_register_debtor`): the known enterprise with that credit
    code, or one registered here. A draft keeps particulars that do not name a
    debtor yet; a submission is refused for them."""
    # Before a debtor is registered on its word.
    (require_may_file if submit else require_may_draft)(actor, complainant)
    # Particulars that name no debtor are kept even for a submission, whose checks
    # then report their problems together with every other one.
    fields = _with_named_debtor(actor, complainant, {**fields, "debtor": debtor}, keep_unnamed=True)
    if not submit:
        complaint = complaint_create_draft(actor=actor, complainant=complainant, **fields)
    else:
        validate_draft_fields(fields, DRAFT_FIELDS)
        complaint = Complaint(complainant=complainant, created_by=actor, **fields)
        check(actor, complaint, "submit")
        complaint = _submit(actor, complaint, today())
    evidence.evidence_add_all(actor=actor, complaint=complaint, files=files)
    return complaint


def _with_named_debtor(actor, complainant, fields: dict, *, keep_unnamed: bool) -> dict:
    """`fields` with their `debtor` as an enterprise and, in `debtor_as_entered`, what
    is kept of particulars that do not name one yet (the SME may not have the credit
    code at hand): a named debtor supersedes what was typed before."""
    if "debtor" not in fields:
        return fields
    try:
        debtor, kept = _found_or_registered(actor, complainant, fields["debtor"]), {}
    except ValidationError:
        if not keep_unnamed:
            raise
        debtor, kept = None, {name: value for name, value in fields["debtor"].items() if value}
    return {**fields, "debtor": debtor, "debtor_as_entered": kept}


def _found_or_registered(actor, complainant, debtor: Enterprise | dict | None):
    if not isinstance(debtor, dict):
        return debtor
    if debtor.get("uscc") == complainant.uscc:
        raise ValidationError({"debtor": _("The debtor cannot be the complainant itself.")})
    return party_services.enterprise_find_or_register_debtor(actor=actor, **debtor)


def _submit(actor, complaint: Complaint, on: date) -> Complaint:
    """Submit a locked draft, or a new complaint not saved yet."""
    require_may_file(actor, complaint.complainant)
    _name_kept_debtor(actor, complaint)
    validate_for_submission(complaint, on=on)
    _classify_size(complaint)
    authority = routing.accepting_authority(complaint.complainant, complaint.debtor)
    if authority is None:
        raise ValidationError(
            {"debtor": _("No authority accepts complaints for the debtor's region yet.")}
        )
    complaint.accepting_authority = authority
    complaint.province_code = authority.region_code
    complaint.debtor_region_code = complaint.debtor.region_code
    complaint.debtor_type = complaint.debtor.type
    complaint.tracking_number = _next_tracking_number(authority.region_code, on.year)
    complaint.submitted_on = on
    complaint = finish(
        actor,
        complaint,
        "submit",
        State.SUBMITTED,
        details={
            "tracking_number": complaint.tracking_number,
            "channel": complaint.channel,
            "accepting_authority": authority.pk,
            "size_class": complaint.size_class,
            "size_warning": complaint.size_warning,
        },
        on=on,
    )
    deadlines.start_review(complaint, on)
    return complaint


def _name_kept_debtor(actor, complaint: Complaint) -> None:
    """The debtor that a draft's kept particulars name, once they are complete and
    not the complainant's own; otherwise the submission's checks report them."""
    if complaint.debtor is not None or not complaint.debtor_as_entered:
        return
    particulars = kept_particulars(complaint)
    if particulars["uscc"].strip().upper() == complaint.complainant.uscc:
        return
    if debtor_particulars_errors(**particulars):
        return
    complaint.debtor = party_services.enterprise_find_or_register_debtor(actor=actor, **particulars)
    complaint.debtor_as_entered = {}


def _classify_size(complaint: Complaint) -> None:
    """The size class on the signing date (the law's test); an official sees a warning when
    the facts say "not an SME" or are missing, but the complaint is still recorded."""
    sme = complaint.complainant
    try:
        result = classify(
            sme.industry or "other",
            sme.staff,
            sme.revenue_wan,
            sme.assets_wan,
            complaint.contract_signed_on,
        )
    except (SizeClassError, TypeError) as error:
        complaint.size_class, complaint.size_reason, complaint.size_warning = "", str(error), True
        complaint.size_basis = {
            "error": getattr(error, "code", "invalid_number"),
            "measure": getattr(error, "measure", None),
        }
        return
    complaint.size_class, complaint.size_reason = result.size, result.reason
    complaint.size_basis = {
        "standard": result.standard,
        "industry": result.industry,
        "steps": [step.as_dict() for step in result.steps],
    }
    complaint.size_warning = result.size == "large"


def _next_tracking_number(province_code: str, year: int) -> str:
    """QQ-<year>-<accepting province>-<sequence>: no gaps per province and year,
    because the counter row stays locked until the submission commits. One
    statement creates the year's counter or advances it and returns the number."""
    table = TrackingCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (province_code, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (province_code, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",  # nosec B608 # table name from _meta; values are bound parameters
            [province_code, year],
        )
        (sequence,) = cursor.fetchone()
    return f"QQ-{year}-{province_code}-{sequence:06d}"
