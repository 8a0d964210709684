"""The guarded patterns give Python-Markdown's HTML exactly, on hand-made and random texts."""

import random
import re
from pathlib import Path

import pytest
from fast_build.markdown_guards import GUARDS, QUIET, Guarded, GuardedRun, guard
from markdown import Markdown

from pelicanconf import MARKDOWN

# The portal's Markdown as Pelican's reader passes it: every configured extension loaded.
OPTIONS = {**MARKDOWN, "extensions": list(MARKDOWN["extension_configs"])}

# Each guarded construct, and near misses that hold part of what it needs.
SAMPLES = [
    "Đoạn văn thường, không có gì đặc biệt: chỉ chữ và dấu câu.",
    "Mã `print()` trong dòng, \\`không phải mã\\`, và ``hai `dấu` huyền``.",
    "Hai gạch chéo \\\\`mã sau gạch chéo` rồi hết.",
    '[Liên kết](https://quangninh.gov.vn "Tiêu đề"), ![ảnh](anh.jpg), [tham chiếu][ub]',
    "[ub]: https://quangninh.gov.vn/ubnd\n\nXem [ub] và [UB][] nữa.",
    "Dấu ngoặc [không phải liên kết] và !dấu than [x].",
    "Thuật ngữ\n: Định nghĩa của thuật ngữ\n:   Định nghĩa thứ hai",
    "Giờ làm việc: 7:30 – 17:00\nĐịa chỉ:Hạ Long",
    "> Trích dẫn một dòng\n> dòng hai\n\nvà 3 > 2 trong câu.",
    "# Tiêu đề một\n\n## Tiêu đề hai ##\n\nSố #5 và dấu # lẻ.",
    "Tiêu đề gạch\n===========\n\nTiêu đề nhỏ\n-----------",
    "Dòng có dấu - ở giữa\n- mục danh sách\n- mục hai",
    "---\n\n* * *\n\n___\n\n- - -\n\nhết",
    "Chú thích[^1] trong câu.\n\n[^1]: Nội dung chú thích.\n\nKhông phải [^chú thích].",
    "Viết tắt UBND.\n\n*[UBND]: Ủy ban nhân dân\n\n*[ không viết tắt",
    "```\nmã khối\n```\n\n~~~ python\nx = 1\n~~~\n\n``không khối``",
    "| Cột | Số |\n| --- | ---: |\n| Hạ Long | 1.234 |",
    "Dòng ngắt  \ndòng sau, <b>HTML</b> &amp; &#273; <https://quangninh.gov.vn>",
    "1. một\n2. hai\n\n    mã thụt lề\n\n* sao _nghiêng_ **đậm** ***cả hai***",
]
ALPHABET = list("`[]()!#>:-=*_^~\\<&| \n\n\n.1aăĐ{}\t") + [": ", "]:", "*[", "[^", "```", "~~~"]
ALPHABET += ["<div>", "</div>", "<b>", "&amp;", "&#273;", "<!-- x -->", '<p markdown="1">']
ALPHABET += ["\r", "\r\n", "  \n", "\n   \n", "\x02", "\x03", "    "]


def converters():
    plain, guarded = Markdown(**OPTIONS), Markdown(**OPTIONS)
    return plain, guarded, guard(guarded)


def html(md, text):
    md.reset()
    return md.convert(text)


def test_every_guard_applies_to_the_pinned_python_markdown():
    # A new Python-Markdown with other patterns leaves them unguarded (still correct):
    # this says so, so the table is looked at again rather than silently unused.
    *_, guarded = converters()
    expected = [f"{where}:{name}" for where, name, _ in GUARDS]
    expected += [f"{where}:{name}" for where, name in QUIET]
    assert sorted(guarded) == sorted(expected)


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_guarded_converter_writes_the_same_html(sample):
    plain, guarded, _ = converters()
    assert html(guarded, sample) == html(plain, sample)
    whole = "\n\n".join(SAMPLES)
    assert html(guarded, whole) == html(plain, whole)


def test_random_texts_of_markdown_punctuation_give_the_same_html():
    plain, guarded, _ = converters()
    rng = random.Random(2026)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 60)))
        assert html(guarded, text) == html(plain, text), repr(text)


def test_generated_articles_give_the_same_html(tmp_path):
    from bench.generate import generate

    plain, guarded, _ = converters()
    for source in generate(40, tmp_path):
        text = Path(source).read_text(encoding="utf-8")
        assert html(guarded, text) == html(plain, text)


def test_another_expression_is_left_unguarded():
    md = Markdown(**OPTIONS)
    md.parser.blockprocessors["quote"].RE = re.compile(r"(^|\n)[ ]{0,3}»[ ]?(.*)")
    guarded = guard(md)
    assert "block:quote" not in guarded
    assert not isinstance(md.parser.blockprocessors["quote"].RE, Guarded)
    assert guard(md) == []  # twice: nothing guarded twice


@pytest.mark.parametrize("pos, endpos", [(0, 99), (3, 99), (-5, 99), (0, 4), (2, -1), (6, 3)])
def test_a_guard_searches_the_same_span_as_the_expression(pos, endpos):
    regex = re.compile(r"\[")
    guarded = Guarded(regex, ("[",))
    for text in ["ab[cd", "[abcd", "abcd[", "abcd"]:
        for method in ("search", "match"):
            expected = getattr(regex, method)(text, pos, endpos)
            found = getattr(guarded, method)(text, pos, endpos)
            assert (found and found.span()) == (expected and expected.span())
        expected = [m.span() for m in regex.finditer(text, pos, endpos)]
        assert [m.span() for m in guarded.finditer(text, pos, endpos)] == expected


def test_a_quiet_preprocessor_runs_only_on_a_text_it_acts_on():
    seen = []
    run = GuardedRun(lambda lines: seen.append(lines) or ["đã chạy"], ("<", "&"))
    plain = ["Đoạn một.", "", "Đoạn hai: 3 > 2."]
    assert run(plain) is plain and not seen
    assert run(["Có <b>thẻ</b>."]) == ["đã chạy"]
    assert run(["Có", "&amp; ở dòng sau"]) == ["đã chạy"]


def test_another_python_markdown_runs_the_html_block_preprocessor_unguarded(monkeypatch):
    monkeypatch.setattr("markdown.__version__", "3.12.0")
    md = Markdown(**OPTIONS)
    assert "pre:html_block" not in guard(md)
    assert "run" not in vars(md.preprocessors["html_block"])


def test_quiet_preprocessors_give_exactly_what_they_would_have_run_to():
    plain, guarded, _ = converters()
    rng = random.Random(27)
    pieces = [*ALPHABET, "chữ", " ", "\n", "\n\n"]
    for _ in range(3000):
        lines = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))).split("\n")
        for _where, name in QUIET:
            assert "run" in vars(guarded.preprocessors[name])
            expected = plain.preprocessors[name].run(list(lines))
            assert guarded.preprocessors[name].run(list(lines)) == expected, repr(lines)
    # a last line of spaces is blank once the text gains its closing line ends
    whitespace = guarded.preprocessors["normalize_whitespace"].run
    assert whitespace(["Đoạn.", "   "]) == ["Đoạn.", "", "", ""]
