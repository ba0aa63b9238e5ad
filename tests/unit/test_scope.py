"""The out-of-scope questions (knowledge.scope): one signal of the decision to answer."""

from __future__ import annotations

from knowledge.normalize import default_normalizer
from knowledge.scope import OutOfScope, default_scope, read_questions


def test_the_built_in_file_loads_and_has_no_comments_or_blank_lines() -> None:
    questions = read_questions()
    assert len(questions) >= 500
    assert all(q and not q.startswith("#") for q in questions)
    assert default_scope().postings  # built over the default normaliser


def test_cover_is_the_largest_share_one_question_holds() -> None:
    scope = OutOfScope.build(["harga emas antam hari ini", "resep nasi goreng"], default_normalizer())
    emas, antam, nasi = frozenset({"emas"}), frozenset({"antam"}), frozenset({"nasi"})
    assert scope.cover([(0.5, emas), (0.25, antam)]) == 0.75  # both in the first question
    assert scope.cover([(0.5, emas), (0.4, nasi)]) == 0.5  # in different questions: the larger
    assert scope.cover([(1.0, frozenset({"posyandu"}))]) == 0.0
    assert scope.cover([]) == 0.0


def test_a_spelling_of_a_word_counts_once_per_question() -> None:
    scope = OutOfScope.build(["harga emas hari ini"], default_normalizer())
    assert scope.cover([(0.5, frozenset({"emas", "mas"}))]) == 0.5


def test_an_engine_for_a_ppid_lexicon_builds_its_own() -> None:
    from knowledge.concepts import Concept
    from knowledge.search import SearchEngine

    plain = SearchEngine.from_entries([], [])
    taught = SearchEngine.from_entries([], [], [Concept.make("buka warung", "nib")])
    assert plain.scope is default_scope() and taught.scope is not default_scope()
    assert taught.scope.postings.keys() == plain.scope.postings.keys()
