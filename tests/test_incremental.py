"""An incremental build gives, byte for byte, what a clean build of the same content gives.

Each case builds the sample portal, changes one thing, rebuilds over the same output
folder and cache, then compares with a clean build (new folder, new cache). Builds run
as `pelican` does, in their own process, with workers from the first page, so the forked
paths are the ones checked.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

ARTICLES = "tin-tuc/2018"
OPTIONS = {"markdown_cache": True, "workers": 2, "parallel_from": 1}


def pelican(content: Path, output: Path, cache: Path, theme: Path) -> str:
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(output)]
    command += ["-s", str(ROOT / "pelicanconf.py"), "-e", "SEARCH_INDEX=null"]
    command += [f"CACHE_PATH={json.dumps(str(cache))}", f"THEME={json.dumps(str(theme))}"]
    command += [f"FAST_BUILD={json.dumps(OPTIONS)}"]
    env = {**os.environ, "PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(content, theme):
    with open(content / ARTICLES / "2018-10-19-chu-ky-so.md", "a", encoding="utf-8") as handle:
        handle.write("\nĐoạn văn thêm vào khi sửa bài.\n")


def add_article(content, theme):
    source = (content / ARTICLES / "2018-10-19-chu-ky-so.md").read_text(encoding="utf-8")
    new = source.replace("Title: ", "Title: Tin mới: ", 1).replace(
        "Date: 2018-10-19", "Date: 2018-11-10"
    )
    (content / ARTICLES / "2018-11-10-tin-moi.md").write_text(new, encoding="utf-8")


def delete_article_and_photo(content, theme):
    (content / ARTICLES / "2018-08-24-vinh-ha-long-du-lich.md").unlink()
    (content / "images/2018/vinh-ha-long.jpg").unlink()


def rename_article(content, theme):
    old = content / ARTICLES / "2018-09-14-van-don-don-dich-vu.md"
    new = old.with_name("2018-09-14-van-don.md")
    old.rename(new)
    edit(new, "Title: ", "Title: Vân Đồn: ")


def change_template(content, theme):
    edit(theme / "templates/base.html", "</footer>", "<p>Mẫu trang đã sửa.</p></footer>")


def change_unit_data(content, theme):
    edit(content / "data/don-vi.yaml", "Liên cơ quan số 3", "Liên cơ quan số 4")


@pytest.mark.parametrize(
    "change",
    [
        edit_body,
        add_article,
        delete_article_and_photo,
        rename_article,
        change_template,
        change_unit_data,
    ],
)
def test_incremental_build_equals_clean_build(tmp_path, change):
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(content, output, cache, theme)
    before = tree(output)

    change(content, theme)
    pelican(content, output, cache, theme)
    incremental = tree(output)
    pelican(content, tmp_path / "clean", tmp_path / "clean-cache", theme)
    clean = tree(tmp_path / "clean")

    assert incremental.keys() == clean.keys(), (
        f"left over: {sorted(incremental.keys() - clean.keys())}, "
        f"missing: {sorted(clean.keys() - incremental.keys())}"
    )
    differing = sorted(name for name in clean if incremental[name] != clean[name])
    assert not differing, f"differ from a clean build: {differing[:10]}"
    assert incremental != before, "the change changed nothing: the case tests nothing"


def test_unchanged_rebuild_rewrites_nothing(tmp_path):
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(content, output, cache, theme)
    pages = sorted(output.rglob("*.html"))
    times = {p: p.stat().st_mtime_ns for p in pages}
    pelican(content, output, cache, theme)
    assert [p for p in pages if p.stat().st_mtime_ns != times[p]] == []
