"""Parsing editors' values: integers, percentages, dates, yes/no, identifiers."""

import re
from datetime import date

from vn_text import slugify

YES = {"co", "yes", "true", "1"}
NO = {"khong", "no", "false", "0"}


def parse_count(text: str) -> int:
    """A non-negative whole number written with digits only."""
    text = text.strip()
    if not re.fullmatch(r"\d+", text):
        if re.fullmatch(r"-\s*\d+", text):
            raise ValueError(f"'{text}' là số âm; số hồ sơ không thể âm")
        raise ValueError(f"'{text}' không phải số nguyên không âm (chỉ ghi chữ số, không dấu chấm)")
    return int(text)


def parse_percent(text: str) -> float:
    """'12,65%' or '12.65' as the ratio 0.1265."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(f"'{text}' không phải tỷ lệ phần trăm (ví dụ 12,65%)")
    return round(float(cleaned) / 100, 8)


def parse_date(text: str) -> date:
    """ISO '2018-11-08' or Vietnamese '08/11/2018'."""
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{text}' không phải ngày hợp lệ (viết 2018-11-08 hoặc 08/11/2018)"
        ) from None


def parse_flag(text: str) -> bool:
    key = slugify(text)
    if key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(f"'{text}' phải là 'có' hoặc 'không'")


def key(text: str) -> str:
    """Identifiers compare as slugs: 'Cấp huyện', 'cap_huyen' and 'cap-huyen' are one."""
    return slugify(text)
