"""Structured data for questions (FAQPage) and procedures (GovernmentService)."""

import json

from markupsafe import Markup


def plain(html: str) -> str:
    return Markup(html).striptags()


def faq_page(questions) -> dict | None:
    """FAQPage of the answered questions only: a question without an answer is not an FAQ."""
    answered = [q for q in questions if q.is_answered]
    if not answered:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": plain(q.title),
                "text": q.question,
                "dateCreated": q.date.isoformat(),
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": plain(q.content),
                    "dateCreated": q.answered.isoformat(),
                },
            }
            for q in answered
        ],
    }


def government_service(service, provider_url: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": plain(service.title),
        "identifier": service.code,
        "serviceType": service.field,
        "url": service.link,
        "provider": {
            "@type": "GovernmentOrganization",
            "name": service.agency_unit.full_name,
            "url": provider_url,
        },
    }


def script(data) -> Markup:
    if not data:
        return Markup("")
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">{text}</script>')
