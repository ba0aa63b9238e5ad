"""Typed SQLAlchemy 2.0 models. Each feature keeps its tables in its own module; all share ``Base``."""

from storage.models.base import Base
from storage.models.pipeline import Conversation, InboxMessage, OutboxMessage

__all__ = ["Base", "Conversation", "InboxMessage", "OutboxMessage"]

# Feature modules register their tables on import; keep this list in revision order.
from storage.models import gaps as _gaps  # noqa: F401
from storage.models import knowledge as _knowledge  # noqa: F401
from storage.models import privacy as _privacy  # noqa: F401
from storage.models import requests as _requests  # noqa: F401
