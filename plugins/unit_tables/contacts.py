"""Contact details in the unit registry: addresses, phones, e-mail, officials.

Phones are checked with Google's libphonenumber rules for Vietnam and kept both as
written (0203.3.835.227) and in E.164 (+842033835227) for tel: links and vCards.
"""

from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from .values import parse_flag
from .yaml_lines import LINE

CONTACT_FIELDS = {
    "dia_chi",
    "dien_thoai",
    "fax",
    "email",
    "website",
    "gio_lam_viec",
    "du_lieu_mau",
    "can_bo",
}
OFFICIAL_FIELDS = {"ho_ten", "chuc_vu", "chuc_vu_en", "dien_thoai", "email"}


@dataclass(frozen=True)
class Phone:
    text: str  # as the editor wrote it
    e164: str

    @property
    def href(self) -> str:
        return f"tel:{self.e164}"


@dataclass
class Official:
    name: str
    position: str
    position_en: str | None = None
    phone: Phone | None = None
    email: str | None = None


@dataclass
class Contact:
    address: str | None = None
    phones: list[Phone] = field(default_factory=list)
    fax: Phone | None = None
    email: str | None = None
    website: str | None = None
    hours: str | None = None
    sample: bool = False
    officials: list[Official] = field(default_factory=list)


def parse_phone(text: str) -> Phone:
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(f"số điện thoại '{text}' không hợp lệ")
    return Phone(
        text.strip(), phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    )


def parse_email(text: str) -> str:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(f"thư điện tử '{text}' không hợp lệ") from None


def read_contact(entry, report) -> Contact | None:
    """`entry` is the unit's `lien_he` mapping; `report(line, message, rule)` collects."""
    if not isinstance(entry, dict):
        report(None, "lien_he phải gồm các mục dia_chi, dien_thoai, email...", "cau-truc")
        return None
    line = entry[LINE]
    for name in sorted(set(entry) - CONTACT_FIELDS - {LINE}):
        report(
            line,
            f"lien_he: mục '{name}' không có trong mẫu; dùng: " + ", ".join(sorted(CONTACT_FIELDS)),
            "truong-la",
        )
    contact = Contact(address=_text(entry.get("dia_chi")), hours=_text(entry.get("gio_lam_viec")))
    phones = entry.get("dien_thoai") or []
    for text in [phones] if isinstance(phones, str) else phones:
        contact.phones.extend(_checked(parse_phone, text, line, "lien_he.dien_thoai", report))
    for name, parser in (("fax", parse_phone), ("email", parse_email)):
        if entry.get(name):
            found = _checked(parser, entry[name], line, f"lien_he.{name}", report)
            setattr(contact, name, found[0] if found else None)
    website = _text(entry.get("website"))
    if website and not website.startswith(("https://", "http://")):
        report(line, f"lien_he.website '{website}' phải bắt đầu bằng https://", "website")
    contact.website = website
    if entry.get("du_lieu_mau"):
        try:
            contact.sample = parse_flag(entry["du_lieu_mau"])
        except ValueError as error:
            report(line, f"lien_he.du_lieu_mau: {error}", "gia-tri-sai")
    for official in entry.get("can_bo") or []:
        contact.officials.extend(_read_official(official, line, report))
    return contact


def _read_official(entry, line, report) -> list[Official]:
    if not isinstance(entry, dict):
        report(line, "can_bo: mỗi cán bộ cần ho_ten, chuc_vu", "cau-truc")
        return []
    line = entry[LINE]
    for name in sorted(set(entry) - OFFICIAL_FIELDS - {LINE}):
        report(line, f"can_bo: mục '{name}' không có trong mẫu", "truong-la")
    missing = [name for name in ("ho_ten", "chuc_vu") if not _text(entry.get(name))]
    for name in missing:
        report(line, f"can_bo: thiếu '{name}'", "thieu-truong")
    phone = (
        _checked(parse_phone, entry["dien_thoai"], line, "can_bo.dien_thoai", report)
        if entry.get("dien_thoai")
        else []
    )
    email = (
        _checked(parse_email, entry["email"], line, "can_bo.email", report)
        if entry.get("email")
        else []
    )
    if missing:
        return []
    return [
        Official(
            _text(entry["ho_ten"]),
            _text(entry["chuc_vu"]),
            _text(entry.get("chuc_vu_en")),
            phone[0] if phone else None,
            email[0] if email else None,
        )
    ]


def _checked(parser, text, line, name, report) -> list:
    try:
        return [parser(str(text))]
    except ValueError as error:
        report(line, f"{name}: {error}", "lien-he-sai")
        return []


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
