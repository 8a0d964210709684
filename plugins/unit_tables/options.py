"""The options an editor writes inside a ```bang-don-vi block."""

from dataclasses import dataclass, field

from .values import key, parse_flag

OPTION_NAMES = {
    "du-lieu": "du_lieu",
    "nhom": "nhom",
    "thuoc": "thuoc",
    "sap-xep": "sap_xep",
    "cot": "cot",
    "tom-tat": "tom_tat",
    "bieu-do": "bieu_do",
    "cong-thuc": "cong_thuc",
}
DESCENDING = {"giam", "giam-dan", "desc"}
ASCENDING = {"tang", "tang-dan", "asc"}


class OptionError(ValueError):
    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset  # lines after the opening fence


@dataclass
class TableOptions:
    source: str = ""
    group: str | None = None
    parent: str | None = None
    sort: str | None = None
    descending: bool = False
    columns: list[str] = field(default_factory=list)
    summary: bool = True
    chart: bool = False
    formula: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # option -> offset, for messages


def option_lines(text: str, allowed: dict[str, str]):
    """(offset, option, value) for each 'key: value' line of any block; keys may be typed
    with or without tone marks. `allowed` maps option keys to the names shown to editors."""
    for offset, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        name, sep, value = line.partition(":")
        option = key(name)
        if not sep or option not in allowed:
            raise OptionError(
                offset, f"tùy chọn '{name.strip()}' không có; dùng: " + ", ".join(allowed.values())
            )
        yield offset, option, value.strip()


def parse_options(text: str) -> TableOptions:
    options = TableOptions()
    for offset, option, value in option_lines(text, OPTION_NAMES):
        options.lines[option] = offset
        if option == "du-lieu":
            options.source = value.strip("/")
        elif option == "nhom":
            options.group = key(value)
        elif option == "thuoc":
            options.parent = key(value)
        elif option == "sap-xep":
            words = value.split()
            if words and key(words[-1]) in DESCENDING | ASCENDING:
                options.descending = key(words.pop()) in DESCENDING
            options.sort = key(" ".join(words))
        elif option == "cot":
            options.columns = [key(c) for c in value.split(",") if c.strip()]
        elif option in ("tom-tat", "bieu-do"):
            try:
                setattr(options, "summary" if option == "tom-tat" else "chart", parse_flag(value))
            except ValueError as error:
                raise OptionError(offset, f"{OPTION_NAMES[option]}: {error}") from None
        elif option == "cong-thuc":
            options.formula = key(value)
    if not options.source:
        raise OptionError(0, "thiếu 'du_lieu: ...' (tệp số liệu, ví dụ thong-ke/2018-10)")
    return options
