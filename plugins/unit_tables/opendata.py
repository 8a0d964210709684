"""Every table's data as CSV and JSON files: the open-data side of the unit tables."""

import csv
import io
import json
import os

from fast_build.writer import write_output

from .registry import Registry
from .stats import COUNTS, Period
from .status import StatusTable

DERIVED = ("tong_tiep_nhan", "tong_da_giai_quyet", "tong_dang_giai_quyet", "ty_le_dung_han")


def _count_fields(counts, formula: str) -> dict:
    fields = {column.replace("-", "_"): getattr(counts, attr) for column, attr in COUNTS.items()}
    rate = counts.rate(formula)
    fields.update(
        tong_tiep_nhan=counts.received,
        tong_da_giai_quyet=counts.resolved,
        tong_dang_giai_quyet=counts.in_progress,
        ty_le_dung_han=None if rate is None else round(rate, 6),
    )
    return fields


def period_records(period: Period, registry: Registry, formula: str) -> list[dict]:
    return [
        {
            "ma_don_vi": row.unit,
            "ten_don_vi": registry[row.unit].full_name,
            **_count_fields(row.counts, formula),
        }
        for row in sorted(period.rows, key=lambda r: registry[r.unit].order)
    ]


def period_document(period: Period, registry: Registry, formula: str) -> dict:
    return {
        "ky": period.name,
        "loai_ky": period.kind,
        "tu_ngay": period.start.isoformat(),
        "den_ngay": period.end.isoformat(),
        "so_lieu_mau": period.sample,
        "cong_thuc_ty_le": formula,
        "dong": period_records(period, registry, formula),
    }


def history_records(unit: str, periods: list[Period], formula: str) -> list[dict]:
    return [
        {
            "ky": p.name,
            "tu_ngay": p.start.isoformat(),
            "den_ngay": p.end.isoformat(),
            "so_lieu_mau": p.sample,
            **_count_fields(p.row(unit).counts, formula),
        }
        for p in periods
        if p.row(unit)
    ]


def status_records(table: StatusTable, registry: Registry) -> list[dict]:
    def plain(value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    return [
        {
            "ma_don_vi": row.unit,
            "ten_don_vi": registry[row.unit].full_name,
            **{c.key.replace("-", "_"): plain(row.cells.get(c.key)) for c in table.columns},
        }
        for row in table.rows
    ]


def to_csv(records: list[dict]) -> str:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese correctly."""
    if not records:
        return "\ufeff"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in records)
    return "\ufeff" + buffer.getvalue()


def write_dataset(writer, base: str, document: dict, records: list[dict]) -> None:
    """Writes base.json (the whole document) and base.csv (its rows)."""
    target = os.path.join(writer.output_path, base)
    write_output(writer, target + ".json", json.dumps(document, ensure_ascii=False, indent=1))
    write_output(writer, target + ".csv", to_csv(records))
