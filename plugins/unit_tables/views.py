"""Table view models: what a rendered table shows, built from data and an editor's options.

Everything here is plain data; templates only lay it out. Numbers are formatted once,
here, with the portal's Vietnamese formatting.
"""

from dataclasses import dataclass, field

from vn_text import format_number, format_percent
from vn_text.formatting import format_short_date

from .options import OptionError, TableOptions
from .registry import GROUPS, Registry
from .stats import FORMULAS, Counts, Period, total
from .status import StatusTable

DASH = "—"


@dataclass
class Cell:
    text: str
    value: float | int | str | None  # what sorting compares; None sorts last
    numeric: bool = True


@dataclass
class Row:
    header: str
    href: str | None
    cells: list[Cell]
    order: int
    key: str | None = None  # what sorting by the first column compares; the header by default
    unit: str | None = None  # the unit's code, when the row is a unit

    @property
    def sort_value(self) -> str:
        return self.key or self.header


@dataclass
class Leaf:
    key: str
    label: str


@dataclass
class HeaderGroup:
    label: str | None  # None: a single column spanning both header rows
    leaves: list[Leaf]


@dataclass
class TableView:
    ident: str
    caption: str
    row_label: str
    groups: list[HeaderGroup]
    rows: list[Row]
    total: Row | None = None
    sample: bool = False
    summary: str | None = None
    notes: list[str] = field(default_factory=list)
    downloads: list[tuple[str, str]] = field(default_factory=list)
    sort_key: str | None = None
    descending: bool = False

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for group in self.groups for leaf in group.leaves]


# (group key, group label, [(leaf key, label, value of Counts)])
STAT_GROUPS = [
    (
        "tiep-nhan",
        "Tiếp nhận",
        [
            ("ton-ky-truoc", "Tồn kỳ trước", lambda c: c.carried),
            ("truc-tuyen", "Trực tuyến", lambda c: c.online),
            ("truc-tiep", "Trực tiếp", lambda c: c.direct),
            ("tong-tiep-nhan", "Tổng", lambda c: c.received),
        ],
    ),
    (
        "da-giai-quyet",
        "Đã giải quyết",
        [
            ("truoc-han", "Trước hạn", lambda c: c.early),
            ("dung-han", "Đúng hạn", lambda c: c.on_time),
            ("qua-han", "Quá hạn", lambda c: c.late),
            ("tong-da-giai-quyet", "Tổng", lambda c: c.resolved),
        ],
    ),
    (
        "dang-giai-quyet",
        "Đang giải quyết",
        [
            ("trong-han", "Trong hạn", lambda c: c.within),
            ("dang-qua-han", "Quá hạn", lambda c: c.overdue),
            ("tong-dang-giai-quyet", "Tổng", lambda c: c.in_progress),
        ],
    ),
    ("tra-lai", None, [("tra-lai", "Trả lại / rút", lambda c: c.returned)]),
    ("ty-le", None, [("ty-le", "Tỷ lệ đúng hạn", None)]),
]
STAT_GROUP_KEYS = [g[0] for g in STAT_GROUPS]
ROW_SORTS = {"thu-tu", "don-vi", "ky"}


def count_cell(value: int) -> Cell:
    return Cell(format_number(value), value)


def rate_cell(rate: float | None) -> Cell:
    return Cell(DASH if rate is None else format_percent(rate), rate)


def stat_cells(counts: Counts, groups, formula: str) -> list[Cell]:
    cells = []
    for _, _, leaves in groups:
        for _, _, getter in leaves:
            cells.append(
                rate_cell(counts.rate(formula)) if getter is None else count_cell(getter(counts))
            )
    return cells


def _option_error(options: TableOptions, option: str, message: str) -> OptionError:
    return OptionError(options.lines.get(option, 0), message)


