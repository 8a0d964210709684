"""schema.org GovernmentOrganization for an agency, with its contact officials."""

import json

from markupsafe import Markup


def organization(unit, url: str, parent=None, english: bool = False) -> dict:
    contact = unit.contact
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": unit.name_en if english else unit.full_name,
        "url": url,
    }
    if english and unit.name_en != unit.full_name:
        data["alternateName"] = unit.full_name
    if parent is not None:
        data["parentOrganization"] = {
            "@type": "GovernmentOrganization",
            "name": parent.name_en if english else parent.full_name,
        }
    if contact is None:
        return data
    if contact.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": contact.address,
            "addressRegion": "Quảng Ninh",
            "addressCountry": "VN",
        }
    if contact.phones:
        data["telephone"] = contact.phones[0].e164
    if contact.fax:
        data["faxNumber"] = contact.fax.e164
    if contact.email:
        data["email"] = contact.email
    if contact.website:
        data["sameAs"] = contact.website
    if contact.hours:
        data["description"] = f"Giờ làm việc: {contact.hours}"
    members = []
    for official in contact.officials:
        person = {
            "@type": "Person",
            "name": official.name,
            "jobTitle": (official.position_en or official.position)
            if english
            else official.position,
        }
        if official.phone:
            person["telephone"] = official.phone.e164
        if official.email:
            person["email"] = official.email
        members.append(person)
    if members:
        data["employee"] = members
    return data


def script_tag(data) -> Markup:
    """A JSON-LD data block; '</' is escaped so no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">{text}</script>')
