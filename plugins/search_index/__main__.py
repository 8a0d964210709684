"""`python -m search_index OUTPUT FOLDER`: index a built site (the dev server runs this in the
background, so pages are served before their index is ready)."""

import logging
import sys
from pathlib import Path

from .indexer import build_index


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[0]).is_dir():
        usage = "Cách dùng: python -m search_index <thư mục đã dựng> <thư mục chỉ mục>"
        print(usage, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build_index(Path(argv[0]), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
