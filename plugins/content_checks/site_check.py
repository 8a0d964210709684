"""`make check`: every problem in content and data, at once, before anything is published.

The site is built into a temporary folder that is thrown away (so the checks see exactly
what readers would), then the written pages are read back: images must exist and carry
alt text, internal links and {filename}/{static} references must resolve. Source files
must be in Unicode NFC. Nothing is written to output/ or to any deploy target.
"""

import os
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

from pelican import Pelican, signals
from photos.body import src_key
from vn_text import source_text
from vn_text.formatting import file_size

from .problems import Problem, not_utf8, problem_log

TEXT_SUFFIXES = {".md", ".markdown", ".yaml", ".yml", ".csv"}


class _Links(HTMLParser):
    """The <a href> and <img src/alt> of a page body, with nothing else kept."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "img":
            self.images.append((values.get("src") or "", values.get("alt")))


def find_line(source_path: str, needle: str) -> int:
    """The first line mentioning `needle` (or its file name), else 1."""
    candidates = [needle, unquote(needle), os.path.basename(needle.rstrip("/"))]
    try:
        lines = Path(source_path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):  # not_utf8 names the file already
        return 1
    for candidate in filter(None, candidates):
        for number, line in enumerate(lines, start=1):
            if candidate in line:
                return number
    return 1


def nfc_problems(content_path: str) -> list[Problem]:
    problems = []
    for path in sorted(Path(content_path).rglob("*")):
        if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
            continue
        try:
            text = source_text(path)
        except UnicodeDecodeError as error:
            problems.append(not_utf8(str(path), error))
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if not unicodedata.is_normalized("NFC", line):
                problems.append(
                    Problem(
                        str(path),
                        number,
                        "chữ tiếng Việt ở dạng tổ hợp (NFD); "
                        "lưu lại ở dạng dựng sẵn (NFC), ví dụ bằng Unikey chế độ "
                        "Unicode dựng sẵn",
                        "nfc",
                    )
                )
                break  # one message per file is enough to act on
    return problems


def local_file(output: Path, page_url: str, href: str) -> Path | None:
    """The output file a link on `page_url` names; None for other sites and anchors."""
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or href.startswith(("#", "mailto:", "tel:")):
        return None
    path = unquote(parsed.path)
    if not path:
        return None
    base = "/" + page_url if not page_url.startswith("/") else page_url
    target = (
        path
        if path.startswith("/")
        else os.path.normpath(os.path.join(os.path.dirname(base.rstrip("/") + "/x"), path))
    )
    return output / target.lstrip("/")


def resolves(output: Path, page_url: str, href: str) -> bool:
    candidate = local_file(output, page_url, href)
    return candidate is None or candidate.is_file() or (candidate / "index.html").is_file()


def body_problems(
    output: Path, written: dict[str, tuple[str, str, dict]], budget: int = 30_000
) -> list[Problem]:
    """Links and images of each content page, blamed on the file that wrote it. A body's
    photo that got no versions (plugins/photos) is served as it is: over the budget,
    phones pay for it."""
    problems = []
    for save_as, (source, body, versioned) in sorted(written.items()):
        parser = _Links()
        parser.feed(body)
        for href in parser.links:
            if "{filename}" in unquote(href) or "{static}" in unquote(href):
                problems.append(
                    Problem(
                        source,
                        find_line(source, href.split("}")[-1]),
                        f"liên kết '{unquote(href)}' trỏ tới tệp không có",
                        "lien-ket-hong",
                    )
                )
            elif not resolves(output, save_as, href):
                problems.append(
                    Problem(
                        source,
                        find_line(source, href),
                        f"liên kết '{href}' không dẫn tới trang nào",
                        "lien-ket-hong",
                    )
                )
        for src, alt in parser.images:
            if "{static}" in unquote(src) or not resolves(output, save_as, src):
                problems.append(
                    Problem(
                        source,
                        find_line(source, src.split("}")[-1]),
                        f"không tìm thấy ảnh '{unquote(src)}'",
                        "anh-thieu",
                    )
                )
            image = local_file(output, save_as, src)
            size = image.stat().st_size if image and image.is_file() else 0
            if size > budget and src_key(src) not in versioned:
                problems.append(
                    Problem(
                        source,
                        find_line(source, src.split("}")[-1]),
                        f"ảnh '{os.path.basename(src)}' trong thân bài nặng "
                        f"{file_size(size)}, quá {file_size(budget)}: đưa ảnh "
                        "vào trường Image (bản thu nhỏ được làm tự động) hoặc thu nhỏ ảnh",
                        "anh-nang",
                    )
                )
            if not (alt or "").strip():
                problems.append(
                    Problem(
                        source,
                        find_line(source, src.split("}")[-1]),
                        f"ảnh '{os.path.basename(src)}' thiếu mô tả (alt): viết ![mô tả ảnh](...)",
                        "anh-alt",
                    )
                )
    return problems


def run_checks(settings) -> tuple[list[Problem], dict]:
    """(problems, counts): the build's own problems first, then the pages read back."""
    problems = nfc_problems(settings["PATH"])
    written: dict[str, tuple[str, str, dict]] = {}

    def remember(path, context):
        content = context.get("article") or context.get("page")
        if content is not None and getattr(content, "source_path", None):
            written[os.path.relpath(path, output)] = (
                content.source_path,
                content.content,
                getattr(content, "body_photos", {}),
            )

    with tempfile.TemporaryDirectory(prefix="portal-check-") as scratch:
        output = Path(scratch)
        # Collect-only: the build goes on past the first bad file, so one run finds all.
        settings = {
            **settings,
            "OUTPUT_PATH": scratch,
            "DELETE_OUTPUT_DIRECTORY": False,
            "CHECK_COLLECT_ONLY": True,
            # nothing to search in a scratch build; the dev settings index in the
            # background, which read the scratch folder as it was being deleted
            "SEARCH_INDEX": None,
        }
        signals.content_written.connect(remember)
        try:
            Pelican(settings).run()
        except Exception as error:  # noqa: BLE001 - reported with the rest, never a traceback
            problems.append(
                Problem(settings["PATH"], 1, f"dựng thử dừng giữa chừng: {error}", "dung-trang")
            )
        finally:
            signals.content_written.disconnect(remember)
        budget = settings.get("PHOTOS", {}).get("budget", 30_000)
        problems += problem_log(settings) + body_problems(output, written, budget)
        counts = {
            "pages": sum(1 for _ in output.rglob("*.html")),
            "sources": len({source for source, _, _ in written.values()}),
        }
    return problems, counts
