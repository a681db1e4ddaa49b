import pytest
from rest_framework.test import APIClient

from qingqian.accounts.models import ApiToken
from qingqian.core.models import AuditEvent
from qingqian.parties.models import Enterprise

HUAWEI = "914403001922038216"


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_token_flow_bearer_and_me(api, user):
    response = api.post(
        "/api/v1/auth/token/", {"username": "gd-intake", "password": "demo-password"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "Bearer" and len(body["token"]) >= 40
    assert AuditEvent.objects.order_by("-seq").first().verb == "auth.token_issue"
    # Only the hash is stored.
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "gd-intake" and me["role"] == "intake"
    assert me["organisation"]["region_code"] == "440000"
    assert api.post("/api/v1/auth/token/revoke/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"username": "gd-intake", "password": "wrong"}, 401, "authentication_failed"),
        ({"username": "gd-intake"}, 400, "invalid"),
        ({}, 400, "invalid"),
    ],
)
def test_token_errors_are_json(api, payload, status, code):
    response = api.post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["message"]
    if status == 400:
        assert "password" in body["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer abc def", "Bearer nonsense", "Token abc", "Bearer 清欠"]
)
def test_bad_authorization_headers_are_refused(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] in {"authentication_failed", "not_authenticated"}


@pytest.mark.django_db
def test_anonymous_api_is_401_json(api):
    response = api.get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_create_enterprise_validation_names_fields_and_writes_nothing(api_client_for):
    client = api_client_for("gd-intake")
    before = (Enterprise.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/api/v1/enterprises/",
        {"uscc": "91440300192203821X", "name": "", "type": "large", "region_code": "440300"},
        format="json",
    )
    assert response.status_code == 400
    assert {"name"} <= set(response.json()["fields"])
    response = client.post(
        "/api/v1/enterprises/",
        {"uscc": "91440300192203821X", "name": "华为", "type": "large", "region_code": "440300"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"uscc"}
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_create_and_patch_enterprise(api_client_for):
    client = api_client_for("gd-intake")
    response = client.post(
        "/api/v1/enterprises/",
        {
            "uscc": HUAWEI,
            "name": "华为技术有限公司",
            "type": "large",
            "region_code": "440300",
            "industry": "industry",
            "staff": 200000,
            "revenue_wan": "70000000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.patch(
        f"/api/v1/enterprises/{pk}/", {"contact_phone": "0755-1"}, format="json"
    )
    assert response.status_code == 200 and response.json()["contact_phone"] == "0755-1"
    response = client.patch(f"/api/v1/enterprises/{pk}/", {"uscc": "x"}, format="json")
    assert response.status_code == 400 and "uscc" in response.json()["fields"]


@pytest.mark.django_db
def test_sme_cannot_patch_name_via_api(api_client_for, user):
    own = user("sme-demo").enterprise
    response = api_client_for("sme-demo").patch(
        f"/api/v1/enterprises/{own.pk}/", {"name": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/enterprises/" in text and "/api/v1/me/" in text
    docs = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in docs
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs


def test_schema_generates_without_warnings_and_validates():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_descriptions_speak_of_the_api_not_of_its_code():
    """A component's description is its own docstring, never one inherited from
    the API's base serializer classes."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    described = {
        name: component.get("description", "")
        for name, component in schema["components"]["schemas"].items()
    }
    assert described["ComplaintOutput"] == ""
    leaks = {name for name, text in described.items() if "serializer" in text.lower()}
    assert leaks == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "username"),
    [("/api/v1/auth/token/", None), ("/api/v1/complaints/", "sme-demo")],
    ids=["before sign-in", "signed in"],
)
@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000],
    ids=["arrays", "objects"],
)
def test_json_nested_too_deeply_is_a_json_400(api, api_client_for, path, username, body):
    client = api_client_for(username) if username else api
    response = client.generic("POST", path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
def test_oversized_and_overfull_requests_get_the_apis_json_errors(api_client_for, settings):
    client = api_client_for("sme-demo")
    big = '{"facts_text": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = client.generic("POST", "/api/v1/complaints/", big, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    # JSON only, as the schema says (file uploads take multipart).
    response = client.generic(
        "POST", "/api/v1/complaints/", "submit=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, "请求中有字段无效。"), ("en-GB,en;q=0.9", "The request has invalid fields.")],
)
def test_api_clients_choose_the_language_with_accept_language(api_client_for, header, expected):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    response = api_client_for("sme-demo").post(
        "/api/v1/complaints/", {"amount_owed": "abc"}, format="json", **extra
    )
    assert response.status_code == 400
    assert response.json()["message"] == expected