def chosen_stat_groups(options: TableOptions):
    unknown = [c for c in options.columns if c not in STAT_GROUP_KEYS]
    if unknown:
        raise _option_error(
            options,
            "cot",
            f"cot: không có nhóm cột '{unknown[0]}'; dùng: " + ", ".join(STAT_GROUP_KEYS),
        )
    wanted = options.columns or STAT_GROUP_KEYS
    return [g for g in STAT_GROUPS if g[0] in wanted]


def chosen_formula(options: TableOptions, default: str) -> str:
    formula = options.formula or default
    if formula not in FORMULAS:
        raise _option_error(
            options, "cong-thuc", f"cong_thuc '{formula}' không có; dùng: " + ", ".join(FORMULAS)
        )
    return formula


def sort_rows(rows: list[Row], leaves: list[Leaf], options: TableOptions) -> None:
    if options.sort in (None, "thu-tu", "ky"):
        if options.descending:
            rows.reverse()
        return
    if options.sort == "don-vi":
        rows.sort(key=lambda r: r.header.casefold(), reverse=options.descending)
        return
    index = next((i for i, leaf in enumerate(leaves) if leaf.key == options.sort), None)
    if index is None:
        allowed = ", ".join(["thu-tu", "don-vi", *(leaf.key for leaf in leaves)])
        raise _option_error(
            options,
            "sap-xep",
            f"sap_xep: không có cột '{options.sort}' trong bảng; dùng: {allowed}",
        )
    present = [r for r in rows if r.cells[index].value is not None]
    empty = [r for r in rows if r.cells[index].value is None]
    present.sort(key=lambda r: r.cells[index].value, reverse=options.descending)
    rows[:] = present + empty


def period_label(period: Period) -> str:
    return f"{period.name} ({format_short_date(period.start)} – {format_short_date(period.end)})"


def stats_table(
    period: Period,
    registry: Registry,
    options: TableOptions,
    *,
    ident: str,
    unit_url,
    downloads,
    default_formula: str,
    target: float,
) -> TableView:
    """Units × figures for one period, optionally one group or one parent's units."""
    if options.group and options.group not in GROUPS:
        raise _option_error(
            options, "nhom", f"nhom '{options.group}' không có; dùng: " + ", ".join(GROUPS)
        )
    if options.parent and options.parent not in registry:
        raise _option_error(options, "thuoc", f"thuoc: không có đơn vị mã '{options.parent}'")
    groups = chosen_stat_groups(options)
    formula = chosen_formula(options, default_formula)
    wanted = {u.code for u in registry.in_group(options.group, options.parent)}
    chosen = sorted(
        (r for r in period.rows if r.unit in wanted), key=lambda r: registry[r.unit].order
    )
    rows = [
        Row(
            registry[r.unit].name,
            unit_url(r.unit),
            stat_cells(r.counts, groups, formula),
            i,
            unit=r.unit,
        )
        for i, r in enumerate(chosen)
    ]
    leaves = [Leaf(k, label) for _, _, ls in groups for k, label, _ in ls]
    sort_rows(rows, leaves, options)
    scope = GROUPS[options.group][0] if options.group else "Tất cả đơn vị"
    if options.parent:
        scope = f"{scope} thuộc {registry[options.parent].full_name}"
    sums = total(chosen)
    view = TableView(
        ident=ident,
        caption=f"Tình hình xử lý hồ sơ – {scope} – {period_label(period)}",
        row_label="Đơn vị",
        groups=[HeaderGroup(label, [Leaf(k, t) for k, t, _ in ls]) for _, label, ls in groups],
        rows=rows,
        total=Row("Tổng cộng", None, stat_cells(sums, groups, formula), len(rows)),
        sample=period.sample,
        downloads=downloads,
        sort_key=options.sort if options.sort not in (None, "thu-tu") else None,
        descending=options.descending,
    )
    if options.summary:
        rates = [r.counts.rate(formula) for r in chosen]
        reached = sum(1 for rate in rates if rate is not None and rate >= target)
        view.summary = (
            f"{reached}/{len(chosen)} đơn vị đạt tỷ lệ đúng hạn từ {format_percent(target, 0)}"
        )
    if any(g[0] == "ty-le" for g in groups):
        view.notes.append(FORMULAS[formula] + f" Ô “{DASH}”: không có hồ sơ để tính tỷ lệ.")
    return view


