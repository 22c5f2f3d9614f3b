"""GET /api/v1/session: who is signed in, and a CSRF token for the outbox."""


def test_the_session_endpoint_names_the_user_and_gives_a_token_that_sends_a_report(client, auth):
    auth.login_as_role("staff")
    session = client.get("/api/v1/session").get_json()
    assert session["user"] and session["csrf_token"]
    response = client.post("/api/v1/reports", json={"uuid": "0b6f7f0e-8a4e-4a55-9d59-3f6f1e0b9a41",
                                                   "text": "Nyckeln saknades i skåpet.",
                                                   "created_at": "2026-11-23T10:00:00+01:00"},
                           headers={"X-CSRFToken": session["csrf_token"]})
    assert response.status_code == 201


def test_the_session_endpoint_answers_401_when_nobody_is_signed_in(client):
    response = client.get("/api/v1/session")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"
