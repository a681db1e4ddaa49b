"""The API's serializers build their fields once per class; each instance owns its copies."""

from rest_framework import serializers

from qingqian.api.serializers import Serializer


class Inner(Serializer):
    code = serializers.CharField(max_length=6)


class Sample(Serializer):
    name = serializers.CharField(max_length=3)
    tags = serializers.ListField(child=serializers.CharField(max_length=2))
    inner = Inner()


def test_each_instance_owns_its_fields_and_their_children():
    first, second = Sample(), Sample()
    for name in ("name", "tags", "inner"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    assert first.fields["tags"].child is not second.fields["tags"].child
    assert first.fields["tags"].child.parent is first.fields["tags"]
    assert first.fields["inner"].fields["code"] is not second.fields["inner"].fields["code"]


def test_changing_a_field_for_one_request_leaves_the_others_alone():
    first = Sample(data={"tags": []})
    first.fields["name"].required = False
    second = Sample(data={"tags": ["abc"], "inner": {"code": "440000"}})
    assert not second.is_valid()
    assert set(second.errors) == {"name", "tags"}  # name still required there
    assert first.is_valid() is False and set(first.errors) == {"inner"}


def test_validation_and_rendering_work_on_the_copies():
    valid = Sample(data={"name": "abc", "tags": ["x"], "inner": {"code": "440000"}})
    assert valid.is_valid(), valid.errors
    assert valid.validated_data == {"name": "abc", "tags": ["x"], "inner": {"code": "440000"}}
    too_long = Sample(data={"name": "abcd", "tags": ["xyz"], "inner": {"code": "4400001"}})
    assert not too_long.is_valid()
    assert set(too_long.errors) == {"name", "tags", "inner"}
    rendered = Sample({"name": "ab", "tags": ["q"], "inner": {"code": "1"}}).data
    assert rendered == {"name": "ab", "tags": ["q"], "inner": {"code": "1"}}