def history_table(
    unit_code: str,
    periods: list[Period],
    registry: Registry,
    *,
    ident: str,
    period_url,
    downloads,
    formula: str,
) -> TableView:
    """One unit across every period it reported in, newest first."""
    options = TableOptions()
    groups = chosen_stat_groups(options)
    reported = [(p, p.row(unit_code)) for p in reversed(periods) if p.row(unit_code)]
    rows = [
        Row(p.name, period_url(p), stat_cells(r.counts, groups, formula), i, p.end.isoformat())
        for i, (p, r) in enumerate(reported)
    ]
    return TableView(
        ident=ident,
        caption=f"Tình hình xử lý hồ sơ của {registry[unit_code].full_name} qua các kỳ",
        row_label="Kỳ",
        groups=[HeaderGroup(label, [Leaf(k, t) for k, t, _ in ls]) for _, label, ls in groups],
        rows=rows,
        sample=any(p.sample for p, _ in reported),
        notes=[FORMULAS[formula] + f" Ô “{DASH}”: không có hồ sơ để tính tỷ lệ."],
        downloads=downloads,
    )


def status_cell(column, value) -> Cell:
    if value is None:
        return Cell(DASH, None, column.numeric)
    if column.kind == "so-nguyen":
        return Cell(format_number(value), value)
    if column.kind == "phan-tram":
        return Cell(format_percent(value), value)
    if column.kind == "ngay":
        return Cell(format_short_date(value), value.isoformat(), False)
    if column.kind == "trang-thai":
        return Cell(column.values[value], column.values[value], False)
    return Cell(value, value, False)


def status_table(
    table: StatusTable,
    registry: Registry,
    options: TableOptions,
    *,
    ident: str,
    unit_url,
    downloads,
) -> TableView:
    keys = [c.key for c in table.columns]
    unknown = [c for c in options.columns if c not in keys]
    if unknown:
        raise _option_error(
            options, "cot", f"cot: bảng không có cột '{unknown[0]}'; dùng: " + ", ".join(keys)
        )
    columns = [c for c in table.columns if not options.columns or c.key in options.columns]
    wanted = (
        {u.code for u in registry.in_group(options.group, options.parent)}
        if options.group or options.parent
        else None
    )
    chosen = [r for r in table.rows if wanted is None or r.unit in wanted]
    rows = [
        Row(
            registry[r.unit].name,
            unit_url(r.unit),
            [status_cell(c, r.cells.get(c.key)) for c in columns],
            i,
            unit=r.unit,
        )
        for i, r in enumerate(chosen)
    ]
    leaves = [Leaf(c.key, c.label) for c in columns]
    sort_rows(rows, leaves, options)
    caption = table.title + (
        f" (số liệu đến {format_short_date(table.as_of)})" if table.as_of else ""
    )
    view = TableView(
        ident=ident,
        caption=caption,
        row_label="Đơn vị",
        groups=[HeaderGroup(None, [leaf]) for leaf in leaves],
        rows=rows,
        sample=table.sample,
        notes=[table.note] if table.note else [],
        downloads=downloads,
        sort_key=options.sort if options.sort not in (None, "thu-tu") else None,
        descending=options.descending,
    )
    numeric = [c for c in columns if c.kind == "so-nguyen"]
    if numeric:
        sums = [
            sum(r.cells.get(c.key) or 0 for r in chosen) if c in numeric else None for c in columns
        ]
        view.total = Row(
            "Tổng cộng",
            None,
            [count_cell(s) if s is not None else Cell("", None, False) for s in sums],
            len(rows),
        )
    if options.summary and table.summary:
        hits = sum(1 for r in chosen if r.cells.get(table.summary.column) == table.summary.value)
        view.summary = f"{hits}/{len(chosen)} {table.summary.label}"
    return view
