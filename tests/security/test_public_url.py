"""Finding 14: a real installation does not start without FICKAN_PUBLIC_URL (links in pushes never from Host)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import startup_problem

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.mark.parametrize(("environ", "starts"), [
    ({}, False),
    ({"FICKAN_COOKIE_SECURE": "1"}, False),
    ({"FICKAN_PUBLIC_URL": "  "}, False),
    ({"FICKAN_PUBLIC_URL": "https://fickan.kommun.se"}, True),
    ({"FICKAN_PUBLIC_URL": "https://fickan.kommun.se/"}, True),
    ({"FICKAN_PUBLIC_URL": "fickan.kommun.se"}, False),
    ({"FICKAN_PUBLIC_URL": "javascript:alert(1)"}, False),
    ({"FICKAN_PUBLIC_URL": "https://fickan.kommun.se/rutiner?x=1"}, False),
    ({"FICKAN_COOKIE_SECURE": "0"}, True),  # make run: plain HTTP on 127.0.0.1
])
def test_the_web_server_starts_only_with_a_public_address_unless_run_locally(environ, starts):
    assert (startup_problem(environ) is None) is starts


def test_make_run_is_a_local_run():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "FICKAN_COOKIE_SECURE=$${FICKAN_COOKIE_SECURE:-0}" in recipe
    assert "--config gunicorn.conf.py" in recipe


def test_gunicorn_refuses_to_start_without_it(tmp_path):
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("FICKAN_PUBLIC_URL", "FICKAN_COOKIE_SECURE")}
    result = subprocess.run([str(GUNICORN), "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0", "wsgi:app"],
                            cwd=ROOT, env=environment | {"FICKAN_INSTANCE_PATH": str(tmp_path)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "FICKAN_PUBLIC_URL is not set" in result.stderr
