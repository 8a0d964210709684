"""One vCard 3.0 per agency, written with vobject (the same library reads them back)."""

import vobject


def unit_vcard(unit, url: str | None = None) -> str:
    card = vobject.vCard()
    card.add("fn").value = unit.full_name
    card.add("n").value = vobject.vcard.Name(family=unit.full_name)
    card.add("org").value = [unit.full_name]
    card.add("kind").value = "org"
    contact = unit.contact
    if contact.address:
        address = card.add("adr")
        address.value = vobject.vcard.Address(
            street=contact.address, region="Quảng Ninh", country="Việt Nam"
        )
        address.type_param = "WORK"
    for phone in contact.phones:
        tel = card.add("tel")
        tel.value = phone.e164
        tel.type_param = "WORK"
    if contact.fax:
        fax = card.add("tel")
        fax.value = contact.fax.e164
        fax.type_param = "FAX"
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.website or url:
        card.add("url").value = contact.website or url
    if contact.hours:
        card.add("note").value = f"Giờ làm việc: {contact.hours}"
    return card.serialize()
