"""Generic unit status tables: the editor declares the columns, the rows name units."""

import os
from dataclasses import dataclass, field
from datetime import date

from content_checks import Problem

from .registry import Registry
from .values import key, parse_count, parse_date, parse_flag, parse_percent
from .yaml_lines import LINE, read_yaml_file

COLUMN_KINDS = {"van-ban", "so-nguyen", "phan-tram", "ngay", "trang-thai"}
TABLE_FIELDS = {"tieu_de", "ngay_so_lieu", "so_lieu_mau", "ghi_chu", "cot", "tom_tat", "dong"}


@dataclass
class Column:
    key: str
    label: str
    kind: str
    values: dict[str, str] = field(default_factory=dict)  # status key -> label

    @property
    def numeric(self) -> bool:
        return self.kind in ("so-nguyen", "phan-tram")


@dataclass
class StatusRow:
    unit: str
    line: int
    cells: dict  # column key -> parsed value (None when left empty)


@dataclass
class Summary:
    column: str
    value: str
    label: str


@dataclass
class StatusTable:
    path: str
    ident: str
    title: str
    as_of: date | None
    sample: bool
    note: str
    columns: list[Column]
    rows: list[StatusRow]
    summary: Summary | None


def load_status_table(path: str, registry: Registry) -> tuple[StatusTable | None, list[Problem]]:
    data, problems = read_yaml_file(path)
    if problems:
        return None, problems

    def report(line, message, rule):
        problems.append(Problem(path, line, message, rule))

    if not isinstance(data, dict):
        report(1, "tệp phải có các mục tieu_de, cot, dong", "cau-truc")
        return None, problems

    for name in sorted(set(data) - TABLE_FIELDS - {LINE}):
        report(
            1,
            f"mục '{name}' không có trong mẫu; dùng: {', '.join(sorted(TABLE_FIELDS))}",
            "truong-la",
        )
    for name in ("tieu_de", "cot", "dong"):
        if not data.get(name):
            report(1, f"thiếu mục '{name}'", "thieu-truong")
    if problems:
        return None, problems

    columns = _read_columns(data["cot"], report)
    rows = _read_rows(data["dong"], columns, registry, report)
    summary = _read_summary(data.get("tom_tat"), columns, report)
    as_of = None
    if data.get("ngay_so_lieu"):
        try:
            as_of = parse_date(data["ngay_so_lieu"])
        except ValueError as error:
            report(1, f"ngay_so_lieu: {error}", "ngay-sai")
    sample = False
    if data.get("so_lieu_mau"):
        try:
            sample = parse_flag(data["so_lieu_mau"])
        except ValueError as error:
            report(1, f"so_lieu_mau: {error}", "gia-tri-sai")
    if problems:
        return None, problems
    return StatusTable(
        path=path,
        ident=os.path.splitext(os.path.basename(path))[0],
        title=data["tieu_de"].strip(),
        as_of=as_of,
        sample=sample,
        note=(data.get("ghi_chu") or "").strip(),
        columns=columns,
        rows=rows,
        summary=summary,
    ), problems


def _read_columns(entries, report) -> list[Column]:
    if not isinstance(entries, list):
        report(1, "mục 'cot' phải là danh sách các cột", "cau-truc")
        return []
    columns = []
    for entry in entries:
        if not isinstance(entry, dict):
            report(1, "mỗi cột cần 'ma', 'ten', 'kieu'", "cau-truc")
            continue
        line = entry[LINE]
        missing = [n for n in ("ma", "ten", "kieu") if not entry.get(n)]
        for name in missing:
            report(line, f"cột thiếu '{name}'", "thieu-truong")
        if missing:
            continue
        kind = key(entry["kieu"])
        if kind not in COLUMN_KINDS:
            report(
                line,
                f"kieu '{entry['kieu']}' không hợp lệ; dùng: " + ", ".join(sorted(COLUMN_KINDS)),
                "kieu-cot",
            )
            continue
        values = {}
        if kind == "trang-thai":
            declared = entry.get("gia_tri")
            if not isinstance(declared, dict) or len(set(declared) - {LINE}) < 2:
                report(line, "cột trạng thái cần 'gia_tri' liệt kê ít nhất hai giá trị", "gia-tri")
                continue
            values = {key(k): v for k, v in declared.items() if k != LINE}
        column = Column(key(entry["ma"]), entry["ten"].strip(), kind, values)
        if column.key in (c.key for c in columns) or column.key == "don-vi":
            report(line, f"cột '{entry['ma']}' khai báo hai lần", "cot-trung")
            continue
        columns.append(column)
    return columns


