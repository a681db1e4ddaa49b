"""What every API resource shares: calling a service so that its refusal is a
400 naming the API's fields (or a 409 when it names only the record's state),
one view for every act on one record, refusing fields a request may not send,
named enums, a download's errors in JSON, and an uploaded file as a service
takes it."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.errors import api_fields
from qingqian.core import evidence_files

# --- calling services ----------------------------------------------------------------


def renames_of(serializer: serializers.Serializer) -> dict[str, str]:
    """Service field names (amount_owed_fen) → the API's (amount_owed)."""
    return {f.source: name for name, f in serializer.fields.items() if f.source != name}


def run_service(function, renames: dict | None = None, prefix: str = "", **kwargs):
    """Run a service; its ValidationError becomes a 400 naming the API's fields."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise exceptions.ValidationError(api_fields(error, renames, prefix)) from error


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("Not possible in the record's current state.")


def run_action(function, renames: dict | None = None, conflicts=frozenset(), **kwargs):
    """`run_service`, but a refusal naming only state fields (`conflicts`) is a 409
    `conflict`: the request was well formed, the record is not in a state that
    allows it."""
    try:
        return run_service(function, renames, **kwargs)
    except exceptions.ValidationError as error:
        names = set(error.detail) if isinstance(error.detail, dict) else set()
        if names and names <= conflicts:
            messages = [str(message) for name in names for message in error.detail[name]]
            raise Conflict(" ".join(messages)) from error
        raise


def refuse_unknown_fields(request, serializer_class) -> None:
    unknown = set(request.data) - set(serializer_class().fields)
    if unknown:
        raise exceptions.ValidationError(
            {name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )


# --- one act on one record ------------------------------------------------------------


class ActionView(APIView):
    # A POST that acts on one record: the record is found in the actor's scope
    # (`find`, a 404 outside it), the body checked by `input_class`, the service
    # run with the record as its `target` keyword, and its result answered
    # (`respond`). A resource whose bodies name only what may change refuses any
    # other field (`refuses_unknown_fields`). Subclasses only declare these;
    # `documented` gives each its schema. (Comments, not docstrings:
    # drf-spectacular would publish them.)

    input_class: type[serializers.Serializer]
    target = ""
    refuses_unknown_fields = False
    conflicts: frozenset[str] = frozenset()
    output_class: type[serializers.Serializer] | None = None
    success_status = status.HTTP_200_OK

    def find(self, actor, pk: int):
        raise NotImplementedError

    def service(self, **kwargs):
        raise NotImplementedError

    def arguments(self, data: dict) -> dict:
        return data  # the checked body, as the service takes it

    def respond(self, request, record, result) -> Response:
        return Response(self.output_class(result).data, status=self.success_status)

    def post(self, request, pk):
        record = self.find(request.user, pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        if self.refuses_unknown_fields:
            refuse_unknown_fields(request, self.input_class)
        result = run_action(
            self.service,
            renames_of(data),
            self.conflicts,
            actor=request.user,
            **{self.target: record},
            **self.arguments(dict(data.validated_data)),
        )
        return self.respond(request, record, result)


# What any act may meet: invalid input, not signed in, not allowed, out of scope,
# and a record in a state that does not allow it.
ACTION_ERRORS = (400, 401, 403, 404, 409)


def documented(
    errors: Callable[..., dict], codes=ACTION_ERRORS, **schema
) -> Callable[[type], type]:
    """The schema of a declared action: its input as the request body (unless
    `schema` names one), its output as the answer, and the errors it may meet
    (`codes`, any act's unless told) in the words of `errors`."""

    def document(view_class: type[ActionView]) -> type[ActionView]:
        answers = {view_class.success_status: view_class.output_class}
        post = extend_schema(
            **{"request": view_class.input_class, **schema},
            responses={**answers, **errors(*codes)},
        )
        return extend_schema_view(post=post)(view_class)

    return document


def acts_documented(errors: Callable[..., dict], tags: list[str], descriptions: dict[str, str]):
    """`documented` for one resource's acts, each described by its operation id."""

    def act(operation_id: str, **schema) -> Callable[[type], type]:
        description = descriptions[operation_id]
        return documented(
            errors, tags=tags, operation_id=operation_id, description=description, **schema
        )

    return act


# --- named enums ------------------------------------------------------------------------


_ENUM_FIELDS: dict[str, tuple[type[serializers.ChoiceField], list]] = {}


def enum(name: str, choices, *, exclude=(), **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is the schema component `name` (one class per name).

    `choices` is a Django choices class or a list of values."""
    pairs = getattr(choices, "choices", None) or [(value, value) for value in choices]
    pairs = [(value, label) for value, label in pairs if value not in exclude]
    if name not in _ENUM_FIELDS:
        schema = {"type": "string", "enum": [value for value, _label in pairs]}
        field_class = type(f"{name}Field", (serializers.ChoiceField,), {})
        field_class = extend_schema_field(schema, component_name=name)(field_class)
        _ENUM_FIELDS[name] = (field_class, pairs)
    field_class, known = _ENUM_FIELDS[name]
    # A schema-building check between two of our own tables, not a guard on input.
    assert [v for v, _l in known] == [v for v, _l in pairs], f"{name}: two choice sets"  # nosec B101
    return field_class(choices=pairs, **kwargs)


# --- files ------------------------------------------------------------------------------


class JsonErrorsOnly(BaseContentNegotiation):
    """A download answers with the file's own type; its errors are JSON whatever
    the client accepts."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


def uploaded(upload) -> tuple[str, bytes]:
    """An uploaded file as the plain (name, bytes) a service takes; reading one
    byte past the limit is enough for the service to refuse it as too large."""
    return upload.name or "file", upload.read(evidence_files.max_file_bytes() + 1)
