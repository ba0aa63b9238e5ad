"""The search handler's effects: a gap (scrubbed) when it abstains or only offers "mungkin", a
counted answer and a "Bukan ini" button when it is sure; a "not ours" referral before "not found"."""

from __future__ import annotations

from dataclasses import dataclass, replace

from handlers.search import UNHELPFUL_PAYLOAD, handle_search, unhelpful
from handlers.types import ConversationState, Flow, GapObserved, GapReason, ServiceCounted, ServiceKind
from knowledge.search import Confidence, SearchAnswer
from tests.dialogs.test_search_handler import APBD, APBD_2023, FAKE, FakeKnowledge, make_ctx


@dataclass
class Referrals:
    referral: str | None = None
    asked: str = ""

    async def referral_for(self, question: str) -> str | None:
        self.asked = question
        return self.referral


class MaybeKnowledge(FakeKnowledge):
    def search(self, query: str, limit: int = 5) -> SearchAnswer:
        return SearchAnswer(query=query, hits=(APBD, APBD_2023), confidence=Confidence.MAYBE)


async def test_not_found_is_a_scrubbed_gap() -> None:
    outcome = await handle_search(
        "nik 3273010101900001 data kucing liar", ConversationState(), make_ctx(FAKE)
    )
    assert outcome.effects == (GapObserved("nik [NIK] data kucing liar", GapReason.ABSTAINED),)


async def test_maybe_is_a_gap() -> None:
    outcome = await handle_search("apbd kota", ConversationState(), make_ctx(MaybeKnowledge()))
    assert outcome.effects == (GapObserved("apbd kota", GapReason.MAYBE),)


async def test_a_sure_answer_is_counted_and_offers_bukan_ini() -> None:
    outcome = await handle_search("apbd", ConversationState(), make_ctx(FAKE))
    assert outcome.effects == (ServiceCounted(ServiceKind.ANSWERED),)
    assert outcome.replies[-1].choices[-1].payload == UNHELPFUL_PAYLOAD
    assert outcome.state.flow is Flow.SEARCH_RESULTS
    said = unhelpful(outcome.state)
    assert said.effects == (GapObserved("apbd", GapReason.UNHELPFUL),) and said.state.flow is Flow.NONE
    assert unhelpful(ConversationState()).effects == ()  # an old button: nothing to note


async def test_not_ours_referral_comes_before_not_found() -> None:
    gaps = Referrals("Silakan sampaikan ke SP4N-LAPOR! di lapor.go.id.")
    ctx = replace(make_ctx(FAKE), gaps=gaps)
    outcome = await handle_search("jalan rusak depan rumah", ConversationState(), ctx)
    assert "SP4N-LAPOR!" in outcome.replies[0].text and "bukan kewenangan" in outcome.replies[0].text
    assert outcome.effects == (GapObserved("jalan rusak depan rumah", GapReason.ABSTAINED),)
    plain = await handle_search(
        "jalan rusak depan rumah", ConversationState(), replace(ctx, gaps=Referrals())
    )
    assert "belum menemukan" in plain.replies[0].text
    sure = await handle_search("apbd", ConversationState(), ctx)
    assert gaps.asked == "jalan rusak depan rumah" and "SP4N" not in sure.replies[0].text


async def test_a_tentative_answer_is_preceded_by_the_referral() -> None:
    ctx = replace(make_ctx(MaybeKnowledge()), gaps=Referrals("Silakan ke SP4N-LAPOR!."))
    outcome = await handle_search("jalan rusak apbd", ConversationState(), ctx)
    referral, tentative = outcome.replies
    assert "SP4N-LAPOR!" in referral.text and not referral.choices
    assert "Mungkin yang Anda maksud" in tentative.text and outcome.state.flow is Flow.SEARCH_RESULTS
    assert outcome.effects == (GapObserved("jalan rusak apbd", GapReason.MAYBE),)
