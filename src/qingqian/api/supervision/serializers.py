"""Input and output shapes of the supervision cases API (types and lengths only;
the rules live in `qingqian.supervision.cases.services`).

Every choice is its own named schema component (SupervisionCaseKindEnum...),
so it never collides with the complaints' or the ledger's `kind` and `state`.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingqian.api.common import enum
from qingqian.api.complaints.serializers import OrganisationBrief, PartyBrief
from qingqian.api.serializers import OutputSerializer, Serializer, error_responses
from qingqian.core.queries import MAX_ID
from qingqian.core.region_selectors import region_name
from qingqian.supervision.cases.notifications import subject_label
from qingqian.supervision.cases.services import (
    MAX_DUE_WORKING_DAYS,
    MAX_TEXT,
    MAX_TITLE,
    MIN_DUE_WORKING_DAYS,
)
from qingqian.supervision.models import CaseEvent, PublicNotice, SupervisionCase

TAGS = ["supervision"]
MAX_VERSION = 2**31 - 1


def kind_field(**kwargs):
    return enum("SupervisionCaseKindEnum", SupervisionCase.Kind, **kwargs)


def subject_field(**kwargs):
    return enum("SupervisionCaseSubjectEnum", SupervisionCase.Subject, **kwargs)


def state_field(**kwargs):
    return enum("SupervisionCaseStateEnum", SupervisionCase.State, **kwargs)


def notice_state_field(**kwargs):
    return enum("PublicNoticeStateEnum", PublicNotice.State, **kwargs)


def text(*, required: bool = True, max_length: int = MAX_TEXT, **kwargs):
    """Blank is let through so that the service says, in its words, what is missing."""
    return serializers.CharField(
        required=required, allow_blank=True, max_length=max_length, **kwargs
    )


def version_field(record: str):
    """The version of the `record` (case, report) the client saw: what changed since
    is refused."""
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_VERSION,
        help_text=f"The {record}'s version you saw: a changed {record} is refused (409 `stale`).",
    )


# --- input ---------------------------------------------------------------------------------


class CaseOpenInput(Serializer):
    kind = kind_field()
    subject = subject_field()
    region_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=6,
        help_text="For a jurisdiction: a province (440000) or a city (440100) code.",
    )
    department = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="For a handling department: its organisation id.",
    )
    debtor = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="For a debtor (not an SME): its enterprise id.",
    )
    title = text(max_length=MAX_TITLE)
    reason = text()
    due_working_days = serializers.IntegerField(
        min_value=MIN_DUE_WORKING_DAYS,
        max_value=MAX_DUE_WORKING_DAYS,
        help_text="Working days after opening (counted on the working-day calendar).",
    )
    interview_on = serializers.DateField(
        required=False, allow_null=True, help_text="For an interview (may be in the future)."
    )
    participants = text(required=False)
    minutes = text(required=False)
    commitments = text(required=False)
    listed_items = text(required=False, help_text="For a listed supervision.")
    lift_conditions = text(required=False, help_text="For a listed supervision.")


class ProgressInput(Serializer):
    text = text()
    version = version_field("case")


class InterviewInput(Serializer):
    interview_on = serializers.DateField()
    participants = text()
    minutes = text()
    commitments = text(required=False)
    version = version_field("case")


class LiftInput(Serializer):
    note = text()
    version = version_field("case")


class NoticeDraftInput(Serializer):
    title = text(max_length=MAX_TITLE)
    text = text()


class NoticeFilterInput(Serializer):
    state = notice_state_field(required=False)


class NoticeDecideInput(Serializer):
    approve = serializers.BooleanField(help_text="true: approve for publication; false: reject.")
    note = text(required=False, help_text="Required to reject.")


# --- output --------------------------------------------------------------------------------


class CaseEventOutput(OutputSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "at", "action", "actor", "text"]
        read_only_fields = fields

    def get_actor(self, event) -> str:
        if event.actor is None:
            return ""
        return event.actor.get_full_name() or event.actor.username


class CaseSummary(OutputSerializer):
    kind = kind_field(read_only=True)
    subject = subject_field(read_only=True)
    state = state_field(read_only=True)
    subject_name = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionCase
        fields = [
            "id",
            "kind",
            "subject",
            "subject_name",
            "region_code",
            "title",
            "state",
            "opened_on",
            "due_on",
            "due_provisional",
            "closed_on",
            "version",
        ]
        read_only_fields = fields

    def get_subject_name(self, case) -> str:
        return subject_label(case)


class CaseOutput(CaseSummary):
    region_name = serializers.SerializerMethodField()
    department = OrganisationBrief(read_only=True, allow_null=True)
    debtor = PartyBrief(read_only=True, allow_null=True)
    opening_organisation = OrganisationBrief(read_only=True)
    events = serializers.SerializerMethodField()

    class Meta(CaseSummary.Meta):
        fields = [
            *CaseSummary.Meta.fields,
            "region_name",
            "department",
            "debtor",
            "reason",
            "opening_organisation",
            "due_working_days",
            "due_rule",
            "interview_on",
            "participants",
            "minutes",
            "commitments",
            "listed_items",
            "lift_conditions",
            "events",
        ]
        read_only_fields = fields

    def get_region_name(self, case) -> str:
        return region_name(case.region_code) or ""

    @extend_schema_field(CaseEventOutput(many=True))
    def get_events(self, case) -> list[dict]:
        events = case.events.select_related("actor").order_by("at", "pk")
        return CaseEventOutput(events, many=True).data


class NoticeOutput(OutputSerializer):
    state = notice_state_field(read_only=True)
    figures = serializers.DictField(read_only=True)
    drafted_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = PublicNotice
        fields = [
            "id",
            "case",
            "title",
            "text",
            "figures",
            "state",
            "drafted_by",
            "drafted_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    def get_drafted_by(self, notice) -> str:
        return notice.drafted_by.get_full_name() or notice.drafted_by.username

    def get_decided_by(self, notice) -> str:
        if notice.decided_by is None:
            return ""
        return notice.decided_by.get_full_name() or notice.decided_by.username


class CasePage(Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseSummary(many=True)


class NoticePage(Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NoticeOutput(many=True)


ERROR_TEXT = {
    400: "Invalid: `fields` names each problem.",
    401: "Not signed in.",
    403: "In your scope, but you may not do this.",
    404: "No such case or notice in your scope.",
    409: "Not possible in the case's or notice's state (`conflict`), or the case changed "
    "(`stale`).",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)
