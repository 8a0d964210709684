"""A new site's article folders made ahead (fast_build.folders)."""

import os
import time
from types import SimpleNamespace

from fast_build.folders import made_ahead, page_folders, stop


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
        news("gioi-thieu.html"),  # in the output folder itself, which the build makes
    ]
    assert page_folders(str(out), contents) == [
        str(out / "tin-tuc/2018/a"),
        str(out / "tin-tuc/2018/b"),
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
