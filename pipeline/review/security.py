"""Who may use the page and how forms are protected.

- Host binding: the page listens on 127.0.0.1 unless told otherwise; any host that is not a
  loopback name (configs `review.loopback_hosts`) needs an access token (`--token`), checked by
  `require_token_for`. With a token, every request must carry it: once as `?token=...` (the
  page then sets it as an HttpOnly, SameSite=Strict cookie) or as that cookie.
- Without a token the page answers only requests whose Host header is a loopback name, so a web
  page on another site cannot reach it through DNS rebinding.
- CSRF: each browser gets a random session cookie (SameSite=Strict); every form carries
  HMAC(secret, session) and a POST whose token does not match is refused (403). The secret is
  made per server start, so tokens of an earlier run are void.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

SESSION_COOKIE = "nianbao_session"
TOKEN_COOKIE = "nianbao_token"


class AccessError(ValueError):
    """The page cannot start this way (a non-loopback host without a token)."""


def require_token_for(host: str, token: str | None, loopback: Sequence[str]) -> None:
    if host not in loopback and not token:
        raise AccessError(
            f"--host {host} makes the review page reachable from other machines: "
            "give --token (a long random string every reviewer types once)"
        )


class Csrf:
    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(24)

    def token(self, session: str) -> str:
        return hmac.new(self._secret, session.encode(), hashlib.sha256).hexdigest()

    def valid(self, session: str | None, token: str | None) -> bool:
        if not session or not token:
            return False
        return hmac.compare_digest(self.token(session), token)


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
