"""Configuration pieces shared by the services.

Each service composes these into one frozen pydantic-settings class, builds it once in its
``__main__`` and passes it down. Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT = "development"
DEVELOPMENT_SESSION_SECRET = "development-only-session-secret"  # noqa: S105 - refused elsewhere


class NguonSettings(BaseSettings):
    """Every setting the platform reads, each from an ``NGUON_``-prefixed environment variable."""

    model_config = SettingsConfigDict(env_prefix="NGUON_", frozen=True, extra="ignore")

    environment: str = DEVELOPMENT
    """``development`` allows placeholder secrets; anything else refuses them."""

    data_dir: Path = Path("var")
    """Where the embedded PostgreSQL keeps its data (survives restarts)."""

    database_url: SecretStr | None = None
    """The PostgreSQL server the services use, as the services' own role. Unset: embedded."""

    database_admin_url: SecretStr | None = None
    """The owner's connection, used to create tables and grants. Defaults to ``database_url``."""

    app_role: str = "nguon_app"
    """The role the services connect as: it may append events but never change or delete them."""

    kafka_bootstrap_servers: str | None = None
    """Comma-separated brokers. Unset: projections read the event store in-process."""

    kafka_topic_prefix: str = "nguon"

    public_base_url: str = "http://127.0.0.1:8000"
    """Where buyers reach the provenance pages; QR codes encode links on this base."""

    province_code: str = "TH"
    """Prefix of the short batch codes, e.g. ``TH-2026-000123``."""

    host: str = "127.0.0.1"
    port: int = 8000

    page_cache_seconds: float = 2.0
    """How long a public page's document may be reused without asking the read models."""

    rendered_page_cache_megabytes: int = 16
    """Rendered public pages kept per web process, as bytes; 0 renders every request. A page is
    kept under everything it depends on, so a kept page is the page a fresh render gives."""

    read_wait_timeout_seconds: float = 5.0
    """How long a read may wait for the projections to reach a position the client names."""

    # People's sign-in (shared.accounts) ---------------------------------------------------

    session_secret: SecretStr = SecretStr(DEVELOPMENT_SESSION_SECRET)
    """Signs the session cookie. The placeholder is refused outside development."""

    session_idle_minutes: int = Field(default=30, ge=1)
    """A session ends after this long without a request."""

    session_absolute_hours: int = Field(default=12, ge=1)
    """A session ends this long after sign-in, however busy."""

    one_time_code_hours: int = Field(default=72, ge=1)
    """How long a new or reset account's one-time code may be used for a first sign-in."""

    sign_in_failures_per_address: int = Field(default=20, ge=1)
    """Failed sign-ins one client address may make per window before it is answered 429."""

    sign_in_window_minutes: int = Field(default=10, ge=1)
    """The window of ``sign_in_failures_per_address``."""

    trusted_proxies: str = ""
    """Comma-separated addresses or networks of the reverse proxies whose ``X-Forwarded-For``
    names the client; from any other peer the header is ignored."""

    @model_validator(mode="after")
    def _refuse_placeholders_outside_development(self) -> NguonSettings:
        if self.environment != DEVELOPMENT and self.database_url is None:
            msg = "NGUON_DATABASE_URL must name a PostgreSQL server outside development"
            raise ValueError(msg)
        if (
            self.environment != DEVELOPMENT
            and self.session_secret.get_secret_value() == DEVELOPMENT_SESSION_SECRET
        ):
            msg = "NGUON_SESSION_SECRET must be set to a long random value outside development"
            raise ValueError(msg)
        return self

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def uses_kafka(self) -> bool:
        return bool(self.kafka_bootstrap_servers)
