"""Pages replaced by exchanging one scratch file per process (fast_build/swap.py)."""

import errno
import os
from pathlib import Path

import pytest
from fast_build import swap
from fast_build.swap import PREFIX, Swapper, remove_left_over


def page(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return str(path)


def scratch_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(PREFIX))


def test_a_replaced_pages_inode_is_the_scratch_file_of_the_next_page(tmp_path):
    first = page(tmp_path, "a/index.html", "<p>cũ A, một trang dài hơn trang mới</p>")
    second = page(tmp_path, "b/index.html", "<p>cũ B</p>")
    old_inode = os.stat(first).st_ino
    with Swapper(str(tmp_path)) as swapper:
        swapper.replace(first, "<p>mới A</p>".encode())
        swapper.replace(second, "<p>mới B</p>".encode())  # shorter: no old tail left
        assert os.stat(second).st_ino == old_inode  # no inode freed, none taken
        assert scratch_files(tmp_path) == [f"{PREFIX}{os.getpid()}"]
    assert Path(first).read_text(encoding="utf-8") == "<p>mới A</p>"
    assert Path(second).read_text(encoding="utf-8") == "<p>mới B</p>"
    assert scratch_files(tmp_path) == []  # gone with the block


def test_a_page_as_long_as_or_longer_than_the_scratch_file_keeps_all_its_bytes(tmp_path):
    """The scratch file is cut only when the new page is shorter than what it held."""
    pages = [page(tmp_path, f"{n}/index.html", "<p>1234567890</p>") for n in range(4)]
    texts = [b"<p>short</p>", b"<p>1234567890</p>", b"<p>0987654321</p>", b"<p>longer: 12345</p>"]
    with Swapper(str(tmp_path)) as swapper:
        for path, data in zip(pages, texts, strict=True):
            swapper.replace(path, data)
    assert [Path(p).read_bytes() for p in pages] == texts


def test_a_reader_of_the_old_page_goes_on_reading_the_old_page(tmp_path):
    first = page(tmp_path, "a/index.html", "<p>trang cũ, đang đọc dở</p>")
    second = page(tmp_path, "b/index.html", "<p>cũ B</p>")
    with open(first, "rb") as reader, Swapper(str(tmp_path)) as swapper:
        swapper.replace(first, b"<p>new A</p>")
        swapper.replace(second, b"<p>new B, longer than the first page was</p>")
        assert reader.read().decode() == "<p>trang cũ, đang đọc dở</p>"
    assert Path(second).read_bytes() == b"<p>new B, longer than the first page was</p>"


def test_a_hard_link_and_a_symbolic_links_target_keep_their_bytes(tmp_path):
    first = page(tmp_path, "site/a/index.html", "<p>A</p>")
    copy = tmp_path / "copy-of-a.html"
    os.link(first, copy)  # a copy of the site made with hard links
    target = tmp_path / "elsewhere.html"
    target.write_text("<p>nơi khác</p>", encoding="utf-8")
    second = tmp_path / "site" / "b.html"
    second.symlink_to(target)
    third = page(tmp_path, "site/c.html", "<p>C</p>")
    with Swapper(str(tmp_path / "site")) as swapper:
        for path in (first, str(second), third, first):
            swapper.replace(path, b"<p>new</p>")
    assert copy.read_text(encoding="utf-8") == "<p>A</p>"
    assert target.read_text(encoding="utf-8") == "<p>nơi khác</p>"
    assert not second.is_symlink() and second.read_bytes() == b"<p>new</p>"
    assert Path(third).read_bytes() == Path(first).read_bytes() == b"<p>new</p>"


def test_a_new_page_in_a_new_folder_is_the_scratch_file_renamed(tmp_path):
    path = str(tmp_path / "tin-tuc" / "2026" / "moi" / "index.html")
    with Swapper(str(tmp_path)) as swapper:
        swapper.replace(path, "<p>tin mới</p>".encode())
        assert scratch_files(tmp_path) == []
    assert Path(path).read_text(encoding="utf-8") == "<p>tin mới</p>"


@pytest.mark.parametrize("error", [errno.ENOSYS, errno.EINVAL, errno.EXDEV])
def test_where_files_cannot_be_exchanged_pages_are_replaced_as_before(tmp_path, monkeypatch, error):
    monkeypatch.setattr(swap, "exchange", lambda first, second: error)
    first = page(tmp_path, "a/index.html", "<p>cũ</p>")
    with Swapper(str(tmp_path)) as swapper:
        swapper.replace(first, b"<p>new</p>")
        swapper.replace(first, b"<p>newer</p>")
        assert swapper.usable == (error == errno.EXDEV)  # one path elsewhere, or none
    assert Path(first).read_bytes() == b"<p>newer</p>"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["index.html"]
    assert scratch_files(tmp_path) == []


def test_scratch_files_of_a_build_that_stopped_are_removed(tmp_path):
    (tmp_path / f"{PREFIX}12345").write_bytes(b"half a page")
    kept = page(tmp_path, "index.html", "<p>trang chủ</p>")
    remove_left_over(str(tmp_path))
    assert scratch_files(tmp_path) == [] and os.path.exists(kept)


def test_a_page_replaced_beside_has_open_s_mode_and_every_byte(tmp_path):
    """Written through a file descriptor: the same bytes and mode as open()'s "wb"."""
    data = "<p>Tin mới</p>".encode() * 50000  # more than one write may take at once
    path = str(tmp_path / "tin" / "index.html")  # its folder made on the way
    swap.replace_beside(path, data)
    assert Path(path).read_bytes() == data
    with open(tmp_path / "by-open.html", "wb") as handle:
        handle.write(b"x")
    assert os.stat(path).st_mode == os.stat(tmp_path / "by-open.html").st_mode
    assert os.listdir(tmp_path / "tin") == ["index.html"]


def test_a_page_that_cannot_be_written_leaves_no_scratch_file(tmp_path, monkeypatch):
    path = page(tmp_path, "a/index.html", "<p>cũ</p>")

    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(swap.os, "write", full_disk)
    with pytest.raises(OSError):
        swap.replace_beside(path, b"<p>new</p>")
    monkeypatch.undo()
    assert os.listdir(tmp_path / "a") == ["index.html"]
    assert Path(path).read_text(encoding="utf-8") == "<p>cũ</p>"
