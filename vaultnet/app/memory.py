"""What a report that makes large arrays asks of the C library's allocator."""

from __future__ import annotations

import sys

_M_MMAP_THRESHOLD = -3  # glibc's malloc.h
_MMAP_THRESHOLD = 128 * 1024  # glibc's own default


def keep_mmap_threshold() -> bool:
    """Keep glibc's threshold for mapping a large block at its default, for the rest of
    the process. glibc raises it each time a mapped block is freed (up to 32 MiB), so the
    arrays made after the first large one went come from the heap, and their memory stays
    with the process once they are freed: at 50,000 contacts ``network --format markdown``
    ended some 7 MiB higher. A threshold that is set is never raised. Elsewhere (not
    Linux, no ``mallopt``), nothing is done. Loading ctypes costs about 1.5 ms: only the
    reports that make such arrays (``network``) ask. Whether the threshold was set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
        return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))
    except (ImportError, OSError, AttributeError):
        return False
