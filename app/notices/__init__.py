"""Notices: push subscriptions, coordinators' notices, the in-app inbox, delivery."""
