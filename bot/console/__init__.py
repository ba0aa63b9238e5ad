"""The officer console (web): login, today's desk, requests and objections (``bot.console.web``)."""

from bot.console.web import install

__all__ = ["install"]
