"""blake2b, the one hash vaultnet keys its caches with, without loading OpenSSL.

``hashlib`` loads OpenSSL's library to offer its other algorithms: about 4 ms of every
command's start, for a hash of a few bytes. CPython builds blake2b in (``_blake2``), and
``hashlib.blake2b`` is that same function; elsewhere it comes from ``hashlib``.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (a Python without the built-in module)
    from hashlib import blake2b

__all__ = ["blake2b", "hex_digest"]


def hex_digest(data: bytes, size: int = 20) -> str:
    """``data``'s blake2b digest of ``size`` bytes, in hex (twice as many characters)."""
    return blake2b(data, digest_size=size).hexdigest()
