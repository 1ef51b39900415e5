"""The hashes vaultnet keys its caches and names its events with, without loading OpenSSL.

``hashlib`` loads OpenSSL's library to offer its other algorithms: about 4 ms of a
command's start, for a hash of a few bytes. CPython builds blake2b and SHA-256 in
(``_blake2``; ``_sha2`` from 3.12, ``_sha256`` before), and they give the same digests as
``hashlib``'s; a Python without them gets ``hashlib``'s.
"""

from __future__ import annotations

from typing import Any, Protocol

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (a Python without the built-in module)
    from hashlib import blake2b


def _sha256_maker() -> Any:
    for module in ("_sha2", "_sha256"):
        try:
            return __import__(module).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib  # pragma: no cover

    return hashlib.sha256  # pragma: no cover


_sha256 = _sha256_maker()

__all__ = ["blake2b", "hex_digest", "sha256"]


def hex_digest(data: bytes, size: int = 20) -> str:
    """``data``'s blake2b digest of ``size`` bytes, in hex (twice as many characters)."""
    return blake2b(data, digest_size=size).hexdigest()


class Hash(Protocol):
    def digest(self) -> bytes: ...

    def hexdigest(self) -> str: ...


def sha256(data: bytes) -> Hash:
    """``hashlib.sha256(data)``."""
    found: Hash = _sha256(data)
    return found
