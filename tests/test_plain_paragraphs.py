"""Plain paragraphs get Python-Markdown's own HTML without its parser, and nothing else does."""

import random
from pathlib import Path

import markdown
import pytest
from fast_build.markdown_cache import convert
from fast_build.markdown_guards import guard
from fast_build.plain_paragraphs import PlainMarkdown, install, plain_html
from markdown import Markdown
from pelican.settings import DEFAULT_CONFIG

from pelicanconf import MARKDOWN

OPTIONS = {**MARKDOWN, "extensions": list(MARKDOWN["extension_configs"])}

WORDS = ["Hạ", "Long", "chữ", "UBND", "Cô", "Tô", "2014", "91,31", "số", "đạt", "x"]
PLAIN = [" ", " ", " ", ".", ",", ":", ";", "?", "!", "(", ")", "%", "/", "'", '"', "@", "$"]
PLAIN += ["-", "–", "—", "…", "“", "”", "«", "©", "→", "\n", "\n\n", "\n\n\n", "\n\n\n\n"]
# What Markdown reads as syntax, or as space, and near misses of it
SYNTAX = ["1. ", "12.", "3.5", "- ", "--", "---", ": ", "    ", " \n", "  \n", "\n ", "\n-"]
SYNTAX += ["\xa0", "\u2028", "\u3000", "\t", "\r", "\x02", "\u0301", "*", "_", "`", "[", "]"]
SYNTAX += ["<", ">", "&", "#", "+", "=", "|", "~", "{", "}", "\\", "^", "\n="]
HEADERS = ["", "", "Title: Tiêu đề\nDate: 2024-01-01\n\n", "Tin: Hạ Long\n", "---\nTitle: a\n---\n"]

SAMPLES = [
    "Đoạn một, có dấu phẩy: và hai chấm.\n\nĐoạn hai (trong ngoặc) 99,5%.",
    "QNP - Ngày 14-12, tỷ lệ đạt 91,31%.\nDòng sau của cùng đoạn.",
    "Năm 2014. Rồi 1990.\n\n1990. Năm đầu tiên",
    "1. mục một\n2. mục hai",
    "Dòng\n---",
    "Dòng\n===",
    "Thuật ngữ\n: định nghĩa",
    "Dòng ngắt  \ndòng sau",
    "\xa0Bắt đầu bằng khoảng trắng không ngắt",
    "Dòng\u2028ngăn cách",
    "    mã thụt lề",
    "a_b và *c*",
    "Một\n\n\n\n\nHai\n\n\n",
    "“Ngoặc kép” — gạch dài… và ‘đơn’",
    "Chỉ tiêu đề: không có thân",
    "",
]


def converters(options=OPTIONS):
    reference, fast = Markdown(**options), PlainMarkdown(**options)
    guard(fast)
    assert install(fast)
    return reference, fast


def both(reference, fast, text):
    reference.reset()
    fast.reset()
    expected = reference.convert(text), getattr(reference, "Meta", None)
    found = fast.convert(text), getattr(fast, "Meta", None)
    assert found == expected, repr(text)
    return fast.skipped


@pytest.mark.parametrize("sample", SAMPLES)
def test_hand_made_texts_give_python_markdowns_html(sample):
    reference, fast = converters()
    for header in HEADERS:
        both(reference, fast, header + sample)


def test_random_texts_give_python_markdowns_html_and_most_plain_ones_skip_the_parser():
    reference, fast = converters()
    rng = random.Random(1127)
    skipped = 0
    for _ in range(6000):
        pieces = [rng.choice(WORDS if rng.random() < 0.5 else PLAIN) for _ in range(40)]
        if rng.random() < 0.5:  # one piece of syntax somewhere
            pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(SYNTAX))
        skipped += both(reference, fast, rng.choice(HEADERS) + "".join(pieces))
    # both ways are taken often: the comparison above tests the skip, not only Markdown
    assert 1500 < skipped < 4500


def test_generated_articles_skip_the_parser_with_the_same_html(tmp_path):
    from bench.generate import generate

    reference, fast = converters()
    sources = generate(40, tmp_path)
    assert all(both(reference, fast, Path(s).read_text(encoding="utf-8")) for s in sources)


def test_the_caches_conversion_gives_the_same_body_and_summary():
    settings = {**DEFAULT_CONFIG, "MARKDOWN": OPTIONS}
    reference = Markdown(**OPTIONS)
    text = "Title: Tin\nSummary: QNP - Ngày 14-12, đạt 91,31%.\n\nĐoạn một.\n\nĐoạn hai."
    converted = convert(text, settings)
    assert converted["body"] == reference.convert(text) == "<p>Đoạn một.</p>\n<p>Đoạn hai.</p>"
    summary = "QNP - Ngày 14-12, đạt 91,31%."
    assert converted["formatted"] == {summary: f"<p>{summary}</p>"}


def test_a_glossary_of_abbreviations_turns_off_the_skip():
    options = {
        **OPTIONS,
        "extension_configs": {
            **OPTIONS["extension_configs"],
            "markdown.extensions.abbr": {"glossary": {"UBND": "Ủy ban nhân dân"}},
        },
        "extensions": [*OPTIONS["extensions"], "markdown.extensions.abbr"],
    }
    reference, fast = converters(options)
    assert not both(reference, fast, "UBND tỉnh họp.")
    assert '<abbr title="Ủy ban nhân dân">UBND</abbr>' in fast.convert("UBND tỉnh họp.")
    assert not both(reference, fast, "Không có chữ viết tắt.")


def test_an_extension_it_does_not_know_converts_as_before():
    md = PlainMarkdown(extensions=["markdown.extensions.nl2br"])
    assert not install(md)
    assert md.convert("Dòng một\nDòng hai") == "<p>Dòng một<br />\nDòng hai</p>"


def test_another_python_markdown_or_converter_is_left_alone(monkeypatch):
    assert not install(Markdown(**OPTIONS))
    monkeypatch.setattr(markdown, "__version__", "3.12.0")
    assert not install(PlainMarkdown(**OPTIONS))


def test_plain_lines_and_the_others():
    assert plain_html(["Một", "hai", "", "", "Ba."]) == "<p>Một\nhai</p>\n<p>Ba.</p>"
    assert plain_html(["", ""]) is None
    for line in ["- a", ": a", " a", "a ", "2. a", "a*", "a\tb", "a\xa0b", "a\x03"]:
        assert plain_html(["Đoạn.", "", line]) is None, line
