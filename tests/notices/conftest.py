"""Fixtures for notices: a local push receiver the app is allowed to post to, and subscribing through the API."""
import shutil

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import csrf_token_from, make_test_config
from tests.notices.receiver import PushReceiver


@pytest.fixture
def receiver():
    receiver = PushReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def app(tmp_path, template_database, receiver):
    """The usual test app, allowed to push to the receiver (plain http on loopback) and quick to retry."""
    database_path = tmp_path / "fickan.db"
    shutil.copy(template_database, database_path)
    shutil.copytree(template_database.parent / "uploads", tmp_path / "uploads", dirs_exist_ok=True)
    config = make_test_config(tmp_path, database_path) | {
        "PUSH_ALLOWED_HOSTS": [receiver.host],
        "PUSH_RETRY_BASE_SECONDS": 0.01,
        "PUSH_TIMEOUT_SECONDS": 5,
        "PUSH_FANOUT_THREADS": 4,
        "VAPID_SUBJECT": "mailto:it@kommun.example",
    }
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def subscribe(client, subscription: dict, user_agent: str = "Mozilla/5.0 (Linux; Android 14) Chrome/130"):
    """POST a PushSubscription as the phone's script does (JSON, X-CSRFToken from the page)."""
    token = csrf_token_from(client, "/meddelanden/installningar")
    return client.post("/api/v1/push/subscriptions", json=subscription,
                       headers={"X-CSRFToken": token, "User-Agent": user_agent})


def unsubscribe(client, endpoint: str):
    token = csrf_token_from(client, "/meddelanden/installningar")
    return client.delete("/api/v1/push/subscriptions", json={"endpoint": endpoint}, headers={"X-CSRFToken": token})
