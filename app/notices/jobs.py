"""Background jobs of notices: push delivery runs in the worker, never inside a web request."""
from app.notices import delivery
from app.queue import job

# Inbox items per delivery job: a notice to a whole district becomes several jobs the worker runs side by side.
ITEMS_PER_JOB = 500


@job()
def deliver_inbox_items(item_ids: list[int]) -> int:
    """Push these inbox items to their users' subscriptions; returns how many messages were sent."""
    return sum(1 for outcome in delivery.deliver_items(item_ids) if outcome.sent_at is not None)


@job()
def deliver_test_push(user_id: int) -> int:
    """Push a test notification to one user's own subscriptions."""
    return sum(1 for outcome in delivery.deliver_test(user_id) if outcome.sent_at is not None)


def queue_delivery(item_ids: list[int]) -> None:
    """Hand inbox items to the worker for push, in chunks."""
    for start in range(0, len(item_ids), ITEMS_PER_JOB):
        deliver_inbox_items(item_ids[start:start + ITEMS_PER_JOB])
