"""The search index's pieces, called directly: folding, keys, postings, pages, versions."""

import json
import os
import time
import unicodedata

import pytest
from search_index import build_index
from search_index.builder import GROUP
from search_index.extract import extract, page_url
from search_index.folding import fold, keys
from search_index.indexer import RETIRED_KEPT
from search_index.postings import posting, read_posting, read_varint, shard_of, varint


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đảng ủy", "dang uy"),
        ("ĐÔNG TRIỀU", "dong trieu"),
        ("Hoành Bồ, Cẩm Phả", "hoanh bo, cam pha"),
        ("uỷ ban", "uy ban"),  # the old tone placement folds the same
        ("Quảng Ninh 2018", "quang ninh 2018"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_keys_are_syllables_and_neighbouring_pairs_within_a_clause():
    found = keys("Đông Triều, Hạ Long")
    assert ("dong trieu", "đông triều") in found
    assert ("ha long", "hạ long") in found
    assert ("dong", "đông") in found
    assert not any(key == "trieu ha" for key, _ in found)  # the comma ends the clause


def test_nfd_text_gives_the_same_keys():
    text = "Chữ ký số của Đảng ủy"
    assert keys(unicodedata.normalize("NFD", text)) == keys(text)


def test_postings_read_back():
    numbers = [0, 1, 2, 130, 20_000, 3_000_000]
    out = bytearray()
    posting(numbers, out)
    assert read_posting(bytes(out), 0) == (numbers, len(out))
    out = bytearray()
    varint(300, out)
    assert bytes(out) == b"\xac\x02" and read_varint(bytes(out), 0) == (300, 2)


def test_shard_hash_is_fnv1a():
    assert shard_of("a", 2**32) == 0xE40C292C  # FNV-1a's published value for "a"
    assert shard_of("", 2**32) == 0x811C9DC5


def page(title, body="", date=None, lead=None, filters=None, marked=True):
    meta = ""
    if date:
        meta += f'<time datetime="{date}T08:00:00+07:00" data-search-meta="date">{date}</time>'
    if lead:
        meta += f'<div data-search-meta="lead">{lead}</div>'
    hidden = "".join(
        f'<span data-search-filter="{name}">{value}</span>'
        for name, value in (filters or {}).items()
    )
    mark = " data-search-body" if marked else ""
    return (
        f"<html><head><title>{title} – Cổng</title></head><body><nav>Trang chủ</nav>"
        f"<article{mark}><h1>{title}</h1>{meta}<p>{body}</p>"
        f"<p data-search-ignore><button>In bài viết</button></p></article>"
        f"<div hidden>{hidden}</div><section>Các tin khác</section></body></html>"
    ).encode()


def test_extract_reads_the_marked_parts_only():
    html = page(
        "Hạ Long họp dân",
        "Nội dung cuộc họp.",
        date="2018-11-08",
        lead="Tóm tắt cuộc họp.",
        filters={"loai": "Tin tức", "nam": "2018"},
    )
    record = extract(html, "tin-tuc/2018/ha-long/index.html")
    assert record.url == "/tin-tuc/2018/ha-long/"
    assert record.title == "Hạ Long họp dân"
    assert record.lead == "Tóm tắt cuộc họp."
    assert record.sort_date.startswith("2018-11-08")
    assert record.filters == {"loai": "Tin tức", "nam": "2018"}
    assert "Nội dung cuộc họp." in record.text
    assert "In bài viết" not in record.text  # ignored inside the body
    assert "Các tin khác" not in record.text and "Trang chủ" not in record.text
    assert extract(page("Danh sách", marked=False), "tin-tuc/index.html") is None


def test_a_page_without_a_lead_shows_the_start_of_its_text():
    record = extract(page("Đơn vị", "chữ " * 200), "don-vi/a/index.html")
    assert record.lead.startswith("Đơn vị chữ chữ") and record.lead.endswith(" …")
    assert len(record.lead) <= 245
    assert page_url("404.html") == "/404.html"


def site(root, pages: dict) -> None:
    for name, html in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html)


def read_index(output):
    entry = json.loads((output / "chi-muc/index.json").read_text())
    return entry, output / "chi-muc" / entry["path"]


def lookup(version, entry, key):
    """A key's exact forms and their pages, read as search.js reads them."""
    data = (version / f"k/{shard_of(key, entry['shards'])}.bin").read_bytes()
    count, at = read_varint(data, 0)
    for _ in range(count):
        length, at = read_varint(data, at)
        name, at = data[at : at + length].decode(), at + length
        forms, at = read_varint(data, at)
        found = {}
        for _ in range(forms):
            length, at = read_varint(data, at)
            exact, at = data[at : at + length].decode(), at + length
            title, at = read_posting(data, at)
            other, at = read_posting(data, at)
            found[exact] = (title, other)
        if name == key:
            return found
    return {}


def test_index_numbers_pages_newest_first_and_keeps_exact_forms(tmp_path):
    pages = {
        f"tin-tuc/{n}/index.html": page(f"Tin số {n}", "Huyện Đông Triều", date=f"2018-01-{n:02}")
        for n in range(1, 26)
    }
    pages["don-vi/dong-trieu/index.html"] = page("Thị xã Đông Triều", "Đồng Triều là tên khác")
    pages["tin-tuc/index.html"] = page("Tin tức", "Đông Triều", marked=False)
    site(tmp_path, pages)
    entry = build_index(tmp_path, "chi-muc", workers=1)
    assert entry["pages"] == 26 and entry["group"] == GROUP
    _, version = read_index(tmp_path)
    first = json.loads((version / "p/0.json").read_text())
    assert first[0][0] == "/tin-tuc/25/" and first[1][0] == "/tin-tuc/24/"
    last = json.loads((version / f"p/{25 // GROUP}.json").read_text())
    assert last[-1][0] == "/don-vi/dong-trieu/"  # undated pages come after the dated ones
    forms = lookup(version, entry, "dong trieu")
    assert forms["đông triều"] == ([25], list(range(25)))
    assert forms["đồng triều"] == ([], [25])
    assert lookup(version, entry, "tin tuc") == {}  # the listing is not indexed


def test_both_cores_give_the_same_index_as_one(tmp_path):
    pages = {
        f"tin-tuc/{n}/index.html": page(f"Tin {n}", f"Nội dung {n % 7} của xã", date="2018-02-03")
        for n in range(300)
    }
    site(tmp_path, pages)
    one = build_index(tmp_path, "chi-muc", workers=1)["path"]
    two = build_index(tmp_path, "chi-muc", workers=2)["path"]
    assert one == two


def test_a_new_index_replaces_the_old_whole_and_the_old_stays_a_while(tmp_path):
    site(tmp_path, {"a/index.html": page("Tin A", "Móng Cái")})
    old = build_index(tmp_path, "chi-muc", workers=1)["path"]
    assert build_index(tmp_path, "chi-muc", workers=1)["path"] == old  # same pages, same index
    site(tmp_path, {"b/index.html": page("Tin B", "Cô Tô")})
    new = build_index(tmp_path, "chi-muc", workers=1)["path"]
    folder = tmp_path / "chi-muc"
    assert new != old and (folder / old).is_dir() and (folder / new).is_dir()
    long_ago = time.time() - RETIRED_KEPT - 60
    os.utime(folder / old, (long_ago, long_ago))
    site(tmp_path, {"c/index.html": page("Tin C", "Bình Liêu")})
    newest = build_index(tmp_path, "chi-muc", workers=1)["path"]
    assert sorted(p.name + "/" for p in folder.iterdir() if p.is_dir()) == sorted([new, newest])
