"""An incremental build gives, byte for byte, what a clean build of the same content gives.

Each case builds the sample portal, changes one thing, rebuilds over the same output
folder and cache, then compares with a clean build (new folder, new cache). Builds run
as `pelican` does, in their own process, with workers from the first page, so the forked
paths are the ones checked.
"""

import functools

import pytest
from rebuilds import WORKERS_ALWAYS, assert_same_tree, copy_portal, edit, pelican, tree

ARTICLES = "tin-tuc/2018"


def edit_body(content, theme):
    with open(content / ARTICLES / "2018-10-19-chu-ky-so.md", "a", encoding="utf-8") as handle:
        handle.write("\nĐoạn văn thêm vào khi sửa bài.\n")


def edit_keeping_size(content, theme):
    """Same size, a moment later: the file's change time still tells it was written."""
    source = content / ARTICLES / "2018-10-19-chu-ky-so.md"
    text = source.read_text(encoding="utf-8")
    at = text.rindex("a")
    source.write_text(text[:at] + "o" + text[at + 1 :], encoding="utf-8")


def add_article(content, theme):
    source = (content / ARTICLES / "2018-10-19-chu-ky-so.md").read_text(encoding="utf-8")
    new = source.replace("Title: ", "Title: Tin mới: ", 1).replace(
        "Date: 2018-10-19", "Date: 2018-11-10"
    )
    (content / ARTICLES / "2018-11-10-tin-moi.md").write_text(new, encoding="utf-8")


def add_oldest_article(content, theme):
    """Older than every other: the first pages of each listing keep their items, and
    are not rendered again (their pages' digests follow what they show)."""
    source = (content / ARTICLES / "2018-10-19-chu-ky-so.md").read_text(encoding="utf-8")
    new = source.replace("Title: ", "Title: Tin cũ nhất: ", 1).replace(
        "Date: 2018-10-19", "Date: 2018-08-01"
    )
    (content / ARTICLES / "2018-08-01-tin-cu-nhat.md").write_text(new, encoding="utf-8")


def delete_article_and_photo(content, theme):
    (content / ARTICLES / "2018-08-24-vinh-ha-long-du-lich.md").unlink()
    (content / "images/2018/vinh-ha-long.jpg").unlink()


def rename_article(content, theme):
    old = content / ARTICLES / "2018-09-14-van-don-don-dich-vu.md"
    new = old.with_name("2018-09-14-van-don.md")
    old.rename(new)
    edit(new, "Title: ", "Title: Vân Đồn: ")


def edit_older_title(content, theme):
    """Newer articles list it under "Các tin khác": their pages must follow."""
    edit(content / ARTICLES / "2018-09-07-ke-hoach-thang-9.md", "Title: ", "Title: Đã sửa: ")


