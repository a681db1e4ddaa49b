"""The evidence files of a record over the API: the list, adding one, downloading
one. A resource declares how it finds its record and adds a file (an
`EvidenceOf` subclass); `evidence_views` makes its two documented views."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.common import JsonErrorsOnly, run_service, uploaded
from qingqian.core import evidence_files


class EvidenceOf(APIView):
    # The evidence of one record, found in the actor's scope (`find`, a 404
    # outside it); a file is added by `service`, with the record as its `target`
    # keyword and what else the upload names as `attachments` gives it.
    # (Comments, not docstrings: drf-spectacular would publish them.)

    target = ""
    output_class: type[serializers.Serializer]
    upload_class: type[serializers.Serializer]

    def find(self, actor, pk: int):
        raise NotImplementedError

    def service(self, **kwargs):
        raise NotImplementedError

    def attachments(self, record, data: dict) -> dict:
        return {}  # nothing besides the file


class EvidenceListView(EvidenceOf):
    parser_classes = [MultiPartParser, FormParser]

    def get(self, request, pk):
        record = self.find(request.user, pk)
        return Response(self.output_class(record.evidence.all(), many=True).data)

    def post(self, request, pk):
        record = self.find(request.user, pk)
        data = self.upload_class(data=request.data)
        data.is_valid(raise_exception=True)
        name, content = uploaded(data.validated_data["file"])
        evidence = run_service(
            self.service,
            actor=request.user,
            **{self.target: record},
            name=name,
            data=content,
            **self.attachments(record, data.validated_data),
        )
        return Response(self.output_class(evidence).data, status=status.HTTP_201_CREATED)


def evidence_views(
    resource: type[EvidenceOf],
    operation_prefix: str,
    errors: Callable[..., dict],
    tags: list[str],
    add_description: str | None = None,
) -> tuple[type[EvidenceListView], type[EvidenceOf]]:
    """The list-and-add view and the download view of `resource`'s evidence,
    documented as `<operation_prefix>_evidence_list`, `_add` and `_download`."""
    operation = f"{operation_prefix}_evidence"
    listing = type(f"{resource.__name__}ListView", (resource, EvidenceListView), {})
    listing = extend_schema_view(
        get=extend_schema(
            tags=tags,
            operation_id=f"{operation}_list",
            responses={200: resource.output_class(many=True), **errors(401, 404)},
        ),
        post=extend_schema(
            tags=tags,
            operation_id=f"{operation}_add",
            request={"multipart/form-data": resource.upload_class},
            responses={201: resource.output_class, **errors(400, 401, 403, 404)},
            description=add_description,
        ),
    )(listing)
    files = {(200, kind): OpenApiTypes.BINARY for kind in evidence_files.ALLOWED_TYPES}
    download = extend_schema_view(
        get=extend_schema(
            tags=tags,
            operation_id=f"{operation}_download",
            responses={**files, **errors(401, 404)},
        )
    )(download_view(resource))
    return listing, download


def download_view(resource: type[EvidenceOf]) -> type[EvidenceOf]:
    """The view serving one of `resource`'s files. A class statement of its own
    rather than a `type()`: its source shows that it serves a file, which is how
    the check that every download carries the sandbox headers finds its route."""

    class EvidenceDownloadView(resource):
        content_negotiation_class = JsonErrorsOnly

        def get(self, request, pk, eid):
            record = self.find(request.user, pk)
            evidence = get_object_or_404(record.evidence, pk=eid)
            return evidence_files.evidence_response(evidence)

    return EvidenceDownloadView
