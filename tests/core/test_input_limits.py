import pytest


@pytest.mark.embedded
def test_oversized_api_body_is_413_in_the_error_shape(token_client, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"title": "' + "x" * 4096 + '"}'
    response = token_client(alice).post("/api/designdocs/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "too_large",
        "message": "The request body is larger than 0 MB.",
        "errors": {},
    }
