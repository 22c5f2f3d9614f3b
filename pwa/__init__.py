"""The progressive web app: front-end sources (js/) and, from the offline issue on, the blueprint
serving the manifest, the service worker and the offline page."""