def _parse_cell(column: Column, text: str):
    if not text.strip():
        if column.kind == "trang-thai":
            raise ValueError("để trống; cột trạng thái phải có giá trị")
        return None
    if column.kind == "so-nguyen":
        return parse_count(text)
    if column.kind == "phan-tram":
        return parse_percent(text)
    if column.kind == "ngay":
        return parse_date(text)
    if column.kind == "trang-thai":
        value = key(text)
        if value not in column.values:
            allowed = ", ".join(column.values)
            raise ValueError(f"'{text}' không thuộc các giá trị đã khai báo: {allowed}")
        return value
    return text.strip()


def _read_rows(entries, columns, registry, report) -> list[StatusRow]:
    if not isinstance(entries, list):
        report(1, "mục 'dong' phải là danh sách, mỗi dòng một đơn vị", "cau-truc")
        return []
    rows: list[StatusRow] = []
    seen: dict[str, int] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            report(1, "mỗi dòng cần 'don_vi' và các cột đã khai báo", "cau-truc")
            continue
        line = entry[LINE]
        cells_in = {key(k): v for k, v in entry.items() if k != LINE}
        code = key(cells_in.pop("don-vi", ""))
        ok = True
        if not code:
            report(line, "dòng thiếu 'don_vi'", "thieu-cot")
            ok = False
        elif code not in registry:
            report(line, f"cột don_vi: không có đơn vị mã '{code}' trong danh mục", "don-vi-la")
            ok = False
        elif code in seen:
            report(line, f"cột don_vi: đơn vị '{code}' đã có ở dòng {seen[code]}", "don-vi-trung")
            ok = False
        seen.setdefault(code, line)
        for name in sorted(set(cells_in) - {c.key for c in columns}):
            report(line, f"cột '{name}' chưa được khai báo trong 'cot'", "cot-la")
            ok = False
        cells = {}
        for column in columns:
            if column.key not in cells_in:
                report(line, f"thiếu cột '{column.key}'", "thieu-cot")
                ok = False
                continue
            try:
                cells[column.key] = _parse_cell(column, cells_in[column.key])
            except ValueError as error:
                report(line, f"cột {column.key}: {error}", "gia-tri-sai")
                ok = False
        if ok:
            rows.append(StatusRow(code, line, cells))
    return rows


def _read_summary(entry, columns, report) -> Summary | None:
    if not entry:
        return None
    if not isinstance(entry, dict):
        report(1, "mục 'tom_tat' cần 'cot', 'gia_tri', 'nhan'", "cau-truc")
        return None
    line = entry[LINE]
    by_key = {c.key: c for c in columns}
    column = by_key.get(key(entry.get("cot", "")))
    if column is None or column.kind != "trang-thai":
        report(line, "tom_tat: 'cot' phải là một cột trạng thái đã khai báo", "tom-tat")
        return None
    value = key(entry.get("gia_tri", ""))
    if value not in column.values:
        report(
            line,
            f"tom_tat: giá trị '{entry.get('gia_tri')}' không thuộc cột {column.key}",
            "tom-tat",
        )
        return None
    return Summary(column.key, value, (entry.get("nhan") or column.values[value]).strip())
