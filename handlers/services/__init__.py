"""Application services: every officer action once, for every shell (the CLI, the web console).

Each service takes an :class:`~handlers.services.actor.Actor` and does the whole job in one unit of
work (architecture.md, "Growing it"): permission check, state change, the request's event, the audit
row and the requester's notice in the outbox, committed together or not at all.
"""
