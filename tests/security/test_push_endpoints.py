"""Finding 14: the server posts only to real push services, however the endpoint's host is written."""
import pytest

from app.notices.rules import endpoint_problem


@pytest.mark.parametrize("endpoint", [
    "https://127.0.0.1\\.notify.windows.com/",
    "https://127.0.0.1\\@x.notify.windows.com/",
    "https://fcm.googleapis.com\\@evil.example/x",
    "https://fcm.googleapis.com\\/evil.example",
    "https://fcm.googleapis.com /fcm/send/x",
    "https://fcm.googleapis.com\t/fcm/send/x",
    "https://fcm.googleapis.com%2f@evil.example/x",
    "https://evil%2efcm.googleapis.com/x",
    "https://127.0.0.1/fcm/send/x",
    "https://[::1]/x",
    "https://10.0.0.1/x",
    "https://fcm.googleapis.com./x",
    "https://xn--fcm-googleapis-.com/x",
    'https://fcm.googleapis.com/x"onerror',
    "https://fcm.googleapis.com:443@evil.example/x",
])
def test_an_endpoint_whose_host_is_not_a_push_service_is_refused(endpoint):
    assert endpoint_problem(endpoint, []) is not None


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/cXy:APA91bH-_x~",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA%2b%3d",
    "https://web.push.apple.com/QGx-1",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
])
def test_real_push_endpoints_are_accepted(endpoint):
    assert endpoint_problem(endpoint, []) is None
