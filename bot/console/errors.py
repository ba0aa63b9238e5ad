"""Domain errors as the console shows them: a sentence of the catalogue in the officer's language.

Domain and account errors carry an English, machine-readable reason (for logs and the command
line); the console never shows that text. Each known reason maps to a catalogue key
(``bot.console.texts``); anything else reads as the catalogue's general refusal.
"""

from __future__ import annotations

from bot.accounts import MIN_PASSWORD, AccountError
from bot.console.texts import CONSOLE_TEXTS
from bot.console.texts import t as console_t
from handlers.domain.errors import DomainError, ExtensionTooLong, IllegalTransition, InvalidDecision
from handlers.services.workflows import InvalidOfflineRequest
from handlers.texts import CATALOGUE
from handlers.texts import t as chat_t
from handlers.types import Lang

# (error class, a part of its reason or "" for any, catalogue key), first match wins
_REASONS: tuple[tuple[type[DomainError], str, str], ...] = (
    (IllegalTransition, "", "err_illegal_transition"),
    (ExtensionTooLong, "", "err_extension_days"),
    (InvalidDecision, "refusal needs", "err_refusal_needs"),
    (InvalidDecision, "partial grant", "err_partial_needs"),
    (InvalidDecision, "cites no Pasal 17", "err_no_pasal17"),
    (InvalidDecision, "'not held' needs", "err_holder_needed"),
    (InvalidDecision, "only 'not held'", "err_holder_only"),
    (InvalidDecision, "extension needs", "err_extension_reason"),
    (InvalidDecision, "OPD is needed", "err_opd_needed"),
    (InvalidDecision, "received in the future", "err_received_future"),
    (AccountError, "at least", "err_password_short"),
    (AccountError, "too long", "err_password_long"),
    (AccountError, "a username is", "err_username"),
    (AccountError, "unknown role", "err_role"),
    (AccountError, "not an OPD", "err_opd_abbreviation"),
    (AccountError, "serves at least one OPD", "err_officer_opd"),
    (AccountError, "exists already", "err_account_exists"),
    (AccountError, "no account", "err_no_account"),
)


def error_text(problem: DomainError, lang: Lang) -> str:
    """What the console says about ``problem``: never the English reason itself."""
    reason = str(problem)
    if isinstance(problem, InvalidOfflineRequest):  # the chat form's own words for the field
        label = f"form_label_{problem.field_name}"
        said = chat_t(problem.key, lang, **problem.values)
        return f"{chat_t(label, lang)}: {said}" if label in CATALOGUE else said
    if reason in CONSOLE_TEXTS:  # the console's own refusals name their key
        return console_t(reason, lang)
    for kind, part, key in _REASONS:
        if isinstance(problem, kind) and part in reason:
            return console_t(key, lang).replace("{min}", str(MIN_PASSWORD))
    return console_t("err_generic", lang)
