"""Dossier-processing statistics: one CSV per period, the arithmetic of unit-stats.md.

A period file opens with '# key: value' lines (the period's name, kind, explicit start
and end dates, whether the figures are samples), then a CSV header and one row per unit.
"""

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import date

from content_checks import Problem, not_utf8
from vn_text import source_text

from .registry import Registry
from .values import key, parse_count, parse_date, parse_flag

COUNTS = {
    # column key in the CSV header: attribute of Counts
    "ton-ky-truoc": "carried",
    "truc-tuyen": "online",
    "truc-tiep": "direct",
    "truoc-han": "early",
    "dung-han": "on_time",
    "qua-han": "late",
    "trong-han": "within",
    "dang-qua-han": "overdue",
    "tra-lai": "returned",
}
# Optional totals an export may carry; when present they must match the parts.
TOTALS = {
    "tong-tiep-nhan": "received",
    "tong-da-giai-quyet": "resolved",
    "tong-dang-giai-quyet": "in_progress",
}
PERIOD_KINDS = {"thang": "tháng", "quy": "quý", "nam": "năm"}
META_FIELDS = {"ky", "loai-ky", "tu-ngay", "den-ngay", "so-lieu-mau"}

FORMULAS = {
    "opencps": "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) ÷ đã giải quyết (cách tính của OpenCPS).",
    "gia-lai": (
        "Tỷ lệ đúng hạn = 100% − (đã giải quyết quá hạn + đang giải quyết quá hạn) ÷ "
        "(tồn kỳ trước + tiếp nhận trong kỳ) (cách tính của tỉnh Gia Lai)."
    ),
}


@dataclass
class Counts:
    carried: int = 0
    online: int = 0
    direct: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within: int = 0
    overdue: int = 0
    returned: int = 0

    @property
    def received(self) -> int:
        return self.carried + self.online + self.direct

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.within + self.overdue

    def rate(self, formula: str = "opencps") -> float | None:
        """The on-time rate, or None when there is nothing to divide by (shown as '—')."""
        if formula == "gia-lai":
            if not self.received:
                return None
            return 1 - (self.late + self.overdue) / self.received
        if not self.resolved:
            return None
        return (self.early + self.on_time) / self.resolved

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, a) + getattr(other, a) for a in COUNTS.values()))


def total(rows) -> Counts:
    return sum((row.counts for row in rows), Counts())


@dataclass
class StatRow:
    unit: str
    counts: Counts
    line: int


@dataclass
class Period:
    path: str
    ident: str
    name: str
    kind: str
    start: date
    end: date
    sample: bool
    rows: list[StatRow] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return PERIOD_KINDS[self.kind]

    def row(self, unit: str) -> StatRow | None:
        return next((r for r in self.rows if r.unit == unit), None)


def balance_problems(counts: Counts) -> list[str]:
    """The consistency rule every row satisfies: what came in equals what went out."""
    outgoing = counts.resolved + counts.in_progress + counts.returned
    if counts.received != outgoing:
        return [
            f"tổng tiếp nhận {counts.received} (tồn {counts.carried} + trực tuyến "
            f"{counts.online} + trực tiếp {counts.direct}) khác đã giải quyết {counts.resolved}"
            f" + đang giải quyết {counts.in_progress} + trả lại/rút {counts.returned}"
            f" = {outgoing}"
        ]
    return []


def load_period(path: str, registry: Registry) -> tuple[Period | None, list[Problem]]:
    problems: list[Problem] = []

    def report(line, message, rule):
        problems.append(Problem(path, line, message, rule))

    try:
        text = source_text(path)
    except OSError as error:
        report(1, f"không đọc được tệp: {error.strerror}", "du-lieu-thieu")
        return None, problems
    except UnicodeDecodeError as error:
        return None, [not_utf8(path, error)]

    lines = text.splitlines()
    meta, header_line = _read_meta(lines, report)
    period = _make_period(path, meta, report)
    table = list(csv.reader(io.StringIO("\n".join(lines[header_line - 1 :]))))
    if not table:
        report(header_line, "thiếu dòng tên cột", "thieu-cot")
        return None, problems
    columns = [key(name) for name in table[0]]
    _check_columns(columns, header_line, report)
    if problems or period is None:
        return None, problems

    seen: dict[str, int] = {}
    for offset, cells in enumerate(table[1:], start=1):
        line = header_line + offset
        if not any(cell.strip() for cell in cells):
            continue
        row = _read_row(columns, cells, line, period, registry, seen, report)
        if row:
            period.rows.append(row)
    return (None if problems else period), problems


