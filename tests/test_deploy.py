"""deploy/deploy.py: new release, atomic switch, five kept, rollback; a failed copy changes
nothing. The SSH path runs for real through rsync, with a stand-in `ssh` on loopback."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

DEPLOY = ROOT / "deploy" / "deploy.py"


def build(folder: Path, text: str) -> Path:
    """A tiny stand-in for a finished production build."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    (folder / "theme").mkdir(exist_ok=True)
    (folder / "theme" / "portal.css").write_text("body{}", encoding="utf-8")
    (folder / ".build-info.json").write_text(json.dumps({"built_at": text}), encoding="utf-8")
    return folder


def deploy(*args, env=None):
    return subprocess.run(
        [sys.executable, str(DEPLOY), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def served(target: Path) -> str:
    return (target / "current" / "index.html").read_text(encoding="utf-8")


def test_deploy_switch_keep_five_and_roll_back(tmp_path):
    target = tmp_path / "srv"
    for number in range(7):
        result = deploy("deploy", build(tmp_path / f"b{number}", f"bản {number}"), target)
        assert result.returncode == 0, result.stderr
        assert served(target) == f"bản {number}"
    releases = sorted(os.listdir(target / "releases"))
    assert len(releases) == 5
    assert os.readlink(target / "current") == f"releases/{releases[-1]}"
    assert not [p for p in os.listdir(target) if p.startswith(".")]  # no temporary leftovers
    assert deploy("rollback", target).returncode == 0
    assert served(target) == "bản 5"
    assert deploy("rollback", target).returncode == 0
    assert served(target) == "bản 4"
    listing = deploy("list", target).stdout.splitlines()
    assert len(listing) == 5 and listing[2].startswith("* ")  # two back from the newest


def test_unchanged_files_are_hard_links_to_the_live_release(tmp_path):
    target = tmp_path / "srv"
    deploy("deploy", build(tmp_path / "a", "một"), target)
    second_build = build(tmp_path / "b", "hai")
    os.utime(second_build / "theme/portal.css", (1, 1))  # rebuilt: same bytes, a new date
    deploy("deploy", second_build, target)
    first, second = sorted((target / "releases").iterdir())
    assert (first / "theme/portal.css").stat().st_ino == (second / "theme/portal.css").stat().st_ino


def test_refuses_a_build_that_did_not_finish(tmp_path):
    source = build(tmp_path / "b", "dở dang")
    (source / ".build-info.json").unlink()
    result = deploy("deploy", source, tmp_path / "srv")
    assert result.returncode == 1 and "make publish" in result.stderr
    assert not (tmp_path / "srv" / "current").exists()


def test_failed_copy_leaves_current_untouched(tmp_path):
    target = tmp_path / "srv"
    deploy("deploy", build(tmp_path / "a", "đang chạy"), target)
    broken = tmp_path / "bin"
    broken.mkdir()
    rsync = broken / "rsync"
    rsync.write_text(
        "#!/bin/sh\necho 'rsync: write failed: No space left on device' >&2\nexit 11\n"
    )
    rsync.chmod(rsync.stat().st_mode | stat.S_IEXEC)
    result = deploy(
        "deploy",
        build(tmp_path / "b", "mới"),
        target,
        env={"PATH": f"{broken}:{os.environ['PATH']}"},
    )
    assert result.returncode == 1 and "No space left on device" in result.stderr
    assert served(target) == "đang chạy"
    assert len(os.listdir(target / "releases")) == 1
    assert not [p for p in os.listdir(target) if p.startswith(".incoming")]


@pytest.fixture
def loopback_ssh(tmp_path):
    """An `ssh` that runs the remote command here: the real rsync-over-ssh path, no network."""
    script = tmp_path / "fake-ssh"
    script.write_text(
        "#!/bin/sh\n"
        'while true; do case "$1" in -l|-p|-o|-i) shift 2;; -*) shift;; *) break;; esac; done\n'
        'shift\nexec sh -c "$*"\n'  # drop the host, run the command here
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_deploy_over_ssh(tmp_path, loopback_ssh):
    target = tmp_path / "remote"
    spec = f"deploy@web1:{target}"
    for number in range(2):
        result = deploy(
            "--ssh", loopback_ssh, "deploy", build(tmp_path / f"b{number}", f"xa {number}"), spec
        )
        assert result.returncode == 0, result.stderr
    assert served(target) == "xa 1"
    assert deploy("--ssh", loopback_ssh, "rollback", spec).returncode == 0
    assert served(target) == "xa 0"
