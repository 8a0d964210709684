"""How content problems are collected during a build and shown to editors."""

import logging
import os
from dataclasses import dataclass

LOG_KEY = "_CONTENT_PROBLEMS"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.message} [{self.rule}]"


def not_utf8(path: str, error: UnicodeDecodeError) -> Problem:
    """A file saved in another encoding (Windows' cp1258, TCVN3): where it stops reading."""
    line = error.object[: error.start].count(b"\n") + 1
    byte = error.object[error.start]
    message = f"tệp không lưu bằng bảng mã UTF-8 (không đọc được byte 0x{byte:02X}); "
    message += "mở tệp và lưu lại với bảng mã UTF-8"
    return Problem(path, line, message, "bang-ma")


class ContentError(Exception):
    """Raised once per build with every problem found, so editors fix them all at once."""

    def __init__(self, problems):
        self.problems = sorted(set(problems))
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"{len(self.problems)} lỗi trong nội dung; chưa xuất bản trang nào:\n{lines}"
        )


def display_path(path: str) -> str:
    """Paths relative to where the editor ran the command, when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def problem_log(settings) -> list:
    """This build's problems; the settings dict lives exactly as long as the build."""
    return settings.setdefault(LOG_KEY, [])


def start_run(settings) -> None:
    settings[LOG_KEY] = []


class HideEditorTracebacks(logging.Filter):
    """Pelican logs its final exception with a traceback; editors need only the list."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], ContentError):
            record.exc_info = None
            record.exc_text = None
        return True


def hide_editor_tracebacks(logger_name: str = "pelican") -> None:
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, HideEditorTracebacks) for f in logger.filters):
        logger.addFilter(HideEditorTracebacks())
