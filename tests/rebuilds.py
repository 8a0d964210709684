"""Helpers for the tests of incremental builds and the dev server: a copy of the sample
portal to change, builds run as `pelican` runs them, output trees to compare."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

QUIET = {"PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"}  # no counter answers here
WORKERS_ALWAYS = {"markdown_cache": True, "workers": 2, "parallel_from": 1}


def copy_portal(folder: Path) -> tuple[Path, Path]:
    """The sample content and the theme, copied to be changed."""
    content, theme = folder / "content", folder / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    return content, theme


def build_options(cache: Path, theme: Path, fast_build: dict | None = None) -> list[str]:
    options = ["-s", str(ROOT / "pelicanconf.py"), "-e", "SEARCH_INDEX=null"]
    options += [f"CACHE_PATH={json.dumps(str(cache))}", f"THEME={json.dumps(str(theme))}"]
    if fast_build is not None:
        options.append(f"FAST_BUILD={json.dumps(fast_build)}")
    return options


def pelican(
    content: Path,
    output: Path,
    cache: Path,
    theme: Path,
    fast_build=None,
    expect_failure=False,
    env=None,
    command_line="pelican",
    extra=(),
) -> str:
    """Runs a build with `pelican`, or `make html`'s fast_build.build; returns what it
    printed (informative lines too, one line each)."""
    command = [sys.executable, "-m", command_line, str(content), "-o", str(output)]
    env = {"PYTHONPATH": str(ROOT / "plugins"), **(env or {})}
    command.append("--verbose")
    command += [*build_options(cache, theme, fast_build), *extra]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **QUIET, "COLUMNS": "10000", **env},  # a message a line
        capture_output=True,
        text=True,
    )
    assert (done.returncode != 0) == expect_failure, done.stderr[-3000:]
    return done.stdout + done.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def assert_same_tree(built: Path, clean: Path) -> None:
    got, expected = tree(built), tree(clean)
    assert got.keys() == expected.keys(), (
        f"left over: {sorted(got.keys() - expected.keys())}, "
        f"missing: {sorted(expected.keys() - got.keys())}"
    )
    differing = sorted(name for name in expected if got[name] != expected[name])
    assert not differing, f"differ from a clean build: {differing[:10]}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def wait_for(path: Path, text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() or text not in path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, f"{text!r} never reached {path.name}"
        time.sleep(0.1)
