"""`python -m content_checks [-s pelicanconf.py]`: the editors' check, as `make check` runs it."""

import argparse
import logging
import sys

from pelican.log import console
from pelican.settings import read_settings

from .problems import display_path
from .site_check import run_checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__)
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("--path", help="the content folder, when not the settings' PATH")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    # "Could not process <file>" repeats what the list below says better.
    logging.getLogger("pelican.generators").setLevel(logging.CRITICAL)
    logging.getLogger("visitor_counter").setLevel(logging.CRITICAL)  # no counter needed
    console.quiet = True  # Pelican's "Done: Processed ..." is not news here
    settings = read_settings(args.settings, override={"PATH": args.path} if args.path else None)
    problems, counts = run_checks(settings)
    if problems:
        for problem in sorted(set(problems)):
            print(problem)
        files = len({p.path for p in problems})
        print(
            f"\n{len(set(problems))} lỗi trong {files} tệp; sửa xong rồi chạy lại `make check`.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Nội dung hợp lệ: {counts['sources']} tệp nội dung, {counts['pages']} trang, "
        f"không có lỗi ({display_path(settings['PATH'])})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
