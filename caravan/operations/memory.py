"""Handing freed memory back to the system. A long-lived worker's peak (a publish
re-rendering pages, a PDF) would otherwise stay resident: Python frees the objects, but
glibc keeps the freed heap for reuse. `release_freed_memory()` collects garbage and asks
glibc to trim (`malloc_trim(0)`); where the C library has no such call it does nothing."""

import ctypes
import ctypes.util
import gc
from functools import cache


@cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_freed_memory():
    """Collect garbage and return freed heap to the system; True when glibc trimmed."""
    gc.collect()
    trim = _malloc_trim()
    return bool(trim and trim(0))
