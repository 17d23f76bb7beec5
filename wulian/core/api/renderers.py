"""The API's JSON renderer: DRF's JSONRenderer, its bytes written by orjson.

DRF writes JSON with the standard library's encoder: about 0.25 ms for a 50-row page of
service requests, a tenth of what the page costs (docs/performance.md). orjson writes the
same bytes in a small fraction of that. Every value orjson does not write itself goes through
DRF's own encoder (`JSONEncoder.default`): datetimes (orjson is told to pass them on), dates,
decimals, lazy translations, UUIDs, querysets, sets, dataclasses (refused, as DRF refuses
them). The characters U+2028 and U+2029 are escaped as DRF escapes them.

Where orjson cannot write a value (an integer beyond 64 bits, nesting deeper than 254) or the
answer is not compact UTF-8 (an `indent` asked in the Accept header, the browsable API,
ASCII-only or non-compact settings), DRF's renderer writes it as before.

Two answers differ from DRF's and are documented (ADR 0011): a float below 1e-4 is written
without an exponent where Python writes one (`0.00001` for `1e-05`, the same number), and a
NaN or infinite float becomes `null` where DRF's strict JSON refused the whole answer.
"""

from __future__ import annotations

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_OPTIONS |= orjson.OPT_PASSTHROUGH_DATACLASS


class JSONRenderer(renderers.JSONRenderer):
    def __init__(self):
        self._default = self.encoder_class().default

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or self.encoder_class is not JSONEncoder
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            out = orjson.dumps(data, default=self._default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in out or b"\xe2\x80\xa9" in out:
            out = out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return out
