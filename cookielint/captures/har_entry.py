"""The parts of a HAR entry that tell about cookies, for msgspec to decode and the rest to skip."""

from __future__ import annotations

import msgspec


class Request(msgspec.Struct):
    url: object = None
    cookies: object = None


class Response(msgspec.Struct):
    headers: object = None
    cookies: object = None


class Entry(msgspec.Struct):
    startedDateTime: object = None
    request: Request | None = None
    response: Response | None = None


DECODER = msgspec.json.Decoder(Entry)
