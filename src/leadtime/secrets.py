"""Secrets in addresses stay secret: what leadtime prints of a URL."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:/@]*):[^@/]*@")


def mask_url(url: str) -> str:
    """``url`` with the password of its user info masked:
    ``postgresql+psycopg://lead:s3cret@db/x`` -> ``postgresql+psycopg://lead:***@db/x``."""
    return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", url)
