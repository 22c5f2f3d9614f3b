"""Configuration from the environment, and secrets generated into instance/."""
import stat

from app.config import load_config, read_or_create_secret


def test_a_secret_is_generated_once_with_mode_600(tmp_path):
    first = read_or_create_secret(tmp_path, "secret_key")
    assert len(first) >= 40
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert read_or_create_secret(tmp_path, "secret_key") == first


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_config(tmp_path)["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'fickan.db'}"


def test_database_url_for_postgresql_uses_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://fickan:pw@db/fickan")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://fickan:pw@db/fickan"


def test_redis_url_moves_rate_limits_to_redis(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://localhost:6379/0"


def test_cookies_are_secure_unless_turned_off(tmp_path, monkeypatch):
    monkeypatch.delenv("FICKAN_COOKIE_SECURE", raising=False)
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("FICKAN_COOKIE_SECURE", "0")
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is False
