"""Typed SQLAlchemy 2.0 models. Each feature keeps its tables in its own module; all share ``Base``."""

from storage.models.base import Base
from storage.models.pipeline import Conversation, InboxMessage, OutboxMessage, RelayOwner

__all__ = ["Base", "Conversation", "InboxMessage", "OutboxMessage", "RelayOwner"]

# Feature modules register their tables on import; keep this list in revision order.
from storage.models import accounts as _accounts  # noqa: F401
from storage.models import areas as _areas  # noqa: F401
from storage.models import console as _console  # noqa: F401
from storage.models import gaps as _gaps  # noqa: F401
from storage.models import knowledge as _knowledge  # noqa: F401
from storage.models import privacy as _privacy  # noqa: F401
from storage.models import requests as _requests  # noqa: F401
