"""The API's JSON parser: DRF's, refusing JSON nested too deeply to read as a
parse error (400) instead of letting Python's recursion limit make it a 500."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from error