def replace_photo(content, theme):
    """Same name, other size: the article's width and height attributes must follow."""
    from PIL import Image

    photo = content / "images/2018/bo-phan-mot-cua.jpg"
    with Image.open(photo) as image:
        image.resize((image.width // 2, image.height // 2)).save(photo, quality=80)


def attach_document(content, theme):
    """An {attach} link moves the file next to the article, while pages are rendered."""
    (content / "images/2018/huong-dan-ky-so.pdf").write_bytes(b"%PDF-1.4 huong dan\n")
    with open(content / ARTICLES / "2018-10-19-chu-ky-so.md", "a", encoding="utf-8") as handle:
        handle.write("\n[Tải hướng dẫn ký số]({attach}/images/2018/huong-dan-ky-so.pdf)\n")


def answer_question(content, theme):
    edit(content / "hoi-dap/cap-lai-ma-bien-nhan.md", "Ông có thể", "Ông hoàn toàn có thể")


def change_template(content, theme):
    edit(theme / "templates/base.html", "</footer>", "<p>Mẫu trang đã sửa.</p></footer>")


def change_unit_data(content, theme):
    edit(content / "data/don-vi.yaml", "Liên cơ quan số 3", "Liên cơ quan số 4")


@pytest.mark.parametrize(
    "change",
    [
        edit_body,
        edit_keeping_size,
        add_article,
        add_oldest_article,
        delete_article_and_photo,
        rename_article,
        edit_older_title,
        replace_photo,
        attach_document,
        answer_question,
        change_template,
        change_unit_data,
    ],
)
def test_incremental_build_equals_clean_build(tmp_path, change):
    content, theme = copy_portal(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(content, output, cache, theme, WORKERS_ALWAYS)
    before = tree(output)

    change(content, theme)
    pelican(content, output, cache, theme, WORKERS_ALWAYS)
    pelican(content, tmp_path / "clean", tmp_path / "clean-cache", theme, WORKERS_ALWAYS)
    assert_same_tree(output, tmp_path / "clean")
    assert tree(output) != before, "the change changed nothing: the case tests nothing"


@pytest.mark.parametrize("change", [add_article, delete_article_and_photo, rename_article])
def test_make_html_incremental_build_equals_clean_build(tmp_path, change):
    """`make html` keys the sources from the stamps it took as it began."""
    content, theme = copy_portal(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    make_html = functools.partial(
        pelican, fast_build=WORKERS_ALWAYS, command_line="fast_build.build"
    )
    make_html(content, output, cache, theme)
    change(content, theme)
    make_html(content, output, cache, theme)
    make_html(content, tmp_path / "clean", tmp_path / "clean-cache", theme)
    assert_same_tree(output, tmp_path / "clean")


def test_unchanged_rebuild_rewrites_nothing(tmp_path):
    content, theme = copy_portal(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    first = pelican(content, output, cache, theme, WORKERS_ALWAYS)
    # the 14 articles, read ahead on both cores, are read once: their keys noted meanwhile
    assert "sources read for their text keys, 14 left to their reading" in first
    pages = sorted(output.rglob("*.html"))
    times = {p: p.stat().st_mtime_ns for p in pages}
    printed = pelican(content, output, cache, theme, WORKERS_ALWAYS)
    assert [p for p in pages if p.stat().st_mtime_ns != times[p]] == []
    # and reads no source and renders no page: every input is the same
    assert f"({len(pages)} pages not rendered again" in printed
    assert "ArticlesGenerator: 14 sources as the last build read them, 0 read anew" in printed
    assert "0 sources read for their text keys, 0 left to their reading" in printed
    questions, services = (
        len(list((content / f).glob("*.md"))) for f in ("hoi-dap", "dich-vu-cong")
    )
    assert f"QuestionsGenerator: {questions} sources as the last build read them, 0 read" in printed
    assert f"ServicesGenerator: {services} sources as the last build read them, 0 read" in printed


def test_a_kept_article_is_checked_again_when_its_photo_goes(tmp_path):
    content, theme = copy_portal(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(content, output, cache, theme)
    (content / "images/2018/bo-phan-mot-cua.jpg").unlink()
    printed = pelican(content, output, cache, theme, expect_failure=True)
    assert "không tìm thấy ảnh 'images/2018/bo-phan-mot-cua.jpg'" in printed


def test_damaged_cache_is_set_aside_and_made_again(tmp_path):
    content, theme = copy_portal(tmp_path)
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(content, output, cache, theme)
    for name in ("markdown.sqlite3", "reads.sqlite3"):
        for leftover in cache.glob(f"{name}-*"):
            leftover.unlink()
        (cache / name).write_bytes(b"not a database at all" * 100)
    printed = pelican(content, output, cache, theme)
    assert "hỏng" in printed and "Traceback" not in printed
    assert (cache / "markdown.sqlite3.hong").exists()
    assert (cache / "reads.sqlite3.hong").exists()
    pelican(content, tmp_path / "clean", tmp_path / "clean-cache", theme)
    assert_same_tree(output, tmp_path / "clean")


def test_clean_builds_agree_whatever_the_hash_seed(tmp_path):
    """Pelican finds files in a set, whose order changes with Python's hash seed: items
    of the same minute must still be listed alike, or no rebuild could equal a clean one."""
    content, theme = copy_portal(tmp_path)
    source = (content / ARTICLES / "2018-10-19-chu-ky-so.md").read_text(encoding="utf-8")
    for number in range(1, 8):  # same date and time, titles in no alphabetical order
        twin = source.replace("Title: ", f"Title: Tin cùng giờ {(number * 5) % 8}: ", 1)
        (content / ARTICLES / f"2018-10-19-cung-gio-{number}.md").write_text(twin, "utf-8")
    for seed in ("1", "2"):
        pelican(
            content,
            tmp_path / seed,
            tmp_path / f"cache-{seed}",
            theme,
            env={"PYTHONHASHSEED": seed},
        )
    assert_same_tree(tmp_path / "1", tmp_path / "2")
