"""The boundary sanitiser: whatever a submission sends becomes valid, visible, bounded text."""

from __future__ import annotations

import os

from autograder.sanitize import clean_text, csv_cell, fence, from_csv_cell, from_filesystem, markdown_text


def test_lone_surrogates_become_escapes_that_encode():
    text = clean_text("bad \ud800 end")
    assert text == "bad \\ud800 end"
    text.encode("utf-8")  # would raise UnicodeEncodeError before


def test_terminal_escapes_and_bidi_overrides_are_made_visible():
    assert clean_text("a\x1b[2Jb\u202ec\x00") == "a\\x1b[2Jb\\u202ec\\x00"


def test_tabs_newlines_and_korean_pass_unchanged():
    assert clean_text("평균 제곱 오차\n\tline") == "평균 제곱 오차\n\tline"


def test_long_text_is_cut_with_a_note():
    text = clean_text("x" * 10_000, limit=100)
    assert text.startswith("x" * 100) and "9900 more characters cut" in text
    assert len(text) < 140


def test_an_object_whose_str_raises_becomes_a_placeholder():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert clean_text(Hostile()) == "<unprintable>"


def test_undecodable_folder_names_become_byte_escapes_and_nfc():
    euc_kr = os.fsdecode("김민지".encode("euc-kr"))
    assert from_filesystem(euc_kr) == "\\xb1\\xe8\\xb9\\xce\\xc1\\xf6"
    nfd = "\u1100\u1175\u11b7"  # 김 decomposed, as macOS writes it
    assert from_filesystem(nfd) == "김"


def test_csv_cells_that_would_start_a_formula_are_quoted():
    assert csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert csv_cell("+1") == "'+1" and csv_cell("@sum") == "'@sum" and csv_cell("-2") == "'-2"
    assert csv_cell("kim") == "kim" and csv_cell(-2.5) == -2.5


def test_fence_is_longer_than_any_backtick_run_inside():
    block = fence("a ```` b")
    assert block.startswith("`````\n") and block.endswith("\n`````")
    assert fence("plain").startswith("```\n")


def test_csv_quoting_is_undone_exactly_by_the_readers():
    for text in ("=1+1", "'=1+1", "kim", "'quoted", "@x", "-3"):
        cell = csv_cell(text)
        assert isinstance(cell, str)  # a text cell stays text
        assert from_csv_cell(cell) == text
    assert csv_cell("'=x") == "''=x"


def test_markdown_text_shows_markup_as_itself():
    assert markdown_text("[click](https://x) **b** <i>") == \
        "\\[click\\]\\(https://x\\) \\*\\*b\\*\\* \\<i\\>"


def test_noncharacters_invalid_in_xml_are_made_visible():
    assert clean_text("a\ufffeb\uffff") == "a\\ufffeb\\uffff"


def test_a_huge_text_is_cut_before_it_is_cleaned():
    text = clean_text("\x1b" * 5_000_000, limit=100)
    assert text.startswith("\\x1b" * 25) and "4999900 more characters cut" in text
