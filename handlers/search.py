"""Answer free text from the register (DIP) and the FAQ.

The best match is shown with its category, unit, year and link; up to four more follow as a
numbered list and as choices (``dip:<id>`` / ``faq:<id>``). The offered ids stay in the state
(``Flow.SEARCH_RESULTS``) so that a number typed next picks from the list.

An exempt entry (*dikecualikan*, UU 14/2008 Pasal 17) is never shown as available: the reply says
it is exempt, under which letter of Pasal 17 and why, and offers a formal request (Pasal 22) and
the right to object (Pasal 35(1)a). When nothing matches well enough the search abstains and
offers the FAQ, a formal request or an officer instead of guessing.
"""

from __future__ import annotations

import re

from handlers.context import HandlerContext
from handlers.gaps import gap_observed
from handlers.intents import mentions_request, request_topic
from handlers.ports import SearchAnswer, SearchHit
from handlers.texts import t
from handlers.types import (
    Choice,
    ConversationState,
    Flow,
    GapReason,
    Lang,
    Outcome,
    Reply,
    ServiceCounted,
    ServiceKind,
)

RESULTS_KEY = "results"  # state.data: comma-separated ids offered, in the numbered order
QUERY_KEY = "query"
MAX_RESULTS = 5
MAYBE_SHOWN = 3  # "mungkin yang Anda maksud": the best three
MAX_FAQ_LISTED = 9  # a WhatsApp list holds ten rows: nine questions and "more"
LABEL_CHARS = 24  # a button label that every channel shows in full
SUMMARY_CHARS = 300
QUERY_ECHO_CHARS = 80
FAQ_LIST_ID = "list"  # "faq:list" asks for the FAQ itself
REGISTER_PREFIX, FAQ_PREFIX = "dip", "faq"
EXEMPT = "dikecualikan"
UNHELPFUL_PAYLOAD = "gap:unhelpful"  # "Bukan ini" under an answer: the citizen did not find it
UNHELPFUL_WORDS = frozenset({"bukan ini", "bukan itu", "bukan", "bukan yg ini", "not this", "not that"})

