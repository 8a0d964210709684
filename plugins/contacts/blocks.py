"""Options of the ```danh-ba (directory) and ```so-do-to-chuc (organisation chart) blocks."""

from unit_tables.options import OptionError, option_lines
from unit_tables.registry import GROUPS
from unit_tables.values import key

LANGUAGES = ("vi", "en")


def parse_block(text: str, allowed: dict[str, str]) -> dict[str, tuple[int, str]]:
    """{option: (line offset, value)}."""
    return {option: (offset, value) for offset, option, value in option_lines(text, allowed)}


def language(options) -> str:
    offset, value = options.get("ngon-ngu", (0, "vi"))
    lang = key(value)
    if lang not in LANGUAGES:
        raise OptionError(offset, f"ngon_ngu '{value}' không có; dùng: vi, en")
    return lang


def group(options) -> str | None:
    offset, value = options.get("nhom", (0, ""))
    chosen = key(value) or None
    if chosen not in (None, *GROUPS):
        raise OptionError(offset, f"nhom '{value}' không có; dùng: " + ", ".join(GROUPS))
    return chosen


def unit_code(options, name: str, registry, default: str) -> str:
    offset, value = options.get(name, (0, default))
    code = key(value)
    if code not in registry:
        raise OptionError(offset, f"{name.replace('-', '_')}: không có đơn vị mã '{value}'")
    return code
