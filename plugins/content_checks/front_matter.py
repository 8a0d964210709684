"""Front-matter rules for news articles and pages, checked on the raw text.

Checking before Markdown parses the file lets every message carry the line of the
field, and lets one build report all mistakes instead of skipping files silently.
"""

import os
import re
from dataclasses import dataclass

from fast_build.reading import consulted
from photos.sources import IMAGE_TYPES, photo_path, photo_problem
from vn_text import parse_date

from .problems import Problem

# Python-Markdown's meta syntax: optional '---', 'Key: value', indented continuations.
BEGIN_RE = re.compile(r"^-{3}(\s.*)?$")
FIELD_RE = re.compile(r"^ {0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
MORE_RE = re.compile(r"^ {4,}(?P<value>.*)$")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?$")

EARLIEST_YEAR = 1990  # the province's oldest news is far younger; earlier is a typo
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Field:
    name: str  # as editors write it, for messages
    required: bool = False
    kind: str = "text"  # text, date, category, status, image


ARTICLE_FIELDS = (
    Field("Title", required=True),
    Field("Date", required=True, kind="date"),
    Field("Modified", kind="date"),
    Field("Category", required=True, kind="category"),
    Field("Tags"),
    Field("Author", required=True),
    Field("Source"),
    Field("Summary", required=True),
    Field("Image", kind="image"),
    Field("ImageAlt"),
    Field("ImageCaption"),
    Field("Status", kind="status"),
    Field("Slug"),
)
PAGE_FIELDS = (
    Field("Title", required=True),
    Field("Date", kind="date"),
    Field("Modified", kind="date"),
    Field("Summary"),
    Field("Image", kind="image"),
    Field("ImageAlt"),
    Field("ImageCaption"),
    Field("Status", kind="status"),
    Field("Slug"),
    Field("Template"),
    Field("Lang", kind="lang"),  # "en" for the English pages; their Slug names the Vietnamese page
    Field("Url"),
    Field("Save_as"),
)
QUESTION_FIELDS = (
    Field("Title", required=True),  # the question in a line
    Field("Date", required=True, kind="date"),  # when it was asked
    Field("Question", required=True),  # the question as the citizen wrote it
    Field("Asker"),  # left out: the name is withheld
    Field("Field", required=True),  # lĩnh vực
    Field("Agency"),  # the answering agency's code in the unit registry
    Field("Answered", kind="date"),
    Field("Status", kind="status"),
    Field("Slug"),
)
SERVICE_FIELDS = (
    Field("Title", required=True),
    Field("Code", required=True),
    Field("Field", required=True),
    Field("Agency", required=True),
    Field("Level", required=True, kind="level"),
    Field("Time", required=True),
    Field("Fee", required=True),
    Field("Link", required=True, kind="link"),
    Field("Modified", kind="date"),
    Field("Status", kind="status"),
    Field("Slug"),
)
FIELDS = {
    "article": ARTICLE_FIELDS,
    "page": PAGE_FIELDS,
    "question": QUESTION_FIELDS,
    "service": SERVICE_FIELDS,
}
# Each kind's fields by their lower-case name, as the header gives them
RULES = {kind: {f.name.lower(): f for f in fields} for kind, fields in FIELDS.items()}
STATUSES = {
    "article": ("published", "draft"),
    "page": ("published", "hidden", "draft"),
    "question": ("published", "draft"),
    "service": ("published", "draft"),
}
# Levels of online public services: today's two, and the 2018 scale.
SERVICE_LEVELS = ("toàn trình", "một phần", "mức độ 3", "mức độ 4", "mức độ 2")
KIND_PATHS = (
    ("article", "ARTICLE_PATHS"),
    ("page", "PAGE_PATHS"),
    ("question", "QUESTION_PATHS"),
    ("service", "SERVICE_PATHS"),
)


def read_header(text: str) -> list[tuple[int, str, str]]:
    """(line number, lower-case key, value) for each front-matter field."""
    fields: list[tuple[int, str, str]] = []
    lines = text.split("\n")
    start = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or (start and END_RE.match(line)):
            break
        if match := FIELD_RE.match(line):
            fields.append((number, match["key"].lower(), match["value"].strip()))
        elif (more := MORE_RE.match(line)) and fields:
            line_no, key, value = fields[-1]
            fields[-1] = (line_no, key, f"{value} {more['value'].strip()}".strip())
        else:
            break
    return fields


def content_kind(source_path: str, settings) -> str | None:
    """'article' or 'page' by the folder the file sits in; None for anything else."""
    root = os.path.join(settings["PATH"], "")
    if source_path.startswith(root) and os.path.normpath(source_path) == source_path:
        relative = source_path[len(root) :]  # what relpath gives, without its 4,4 µs
    else:
        relative = os.path.relpath(source_path, settings["PATH"])
    for kind, key in KIND_PATHS:
        for folder in settings.get(key, []):
            if folder in ("", ".") or relative.startswith(folder.rstrip("/") + os.sep):
                return kind
    return None


def check_front_matter(source_path: str, text: str, settings) -> list[Problem]:
    kind = content_kind(source_path, settings)
    if kind is None:
        return []
    rules = RULES[kind]
    header = read_header(text)
    problems: list[Problem] = []

    def report(line: int, message: str, rule: str) -> None:
        problems.append(Problem(source_path, line, message, rule))

    seen: dict[str, tuple[int, str]] = {}
    for line, key, value in header:
        field = rules.get(key)
        if field is None:
            allowed = ", ".join(f.name for f in rules.values())
            report(line, f"trường '{key}' không có trong mẫu; dùng: {allowed}", "truong-la")
            continue
        if key in seen:
            report(
                line,
                f"trường {field.name} khai báo hai lần (dòng {seen[key][0]})",
                "truong-trung",
            )
            continue
        seen[key] = (line, value)
        if not value:
            report(line, f"trường {field.name} để trống", "truong-trong")
            continue
        if field.kind != "text":  # free text has nothing more to check
            problems.extend(
                Problem(source_path, line, message, rule)
                for message, rule in check_value(field, value, kind, source_path, settings)
            )

    first_line = header[-1][0] + 1 if header else 1
    for field in rules.values():
        if field.required and field.name.lower() not in seen:
            report(first_line, f"thiếu trường bắt buộc {field.name}", "thieu-truong")
    if "image" in seen and "imagealt" not in seen:
        report(seen["image"][0], "ảnh cần mô tả thay thế: thêm trường ImageAlt", "anh-alt")
    problems.extend(
        check_dates_in_order(
            source_path, seen, "modified", "Modified (ngày cập nhật)", "Date (ngày đăng)"
        )
    )
    problems.extend(
        check_dates_in_order(
            source_path, seen, "answered", "Answered (ngày trả lời)", "Date (ngày hỏi)"
        )
    )
    return problems


def check_value(field: Field, value: str, kind: str, source_path: str, settings):
    if field.kind == "date":
        try:
            parsed = parse_date(value.replace("_", " "))
        except ValueError:
            yield (
                f"{field.name} '{value}' không phải ngày hợp lệ; viết dạng 2018-11-08 14:30",
                "ngay-sai",
            )
            return
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            yield f"{field.name} '{value}' có năm {parsed.year} khó tin", "ngay-sai"
    elif field.kind == "category":
        allowed = settings.get("NEWS_CATEGORIES", [])
        if value not in allowed:
            yield (
                f"chuyên mục '{value}' không có trong danh sách; dùng một trong: "
                + "; ".join(allowed),
                "chuyen-muc",
            )
    elif field.kind == "status":
        if value.lower() not in STATUSES[kind]:
            yield (
                f"Status '{value}' không hợp lệ; dùng: " + ", ".join(STATUSES[kind]),
                "trang-thai",
            )
    elif field.kind == "image":
        yield from check_image(value, source_path, settings)
    elif field.kind == "lang" and value not in settings.get("UI", {"vi": None}):
        yield f"Lang '{value}' không có; dùng: " + ", ".join(settings.get("UI", ["vi"])), "ngon-ngu"
    elif field.kind == "level" and value.lower() not in SERVICE_LEVELS:
        yield (f"Level '{value}' không hợp lệ; dùng: " + ", ".join(SERVICE_LEVELS), "muc-do")
    elif field.kind == "link" and not value.startswith(("https://", "http://")):
        yield f"Link '{value}' phải là địa chỉ đầy đủ, bắt đầu bằng https://", "lien-ket"


def is_file(path: str) -> bool:
    consulted(path)  # a source kept from an earlier build is checked again if it changes
    return os.path.isfile(path)


def check_image(value: str, source_path: str, settings):
    path = photo_path(value, source_path, settings)
    if not value.lower().endswith(IMAGE_TYPES):
        yield (f"ảnh '{value}' phải là tệp " + ", ".join(IMAGE_TYPES), "anh-dinh-dang")
    elif not is_file(path):
        yield (
            f"không tìm thấy ảnh '{value}' cạnh bài viết hay trong thư mục {settings['PATH']}",
            "anh-thieu",
        )
    elif problem := photo_problem(path, settings):
        yield f"ảnh '{value}': {problem}", "anh-hong"


def check_dates_in_order(
    source_path: str, seen: dict, later: str, later_name: str, earlier_name: str
) -> list[Problem]:
    if "date" not in seen or later not in seen:
        return []
    try:
        first = parse_date(seen["date"][1].replace("_", " "))
        second = parse_date(seen[later][1].replace("_", " "))
    except ValueError:
        return []  # already reported
    if second < first:
        return [
            Problem(source_path, seen[later][0], f"{later_name} sớm hơn {earlier_name}", "ngay-sai")
        ]
    return []