def _read_meta(lines, report):
    meta: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip().strip('"')
        if not stripped.startswith("#"):
            return meta, number
        name, sep, value = stripped.lstrip("#").partition(":")
        if not sep:
            continue  # a plain comment
        field_key = key(name)
        if field_key not in META_FIELDS:
            continue  # a comment that happens to contain a colon
        meta[field_key] = (number, value.strip().strip(","))
    return meta, len(lines) + 1


def _make_period(path, meta, report) -> Period | None:
    ok = True
    for name in ("ky", "loai-ky", "tu-ngay", "den-ngay"):
        if not meta.get(name, (0, ""))[1]:
            report(1, f"thiếu dòng '# {name.replace('-', '_')}: ...' ở đầu tệp", "thieu-truong")
            ok = False
    kind = None
    if "loai-ky" in meta:
        kind_line, kind_text = meta["loai-ky"]
        kind = key(kind_text)
        if kind not in PERIOD_KINDS:
            report(
                kind_line, f"loai_ky '{kind_text}' không hợp lệ; dùng: thang, quy, nam", "loai-ky"
            )
            ok = False
    dates = {}
    for name in ("tu-ngay", "den-ngay"):
        if not meta.get(name, (0, ""))[1]:
            continue
        line, text = meta[name]
        try:
            dates[name] = parse_date(text)
        except ValueError as error:
            report(line, f"{name.replace('-', '_')}: {error}", "ngay-sai")
            ok = False
    if ok and dates["den-ngay"] < dates["tu-ngay"]:
        report(
            meta["den-ngay"][0],
            "den_ngay sớm hơn tu_ngay: kỳ kết thúc trước khi bắt đầu",
            "ky-nguoc",
        )
        ok = False
    sample = False
    if "so-lieu-mau" in meta:
        try:
            sample = parse_flag(meta["so-lieu-mau"][1])
        except ValueError as error:
            report(meta["so-lieu-mau"][0], f"so_lieu_mau: {error}", "gia-tri-sai")
    if not ok:
        return None
    return Period(
        path=path,
        ident=os.path.splitext(os.path.basename(path))[0],
        name=meta["ky"][1],
        kind=kind,
        start=dates["tu-ngay"],
        end=dates["den-ngay"],
        sample=sample,
    )


def _check_columns(columns, line, report):
    expected = ["ma-don-vi", *COUNTS]
    for name in expected:
        if name not in columns:
            report(line, f"thiếu cột '{name.replace('-', '_')}'", "thieu-cot")
    for name in columns:
        if name not in expected and name not in TOTALS:
            report(line, f"cột '{name}' không có trong mẫu", "cot-la")
    for name in {c for c in columns if columns.count(c) > 1}:
        report(line, f"cột '{name}' xuất hiện hai lần", "cot-trung")


def _read_row(columns, cells, line, period, registry, seen, report) -> StatRow | None:
    if len(cells) != len(columns):
        report(line, f"có {len(cells)} ô, dòng tên cột có {len(columns)}", "so-o")
        return None
    values = dict(zip(columns, cells, strict=True))
    code = key(values["ma-don-vi"])
    ok = True
    if code not in registry:
        report(
            line,
            f"cột ma_don_vi: không có đơn vị mã '{values['ma-don-vi']}' trong danh mục",
            "don-vi-la",
        )
        ok = False
    elif not registry[code].valid_during(period.start, period.end):
        report(
            line,
            f"cột ma_don_vi: đơn vị '{code}' không còn hiệu lực trong kỳ này",
            "don-vi-het-hieu-luc",
        )
        ok = False
    if code in seen:
        report(line, f"cột ma_don_vi: đơn vị '{code}' đã có ở dòng {seen[code]}", "don-vi-trung")
        ok = False
    seen.setdefault(code, line)

    numbers = {}
    for column in [*COUNTS, *(t for t in TOTALS if t in values)]:
        try:
            numbers[column] = parse_count(values[column])
        except ValueError as error:
            report(line, f"cột {column.replace('-', '_')}: {error}", "so-sai")
            ok = False
    if not ok:
        return None
    counts = Counts(**{attribute: numbers[column] for column, attribute in COUNTS.items()})
    for column, attribute in TOTALS.items():
        if column in numbers and numbers[column] != getattr(counts, attribute):
            report(
                line,
                f"cột {column.replace('-', '_')}: ghi {numbers[column]} nhưng cộng các "
                f"cột thành phần được {getattr(counts, attribute)}",
                "tong-sai",
            )
            ok = False
    for message in balance_problems(counts):
        report(line, message, "can-doi")
        ok = False
    return StatRow(code, counts, line) if ok else None
