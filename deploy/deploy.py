"""Atomic, reversible deploys of a checked production build.

    python deploy/deploy.py deploy output-publish /srv/portal          # a local folder
    python deploy/deploy.py deploy output-publish deploy@web1:/srv/portal  # over SSH + rsync
    python deploy/deploy.py rollback /srv/portal
    python deploy/deploy.py list /srv/portal

The target holds releases/<time>/ and a `current` symlink that nginx serves. A release is
copied in full under a temporary name first; only then is `current` switched, by renaming
a new symlink over it (atomic), so a failed copy leaves the site untouched. The last five
releases are kept; `rollback` points `current` back at the one before it.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

KEEP = 5
STAMP = ".build-info.json"


class DeployError(Exception):
    pass


class Target:
    """A deploy target: a local folder, or host:folder reached with ssh and rsync."""

    def __init__(self, spec: str, ssh: str = "ssh"):
        host, sep, path = spec.partition(":")
        if sep and "/" not in host:
            self.host, self.path = host, path
        else:
            self.host, self.path = None, spec
        self.ssh = shlex.split(ssh)

    def run(self, script: str) -> str:
        """A small shell script run in the target's folder (locally, or on the host)."""
        folder = shlex.quote(self.path)
        command = f"mkdir -p {folder} && cd {folder} && {script}"
        argv = ["sh", "-c", command] if self.host is None else [*self.ssh, self.host, command]
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            raise DeployError(result.stderr.strip() or f"'{script}' failed")
        return result.stdout

    def copy(self, source: Path, folder: str) -> None:
        destination = f"{self.path}/{folder}/"
        if self.host is not None:
            destination = f"{self.host}:{destination}"
        # Every build rewrites every file, so times say nothing: compare contents (--checksum)
        # and do not copy times (-a without -t), so an unchanged file links to the live one
        # and keeps its date (and nginx's ETag) across releases.
        argv = [
            "rsync",
            "-rlpgoD",
            "--checksum",
            "--delete",
            "-e",
            shlex.join(self.ssh),
            f"{source}/",
            destination,
        ]
        current = self.current()
        if current:  # unchanged files become hard links to the live release: fast and small
            argv.insert(2, f"--link-dest=../releases/{current}")
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            raise DeployError(f"copy failed: {result.stderr.strip()}")

    def releases(self) -> list[str]:
        return sorted(self.run("ls -1 releases 2>/dev/null || true").split())

    def current(self) -> str | None:
        link = self.run("readlink current 2>/dev/null || true").strip()
        return link.removeprefix("releases/") or None

    def switch(self, release: str) -> None:
        # ln then mv -T: the rename replaces the old link in one step.
        self.run(
            f"ln -sfn releases/{shlex.quote(release)} .current-new && mv -T .current-new current"
        )


def deploy(source: Path, target: Target, keep: int = KEEP, now=time.gmtime) -> str:
    stamp = source / STAMP
    if not stamp.is_file():
        raise DeployError(
            f"{source} is not a finished production build (no {STAMP}): run `make publish` first"
        )
    json.loads(stamp.read_text(encoding="utf-8"))  # a torn stamp is no stamp
    stamp_time = time.strftime("%Y%m%dT%H%M%SZ", now())
    taken = [int(r.rsplit("-", 1)[1]) for r in target.releases() if r.startswith(stamp_time)]
    release = f"{stamp_time}-{max(taken, default=-1) + 1:02d}"  # names sort in deploy order
    temporary = f".incoming-{release}"
    target.run(f"mkdir -p releases && rm -rf {temporary}")
    try:
        target.copy(source, temporary)
        target.run(f"mv {temporary} releases/{release}")
    except DeployError:
        target.run(f"rm -rf {temporary}")
        raise
    target.switch(release)
    prune(target, keep)
    return release


def prune(target: Target, keep: int) -> None:
    releases = target.releases()
    current = target.current()
    for old in releases[:-keep]:
        if old != current:
            target.run(f"rm -rf releases/{shlex.quote(old)}")


def rollback(target: Target) -> str:
    releases, current = target.releases(), target.current()
    if current not in releases or releases.index(current) == 0:
        raise DeployError("no earlier release to go back to")
    previous = releases[releases.index(current) - 1]
    target.switch(previous)
    return previous


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ssh",
        default=os.environ.get("DEPLOY_SSH", "ssh"),
        help="the ssh command for host:folder targets",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("deploy", help="copy a build in and switch to it")
    run.add_argument("source", type=Path)
    run.add_argument("target")
    run.add_argument("--keep", type=int, default=KEEP)
    back = commands.add_parser("rollback", help="serve the previous release again")
    back.add_argument("target")
    listing = commands.add_parser("list", help="the releases, the current one marked")
    listing.add_argument("target")
    args = parser.parse_args(argv)
    target = Target(args.target, args.ssh)
    try:
        if args.command == "deploy":
            print(f"deployed {deploy(args.source, target, args.keep)}")
        elif args.command == "rollback":
            print(f"rolled back to {rollback(target)}")
        else:
            current = target.current()
            for release in target.releases():
                print(("* " if release == current else "  ") + release)
    except DeployError as error:
        print(f"deploy: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
