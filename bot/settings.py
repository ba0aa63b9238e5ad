"""Configuration, only from ``TANYA_`` environment variables (and an optional ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_PATH = Path("var") / "tanya.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TANYA_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}",
        description="SQLAlchemy async URL; SQLite file (WAL) by default, postgresql+asyncpg://... to scale",
    )
    env: str = Field(default="development", description="'production' refuses to start without secrets")
    secret_key: str = Field(default="", description="key for personal-data encryption and web sessions")
    secret_key_file: str = Field(
        default="var/secret.key", description="local key file made when no key is set"
    )
    console_idle_minutes: int = Field(
        default=30, description="officer console sessions end after this idle time"
    )
    body_name: str = Field(default="Pemerintah Kota Sukamaju", description="name of the public body")
    city_name: str = Field(default="Kota Sukamaju", description="the region served, in examples of addresses")
    body_logo_url: str = Field(default="", description="the body's logo (https URL) in the web chat's header")
    body_website: str = Field(default="", description="the body's website, linked from the web chat's header")
    privacy_url: str = Field(default="", description="the privacy notice, linked from the web chat's header")
    ppid_contact: str = Field(
        default="PPID Kota Sukamaju, Dinas Komunikasi dan Informatika, Jl. Merdeka No. 1 (fiktif); "
        "ppid@sukamajukota.go.id",
        description="how citizens reach the PPID desk (shown by 'contact an officer')",
    )
    office_timezone: str = Field(default="Asia/Jakarta")
    service_start: str = Field(default="08:00", description="service hours start (Mon-Fri)")
    service_end: str = Field(default="16:00", description="service hours end (Mon-Fri)")
    max_message_chars: int = Field(default=2000, description="longer messages are refused politely")
    # --- web chat limits and sessions (issue 9) ---
    web_session_hours: float = Field(
        default=24.0, description="a web-chat session expires this long after it began"
    )
    web_messages_per_minute: float = Field(default=30.0, description="messages per web session")
    web_messages_burst: int = Field(default=10, description="messages one web session may send at once")
    web_address_messages_per_minute: float = Field(
        default=300.0, description="web messages per client address (all its sessions)"
    )
    web_address_messages_burst: int = Field(default=60)
    web_sessions_per_hour: float = Field(default=60.0, description="new web sessions per client address")
    web_sessions_burst: int = Field(default=10)
    web_polls_per_minute: float = Field(default=120.0, description="reads of replies per web session")
    web_polls_burst: int = Field(default=30)
    web_poll_fallback_seconds: float = Field(
        default=5.0,
        description="PostgreSQL: a long-poll looks again this often (another process may deliver)",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses/networks of reverse proxies whose X-Forwarded-For is believed (JSON list)",
    )
    register_file: str = Field(default="", description="register CSV/XLSX loaded at start-up when set")
    faq_file: str = Field(default="", description="FAQ CSV loaded at start-up when set")
    concepts_file: str = Field(
        default="",
        description="a PPID's own search concepts (situation<TAB>services), besides the built-in ones",
    )
    sample_data: bool = Field(
        default=False, description="load the Kota Sukamaju sample into an empty register"
    )

    telegram_token: str = ""
    telegram_secret: str = ""
    telegram_api_base: str = "https://api.telegram.org/bot"
    telegram_bot_username: str = Field(default="", description="the bot's @name, for t.me links on posters")
    whatsapp_token: str = ""
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_phone_id: str = ""
    whatsapp_display_number: str = Field(
        default="", description="the business number, for wa.me links on posters"
    )
    graph_api_base: str = "https://graph.facebook.com"
    graph_api_version: str = "v21.0"
    # --- channels (issue 5) ---
    whatsapp_template_name: str = Field(
        default="", description="approved template for replies outside the 24-hour window (else held)"
    )
    whatsapp_template_lang: str = Field(default="id", description="language code of that template")
    whatsapp_broadcast_template_name: str = Field(
        default="",
        description="approved template for RT/RW broadcasts outside the 24-hour window (else held)",
    )
    whatsapp_per_second: float = Field(default=80.0, description="messages/s per business number")
    whatsapp_user_interval: float = Field(default=6.0, description="pair rate: seconds per message to a user")
    whatsapp_user_burst: int = Field(default=10, description="messages one user may get at once")
    telegram_per_second: float = Field(default=30.0, description="messages/s across all chats")
    telegram_chat_interval: float = Field(default=1.0, description="seconds between messages to one chat")
    telegram_group_interval: float = Field(default=3.0, description="seconds between messages to a group")
    broadcast_approval: bool = Field(
        default=True, description="a coordinator's announcement waits for an officer's approval"
    )
    broadcast_per_hour: int = Field(default=5, description="broadcasts one coordinator may send in an hour")
    broadcast_file_mb: float = Field(
        default=5.0, gt=0, le=10, description="largest photo or PDF an announcement may carry, in MB"
    )
    broadcast_max_parts: int = Field(
        default=5, ge=1, le=20, description="an over-long announcement is sent in at most this many parts"
    )
    chat_backlog: int = Field(
        default=30,
        description="replies waiting for one chat beyond this many are shed; the chat gets one notice",
    )
    send_process: bool = Field(
        default=True,
        description="Telegram/WhatsApp sends run in a child process (a second CPU core); false: in-process",
    )
    # --- requests (issue 4) ---
    retention_days: int = Field(
        default=1825,
        description="requesters' personal data may be erased this many days after their last request closed",
    )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
