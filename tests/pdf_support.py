"""Reading back the PDFs Covey writes (briefs), for the tests that check what they say."""

from __future__ import annotations

import contextlib
import re
import zlib


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF's content streams (inflated where compressed)."""
    out = []
    # The end-of-line before 'endstream' is left in the match: compressed data can itself end in
    # a carriage return, and a decompressor stops at the stream's end whatever follows it.
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = m.group(1)
        with contextlib.suppress(zlib.error):
            raw = zlib.decompressobj().decompress(raw)
        out.append(raw.decode("latin-1"))
    return "".join(out)
