"""Who is a visitor, without cookies and without storing an IP or user agent.

The id is a keyed BLAKE2b hash of (site, IP, user agent) under a random salt that
changes at midnight in Hạ Long; yesterday's salt is kept so a visit continues over
midnight, and salts older than 48 hours are deleted by the stores.
"""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

PORTAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SALT_BYTES = 16


def day_of(timestamp: float) -> str:
    """The portal's calendar day ('2018-11-08') for a Unix time."""
    return datetime.fromtimestamp(timestamp, PORTAL_TZ).date().isoformat()


def previous_day(day: str) -> str:
    return (datetime.fromisoformat(day) - timedelta(days=1)).date().isoformat()


def visitor_id(salt: bytes, site: str, ip: str, user_agent: str) -> str:
    digest = hashlib.blake2b(
        f"{site}\n{ip}\n{user_agent}".encode("utf-8", "replace"), key=salt, digest_size=16
    )
    return digest.hexdigest()
