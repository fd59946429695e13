"""Query parsing and CJK handling, without the database."""

from aiwatch.search.text import MAX_QUERY_LENGTH, cjk_query_terms, cjk_terms, fold, parse


def shape(q):
    parsed = parse(q)
    return (
        [[(a.text, a.phrase, a.prefix, a.cjk) for a in group] for group in parsed.groups],
        [a.text for a in parsed.excluded],
    )


def test_plain_words_are_anded_and_the_last_one_is_a_prefix():
    assert shape("openai sensei") == (
        [[("openai", False, False, False)], [("sensei", False, True, False)]],
        [],
    )


def test_a_trailing_space_means_the_last_word_is_complete():
    assert shape("block ")[0][-1][0][2] is False


def test_quoted_phrases_exclusions_and_or():
    groups, excluded = shape('"export controls" chips OR semiconductors -huawei')
    assert groups == [
        [("export controls", True, False, False)],
        [("chips", False, False, False), ("semiconductors", False, False, False)],
    ]
    assert excluded == ["huawei"]


def test_unbalanced_quotes_degrade_to_a_phrase_to_the_end():
    groups, _ = shape('"free tokens')
    assert groups == [[("free tokens", True, False, False)]]


def test_hyphenated_words_stay_together():
    assert shape("gpt-4o")[0] == [[("gpt 4o", True, False, False)]]


def test_cjk_is_folded_to_simplified_and_split_from_latin():
    assert shape("華為Mate")[0] == [[("Mate", False, True, False)], [("华为", False, False, True)]]


def test_punctuation_only_and_control_characters_give_an_empty_query():
    assert parse("!!! ??? ---").is_empty
    assert parse("\x00\x01\x7f").is_empty
    assert parse("").is_empty


def test_overlong_queries_are_cut_and_flagged():
    parsed = parse("chips " * 5000)
    assert parsed.truncated
    assert len(parsed.groups) <= 16
    assert len(" ".join(parsed.words())) <= MAX_QUERY_LENGTH


def test_cjk_index_terms_are_bigrams_and_characters():
    assert cjk_terms("商汤科技 SenseTime") == "商汤 汤科 科技 商 汤 科 技"
    assert cjk_terms("English only") == ""


def test_cjk_query_terms_match_the_index():
    assert cjk_query_terms("商汤") == ["商汤"]
    assert cjk_query_terms("商汤科技") == ["商汤", "汤科", "科技"]
    assert cjk_query_terms("商") == ["商"]


def test_traditional_and_simplified_fold_together():
    assert fold("華為") == "华为"
    assert fold("商湯科技") == "商汤科技"
    assert fold("OpenAI") == "OpenAI"
