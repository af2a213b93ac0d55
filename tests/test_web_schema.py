"""Property-based run of the API against its own OpenAPI document (schemathesis): no 5xx, no
response outside the schema, and no write without a token."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from digimeter.extract import extract_document
from digimeter.ingest.run import ingest
from digimeter.store import open_store
from digimeter.web import create_app
from tests.conftest import SEEDS

FOLDER = Path(tempfile.mkdtemp(prefix="digimeter-schema-"))
URL = f"sqlite:///{FOLDER / 'store.db'}"
ingest(open_store(URL), [str(SEEDS)], extract=extract_document)
APP = create_app(URL)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    response = case.call()
    assert response.status_code < 500, response.text
    if case.method.upper() == "POST" and response.status_code != 405:
        assert response.status_code in (401, 413), (case.path, response.status_code)
    case.validate_response(response)