_NUMBER = re.compile(r"^\s*(?:no\.?|nomor|nomer|number|#)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)


def payload(hit: SearchHit) -> str:
    prefix = FAQ_PREFIX if hit.kind == "faq" else REGISTER_PREFIX
    return f"{prefix}:{hit.id}"


def short_label(title: str, limit: int = LABEL_CHARS) -> str:
    """A button label: the title cut at a word boundary, with an ellipsis when cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-(") + "…"


def _numbered_choice(number: int, hit: SearchHit) -> Choice:
    """A button that names its line of the numbered list: "2. Renja Dinkes…"."""
    prefix = f"{number}. "
    return Choice(prefix + short_label(hit.title, LABEL_CHARS - len(prefix)), payload(hit))


def _category(hit: SearchHit, lang: Lang) -> str:
    key = f"category_{hit.category}"
    return t(key, lang) if hit.category in {"berkala", "serta_merta", "setiap_saat", EXEMPT} else hit.category


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_hit(hit: SearchHit, lang: Lang) -> Reply:
    """One entry in full: an FAQ answer, an exempt notice, or a register entry with its link."""
    if hit.kind == "faq":
        return Reply(text=t("search_faq", lang, question=hit.title, answer=hit.text), link=hit.link)
    if hit.category == EXEMPT:
        letter = hit.pasal_17_letter
        basis = (
            t("search_exempt_basis", lang, letter=letter) if letter else t("search_exempt_basis_plain", lang)
        )
        text = t("search_exempt", lang, title=hit.title, basis=basis, reason=_reason(hit.exemption_reason))
        return Reply(text=text, choices=(Choice(t("choice_request", lang), "menu:request"),))
    year = t("search_year", lang, year=hit.year) if hit.year else ""
    text = t("search_entry", lang, title=hit.title, category=_category(hit, lang), unit=hit.unit, year=year)
    if hit.text:
        text += t("search_summary", lang, summary=_shorten(hit.text, SUMMARY_CHARS))
    if not hit.link:
        text += t("search_hardcopy", lang)
    return Reply(text=text, link=hit.link)


def _reason(reason: str) -> str:
    """The consequence test of an exemption, without the legal basis already cited."""
    _, sep, test = reason.partition("uji konsekuensi:")
    return (test if sep else reason).strip() or reason


def _list_line(number: int, hit: SearchHit, lang: Lang) -> str:
    mark = f" {t('search_exempt_mark', lang)}" if hit.category == EXEMPT else ""
    year = f" ({hit.year})" if hit.year and str(hit.year) not in hit.title else ""
    return f"{number}. {hit.title}{year}{mark}"


def _offered(state: ConversationState, hits: list[SearchHit], query: str) -> ConversationState:
    data = {RESULTS_KEY: ",".join(h.id for h in hits), QUERY_KEY: query[:200]}
    return state.reset().with_(flow=Flow.SEARCH_RESULTS, data=data)


async def handle_search(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Search the register and FAQ for ``text`` and answer with the best match and the runners-up."""
    lang = state.lang
    asks = mentions_request(text)
    topic = request_topic(text) if asks else ""
    answer = ctx.knowledge.search(topic or text, limit=MAX_RESULTS)  # "minta data APBD": the APBD
    if topic and not answer.hits:
        answer = ctx.knowledge.search(text, limit=MAX_RESULTS)
    hits = list(answer.hits)[:MAX_RESULTS]
    if not hits or answer.tentative:
        # officers marked questions like this as another body's: say where to go first
        referral = await ctx.gaps.referral_for(text) if ctx.gaps is not None else None
        if referral and not hits:
            return referred(text, referral, state, ctx)
        if not hits:
            return not_found(text, state, answer, ctx.body_name)
        tentative = maybe(text, hits[:MAYBE_SHOWN], state)
        if referral:  # the citizen may still mean one of ours: the list follows the referral
            first = referred(text, referral, state, ctx).replies[0]
            return Outcome((Reply(text=first.text), *tentative.replies), tentative.state, tentative.effects)
        return tentative
    best, more = hits[0], hits[1:]
    first = render_hit(best, lang)
    choices = first.choices
    if asks and not any(c.payload == "menu:request" for c in choices):
        choices = (*choices, Choice(t("choice_request", lang), "menu:request"))  # "minta data APBD"
    replies = [Reply(text=t("search_best", lang, entry=first.text), choices=choices, link=first.link)]
    if more:
        lines = [t("search_more", lang)]
        lines += [_list_line(n, hit, lang) for n, hit in enumerate(more, start=2)]
        choices = tuple(_numbered_choice(n, hit) for n, hit in enumerate(more, start=2))
        replies.append(Reply(text="\n".join(lines), choices=choices))
    last = replies[-1]  # "Bukan ini" goes under the last reply, after the choices it offers
    replies[-1] = Reply(
        text=last.text,
        choices=(*last.choices, Choice(t("choice_unhelpful", lang), UNHELPFUL_PAYLOAD)),
        link=last.link,
    )
    effects = (ServiceCounted(ServiceKind.ANSWERED),)
    return Outcome(tuple(replies), _offered(state, hits, text), effects)


def maybe(text: str, hits: list[SearchHit], state: ConversationState) -> Outcome:
    """Middling evidence: "mungkin yang Anda maksud" with the best few as a numbered list, and the
    way out (other words, a formal request, an officer) rather than a bare "not found"."""
    lang = state.lang
    lines = [t("search_maybe", lang)]
    lines += [_list_line(n, hit, lang) for n, hit in enumerate(hits, start=1)]
    lines.append(t("search_maybe_else", lang))
    choices = (
        *(_numbered_choice(n, hit) for n, hit in enumerate(hits, start=1)),
        Choice(t("choice_request", lang), "menu:request"),
        Choice(t("choice_officer", lang), "menu:officer"),
    )
    outcome_state = _offered(state, hits, text)
    effects = (gap_observed(text, GapReason.MAYBE),)
    return Outcome((Reply(text="\n".join(lines), choices=choices),), outcome_state, effects)


def not_found(text: str, state: ConversationState, answer: SearchAnswer, body: str) -> Outcome:
    """Abstain politely: offer the FAQ, a formal request or an officer. When the search knows why,
    say it: a year the register does not hold (with the edition it does hold, and a formal request
    for the other year, UU 14/2008 Pasal 22), another region, or another body's service (Pasal
    22(7) b: the PPID says it does not hold it)."""
    lang = state.lang
    query = _shorten(text, QUERY_ECHO_CHARS)
    choices = (
        Choice(t("choice_faq", lang), f"{FAQ_PREFIX}:{FAQ_LIST_ID}"),
        Choice(t("choice_request", lang), "menu:request"),
        Choice(t("choice_officer", lang), "menu:officer"),
    )
    nearest = answer.nearest if answer.other_year else None
    if nearest is not None:
        message = t("search_other_year", lang, query=query, body=body, title=nearest.title)
        choices = (Choice(short_label(nearest.title), payload(nearest)), *choices[1:])
    elif answer.elsewhere:
        message = t("search_elsewhere", lang, body=body)
    elif answer.outside:
        message = t("search_outside", lang, body=body)
    else:
        message = t("search_not_found", lang, query=query)
    reply = Reply(text=message, choices=choices)
    return Outcome((reply,), state.reset(), (gap_observed(text, GapReason.ABSTAINED),))


def referred(text: str, referral: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Nothing found, and officers marked questions like this as another body's business: say
    where to go (UU 14/2008 Pasal 22(7) b) instead of "not found". Still counted as a gap."""
    lang = state.lang
    choices = (
        Choice(t("choice_request", lang), "menu:request"),
        Choice(t("choice_officer", lang), "menu:officer"),
    )
    reply = Reply(text=t("search_referral", lang, body=ctx.body_name, referral=referral), choices=choices)
    return Outcome((reply,), state.reset(), (gap_observed(text, GapReason.ABSTAINED),))


def unhelpful(state: ConversationState) -> Outcome:
    """The citizen said the answer was not what they sought ("bukan ini"): note the question as a
    gap and offer the ways on. Without a question in the state (an old button) just the ways on."""
    lang = state.lang
    question = state.data.get(QUERY_KEY, "") if state.flow is Flow.SEARCH_RESULTS else ""
    choices = (
        Choice(t("choice_request", lang), "menu:request"),
        Choice(t("choice_officer", lang), "menu:officer"),
    )
    reply = Reply(text=t("search_unhelpful", lang), choices=choices)
    effects = (gap_observed(question, GapReason.UNHELPFUL),) if question.strip() else ()
    return Outcome((reply,), state.reset(), effects)


async def handle_show_entry(entry_id: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    """Show one entry chosen from a list (``dip:<id>``, ``faq:<id>`` or a bare id); ``faq:list``
    shows the FAQ. The last list stays in the state, so another number can still be picked."""
    lang = state.lang
    prefix, _, rest = entry_id.partition(":")
    if rest and prefix in (REGISTER_PREFIX, FAQ_PREFIX):
        entry_id = rest
    if prefix == FAQ_PREFIX and entry_id.partition(":")[0] == FAQ_LIST_ID:
        return _faq_list(state, ctx, entry_id.partition(":")[2])
    hit = ctx.knowledge.get(entry_id)
    if hit is None:
        return Outcome((Reply(text=t("search_entry_gone", lang)),), state.reset())
    keep = state if state.flow is Flow.SEARCH_RESULTS else state.reset()
    return Outcome((render_hit(hit, lang),), keep)


def _faq_list(state: ConversationState, ctx: HandlerContext, start_at: str = "") -> Outcome:
    """The FAQ, a page of questions at a time ("faq:list:9" starts at the tenth); the numbers go on
    from page to page, and every number shown so far can still be typed."""
    lang = state.lang
    start = int(start_at) if start_at.isdigit() else 0
    entries = list(ctx.knowledge.faq(start + MAX_FAQ_LISTED + 1))
    page = entries[start : start + MAX_FAQ_LISTED]
    if not page:
        return Outcome((Reply(text=t("search_entry_gone", lang)),), state.reset())
    lines = [t("search_faq_list", lang)] + [f"{n}. {hit.title}" for n, hit in enumerate(page, start + 1)]
    choices = tuple(_numbered_choice(n, hit) for n, hit in enumerate(page, start=start + 1))
    end = start + len(page)
    if len(entries) > end:
        more = t("choice_faq_more", lang, first=end + 1)
        choices += (Choice(more, f"{FAQ_PREFIX}:{FAQ_LIST_ID}:{end}"),)
        lines.append(t("search_faq_more", lang, first=end + 1))
    reply = Reply(text="\n".join(lines), choices=choices)
    return Outcome((reply,), _offered(state, entries[:end], ""))


def pick_from_results(text: str, state: ConversationState) -> str | None:
    """The id a typed number ("2", "no. 2") picks from the last list, or None."""
    if state.flow is not Flow.SEARCH_RESULTS:
        return None
    match = _NUMBER.match(text)
    ids = [i for i in state.data.get(RESULTS_KEY, "").split(",") if i]
    if not match or not ids:
        return None
    number = int(match.group(1))
    return ids[number - 1] if 1 <= number <= len(ids) else None
