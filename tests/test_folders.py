"""A new site's page folders made ahead (fast_build.folders)."""

import os
import time
from types import SimpleNamespace

from conftest import build, write_content
from conftest import news as news_text
from fast_build import folders
from fast_build.folder_maker import folders_of
from fast_build.folders import made_ahead, make_folders, published_pages, stop


def news(save_as: str, status: str = "published") -> SimpleNamespace:
    return SimpleNamespace(save_as=save_as, status=status)


def test_the_folders_of_published_pages_inside_the_output_each_once(tmp_path):
    out = tmp_path / "out"
    contents = [
        news("tin-tuc/2018/b/index.html"),
        news("tin-tuc/2018/a/index.html"),
        news("tin-tuc/2018/a/index.html"),  # the same page again: one folder
        news("ban-nhap/c/index.html", status="draft"),  # a draft's page is not always written
        news(""),  # no page at all
        news("../ngoai/index.html"),  # outside the output: Pelican refuses it
        news("/etc/ngoai/index.html"),  # an absolute path outside it too
        news("gioi-thieu.html"),  # in the output folder itself, which the build makes
    ]
    pages = published_pages(contents)
    assert "ban-nhap/c/index.html" not in pages and "" not in pages
    assert (
        folders_of(str(out), pages)
        == [
            str(out / "tin-tuc"),
            str(out / "tin-tuc/2018"),
            str(out / "tin-tuc/2018/a"),
            str(out / "tin-tuc/2018/b"),
        ][2:]
    )
    assert folders_of(str(out), [f"{out}/the/a/page/2/index.html", ""]) == [
        str(out / "the/a/page/2")
    ]


def test_the_folders_are_made_by_another_process_until_it_is_stopped(tmp_path):
    out = tmp_path / "out"
    contents = [news(f"tin-tuc/2018/tin-{n}/index.html") for n in range(50)]
    maker = made_ahead(str(out), contents)
    assert maker.pid != os.getpid()
    for _ in range(200):  # a Python process starts, then makes them
        if maker.poll() is not None:
            break
        time.sleep(0.05)
    stop(maker)
    assert sorted(os.listdir(out / "tin-tuc/2018")) == sorted(f"tin-{n}" for n in range(50))
    assert not os.path.exists(maker.listed)  # its list of folders is gone
    assert made_ahead(str(out), [news("")]) is None  # nothing to make: no process
    stop(None)


def test_a_maker_stopped_before_it_reads_its_list_leaves_no_list_behind(tmp_path):
    maker = made_ahead(str(tmp_path / "out"), [news("tin/a/index.html")])
    stop(maker)  # at once: most likely before Python has even started
    assert maker.returncode is not None and not os.path.exists(maker.listed)


def test_a_maker_that_cannot_start_leaves_the_folders_to_the_pages(tmp_path, monkeypatch):
    import subprocess
    import tempfile

    def no_python(*args, **kwargs):
        raise FileNotFoundError("python")

    monkeypatch.setattr(subprocess, "Popen", no_python)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tam"))
    (tmp_path / "tam").mkdir()
    assert made_ahead(str(tmp_path / "out"), [news("tin/a/index.html")]) is None
    assert list((tmp_path / "tam").iterdir()) == []  # its list removed
    assert not (tmp_path / "out").exists()


def wait_for(maker) -> None:
    for _ in range(200):  # a Python process starts, then makes them
        if maker.poll() is not None:
            return
        time.sleep(0.05)


def test_the_folders_of_noted_pages_inside_the_output_each_once(tmp_path):
    out = tmp_path / "out"
    paths = [
        f"{out}/the/giao-ban/index.html",
        f"{out}/the/giao-ban/page/2/index.html",
        f"{out}/the/giao-ban/page/2/index.html",  # noted twice: one folder
        f"{out}/index.html",  # in the output folder itself, which the build makes
        f"{tmp_path}/ngoai/index.html",  # outside the output
        f"{out}-khac/index.html",  # beside it, under a name that begins with its own
    ]
    maker = make_folders(str(out), paths)
    wait_for(maker)
    stop(maker)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
        "the",
        "the/giao-ban",
        "the/giao-ban/page",
        "the/giao-ban/page/2",
    ]
    assert not (tmp_path / "ngoai").exists() and not (tmp_path / "out-khac").exists()
    assert make_folders(str(out), []) is None  # no page: no process


def test_a_new_site_has_its_listings_folders_made_until_its_pages_are_rendered(
    tmp_path, monkeypatch
):
    from fast_build import plugin, writer

    events, made = [], []

    def making(output, pages):
        made.append(folders_of(output, pages))
        events.append("listings" if "/the/" in "".join(pages) else "articles")
        return f"maker {len(made)}"

    def stopping(maker):
        if maker is not None:
            events.append(f"stop {maker}")

    rendering = writer.run_in_lanes

    def rendered(*args, **kwargs):
        events.append("render")
        return rendering(*args, **kwargs)

    monkeypatch.setattr(folders, "make_folders", making)
    monkeypatch.setattr(plugin, "make_folders", making)
    monkeypatch.setattr(plugin, "stop", stopping)
    monkeypatch.setattr(writer, "run_in_lanes", rendered)
    files = {
        f"tin-tuc/tin-{n}.md": news_text(f"Tin {n}", f"2024-05-{n + 1:02d} 08:00", tags="giao ban")
        for n in range(3)
    }
    write_content(tmp_path / "content", files)
    out = tmp_path / "out"
    options = {"FAST_BUILD": {"workers": 2, "parallel_from": 1}, "SEARCH_INDEX": None}
    build(tmp_path / "content", out, **options)
    assert events.index("listings") < events.index("stop maker 2") < events.index("render")
    listed = made[events.index("listings")]
    assert f"{out}/the/giao-ban" in listed and f"{out}/chuyen-muc/tin-dia-phuong" in listed
    assert not any(folder.startswith(f"{out}/tin-tuc/2024") for folder in listed)  # articles'
    assert (out / "the/giao-ban/index.html").is_file()  # what the maker never made

    events.clear()  # a build into an output that is there already: no maker
    build(tmp_path / "content", out, **options)
    assert events == ["render"]
