"""The unit registry: one file naming every unit, read by tables, unit pages and contacts."""

from dataclasses import dataclass, field
from datetime import date

from content_checks import Problem
from unidecode import unidecode

from .contacts import Contact, read_contact
from .values import key, parse_date
from .yaml_lines import LINE, read_yaml_file

KINDS = {
    "tinh": "Tỉnh",
    "so-nganh": "Sở, ngành",
    "thanh-pho": "Thành phố",
    "thi-xa": "Thị xã",
    "huyen": "Huyện",
    "phuong": "Phường",
    "xa": "Xã",
    "thi-tran": "Thị trấn",
}
# Unit groups as the statistics tables show them.
GROUPS = {
    "so-nganh": ("Sở, ban, ngành", {"so-nganh"}),
    "cap-huyen": ("Cấp huyện", {"thanh-pho", "thi-xa", "huyen"}),
    "cap-xa": ("Cấp xã", {"phuong", "xa", "thi-tran"}),
}
KINDS_EN = {
    "tinh": "Province",
    "so-nganh": "",
    "thanh-pho": "City",
    "thi-xa": "Town",
    "huyen": "District",
    "phuong": "Ward",
    "xa": "Commune",
    "thi-tran": "Township",
}
# Kinds whose full name is the kind followed by the place ("Thị xã Đông Triều").
PLACE_KINDS = {"thanh-pho", "thi-xa", "huyen", "phuong", "xa", "thi-tran"}
FIELDS = {
    "ma",
    "ten",
    "ten_day_du",
    "ten_tieng_anh",
    "loai",
    "thuoc",
    "tu_ngay",
    "den_ngay",
    "sap_nhap_vao",
    "lien_he",
}


@dataclass
class Unit:
    code: str
    name: str
    kind: str
    line: int
    order: int
    parent: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    merged_into: str | None = None
    full_name_override: str | None = None
    english_name: str | None = None
    contact: Contact | None = None

    @property
    def full_name(self) -> str:
        if self.full_name_override:
            return self.full_name_override
        return f"{KINDS[self.kind]} {self.name}" if self.kind in PLACE_KINDS else self.name

    @property
    def name_en(self) -> str:
        """For /en/ pages: the registry's English name, or 'Ha Long City' for places."""
        if self.english_name:
            return self.english_name
        if self.kind in PLACE_KINDS:
            return f"{unidecode(self.name)} {KINDS_EN[self.kind]}"
        return self.full_name

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def group(self) -> str | None:
        return next((g for g, (_, kinds) in GROUPS.items() if self.kind in kinds), None)

    def valid_during(self, start: date, end: date) -> bool:
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_until is None or self.valid_until >= start
        )


@dataclass
class Registry:
    path: str
    units: dict[str, Unit] = field(default_factory=dict)

    def __contains__(self, code: str) -> bool:
        return code in self.units

    def __getitem__(self, code: str) -> Unit:
        return self.units[code]

    def __iter__(self):
        return iter(self.units.values())

    def children(self, code: str) -> list[Unit]:
        return [u for u in self if u.parent == code]

    def in_group(self, group: str | None, parent: str | None = None) -> list[Unit]:
        kinds = GROUPS[group][1] if group else None
        return [
            u
            for u in self
            if (kinds is None or u.kind in kinds) and (parent is None or u.parent == parent)
        ]


def load_registry(path: str) -> tuple[Registry, list[Problem]]:
    registry = Registry(path)

    data, problems = read_yaml_file(path)
    if problems:
        return registry, problems

    def report(line, message, rule):
        problems.append(Problem(path, line, message, rule))

    entries = data.get("don_vi") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        report(1, "tệp phải có mục 'don_vi:' là danh sách các đơn vị", "cau-truc")
        return registry, problems

    for order, entry in enumerate(entries):
        if not isinstance(entry, dict):
            report(1, f"đơn vị thứ {order + 1} phải có dạng 'ma: ...', 'ten: ...'", "cau-truc")
            continue
        unit = _read_unit(entry, order, report)
        if unit is None:
            continue
        if unit.code in registry.units:
            first = registry.units[unit.code].line
            report(unit.line, f"mã đơn vị '{unit.code}' trùng với dòng {first}", "don-vi-trung")
            continue
        registry.units[unit.code] = unit

    for unit in registry:
        for name, code in (("thuoc", unit.parent), ("sap_nhap_vao", unit.merged_into)):
            if code and code not in registry:
                report(unit.line, f"{name}: không có đơn vị mã '{code}'", "don-vi-la")
    return registry, problems


def _read_unit(entry: dict, order: int, report) -> Unit | None:
    line = entry[LINE]
    for name in sorted(set(entry) - FIELDS - {LINE}):
        report(
            line,
            f"trường '{name}' không có trong mẫu; dùng: {', '.join(sorted(FIELDS))}",
            "truong-la",
        )
    missing = [name for name in ("ma", "ten", "loai") if not str(entry.get(name, "")).strip()]
    for name in missing:
        report(line, f"thiếu trường bắt buộc '{name}'", "thieu-truong")
    if missing:
        return None
    kind = key(entry["loai"])
    if kind not in KINDS:
        report(
            line,
            f"loai '{entry['loai']}' không hợp lệ; dùng: {', '.join(KINDS.values())}",
            "loai-don-vi",
        )
        return None
    dates = {}
    for name in ("tu_ngay", "den_ngay"):
        if entry.get(name):
            try:
                dates[name] = parse_date(entry[name])
            except ValueError as error:
                report(line, f"{name}: {error}", "ngay-sai")
    if "tu_ngay" in dates and "den_ngay" in dates and dates["den_ngay"] < dates["tu_ngay"]:
        report(line, "den_ngay sớm hơn tu_ngay", "ngay-sai")
    contact = None
    if entry.get("lien_he") is not None:
        contact = read_contact(
            entry["lien_he"], lambda at, msg, rule: report(at or line, msg, rule)
        )
    return Unit(
        contact=contact,
        english_name=(entry.get("ten_tieng_anh") or "").strip() or None,
        code=key(entry["ma"]),
        name=entry["ten"].strip(),
        kind=kind,
        line=line,
        order=order,
        parent=key(entry["thuoc"]) if entry.get("thuoc") else None,
        valid_from=dates.get("tu_ngay"),
        valid_until=dates.get("den_ngay"),
        merged_into=key(entry["sap_nhap_vao"]) if entry.get("sap_nhap_vao") else None,
        full_name_override=(entry.get("ten_day_du") or "").strip() or None,
    )
