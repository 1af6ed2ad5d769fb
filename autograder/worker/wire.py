"""A data-only codec for values that cross the grader/worker boundary.

Student code is untrusted, so nothing the worker sends may run code in the grader:
frames are JSON (never pickle), arrays travel as raw bytes with a whitelisted dtype,
and the decoder rebuilds only plain Python values, NumPy arrays and torch tensors.
A value of any other type is sent as an `Opaque` (its type name and a capped repr)
that compares equal to nothing.

Frames are a 4-byte big-endian length and a JSON body. `Frames` is the one parser of that
prefix: the worker reads its requests with `read_frame` (a blocking stream), the grader its
replies with a deadline (autograder/isolation/pipes.py); both split bytes with `Frames`.
Decoding takes the receiver's rule for the text it keeps (`clean`): the grader passes its
sanitiser (autograder/sanitize.py), the worker `as_sent` (its requests come from the grader).
"""

from __future__ import annotations

import base64
import json
import math
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import numpy.typing as npt

Message = dict[str, Any]  # a request, a reply, a control frame: always a dict at the top
Clean = Callable[[object, int], str]  # (text from the other side, its cap) -> text to keep
HEADER = struct.Struct(">I")

MAX_FRAME = 64 * 1024 * 1024  # a message larger than this is refused, not parsed
MAX_DEPTH = 32
MAX_REPR = 2000

_DTYPES = frozenset(
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 "
    "float16 float32 float64 complex64 complex128".split()
)
_TORCH_DTYPES = {  # torch dtype name -> the NumPy dtype its buffer travels as
    "bool": "bool", "uint8": "uint8", "int8": "int8", "int16": "int16", "int32": "int32",
    "int64": "int64", "float16": "float16", "float32": "float32", "float64": "float64",
    "bfloat16": "float32", "complex64": "complex64", "complex128": "complex128",
}


class CodecError(ValueError):
    """A frame or value that does not follow the codec."""


@dataclass(frozen=True, eq=False)
class Opaque:
    """Stand-in for a value the codec does not carry: never equal to anything."""

    type_name: str
    text: str

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


@dataclass(frozen=True)
class TrustedFunction:
    """A callable argument, named from the course's trusted helpers (course/functions.py)."""

    name: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Handle:
    """An object that lives in the worker (an instance of a student class)."""

    id: int
    type_name: str


def as_sent(text: object, limit: int) -> str:
    """The worker's `clean`: what the grader sent is trusted, only made a string and capped."""
    return (text if isinstance(text, str) else str(text))[:limit]


def _array_to_wire(arr: npt.NDArray[Any], tag: str) -> dict[str, Any]:
    if not arr.flags.c_contiguous:  # (np.ascontiguousarray would turn 0-d into 1-d)
        arr = arr.copy(order="C")
    return {"$": tag, "dtype": arr.dtype.name, "shape": list(arr.shape),
            "b64": base64.b64encode(arr.tobytes()).decode("ascii")}


def to_wire(value: Any, _depth: int = 0) -> Any:
    """Turn a value into JSON-ready data (used on both sides)."""
    if _depth > MAX_DEPTH:
        raise CodecError("value nested too deeply")
    t = type(value)
    if value is None or t in (bool, int, str):
        return value
    if t is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, (np.bool_, np.integer, np.floating)) and value.dtype.name in _DTYPES:
        return _array_to_wire(np.asarray(value), "scalar")
    if t in (list, tuple):
        return {"$": t.__name__, "v": [to_wire(v, _depth + 1) for v in value]}
    if t is dict:
        return {"$": "dict", "v": [[to_wire(k, _depth + 1), to_wire(v, _depth + 1)]
                                   for k, v in value.items()]}
    if t is np.ndarray and value.dtype.name in _DTYPES:
        return _array_to_wire(value, "nd")
    if t is TrustedFunction:
        return {"$": "fn", "name": value.name, "params": to_wire(value.params, _depth + 1)}
    if t is Handle:
        return {"$": "handle", "id": value.id, "type": value.type_name}
    if _is_tensor(value):
        dtype = str(value.dtype).removeprefix("torch.")
        if dtype in _TORCH_DTYPES:
            wire = _array_to_wire(
                value.detach().cpu().to(_torch_dtype(_TORCH_DTYPES[dtype])).numpy(), "tensor")
            wire.update(tdtype=dtype, requires_grad=bool(value.requires_grad),
                        grad_fn=value.grad_fn is not None)
            return wire
    return _opaque(value)


def _opaque(value: Any) -> dict[str, Any]:
    try:
        text = repr(value)
    except Exception as exc:  # noqa: BLE001 - a hostile __repr__ must not stop the reply
        text = f"<repr failed: {type(exc).__name__}>"
    return {"$": "opaque", "type": type(value).__name__[:100], "text": text[:MAX_REPR]}


def _is_tensor(value: Any) -> bool:
    torch = _torch_module()
    return torch is not None and type(value) in (torch.Tensor, torch.nn.Parameter)


def _torch_module() -> Any:
    return sys.modules.get("torch")  # only tensors if torch is already loaded


def _torch_dtype(name: str) -> Any:
    return getattr(_torch_module(), name)


def _array_from_wire(wire: dict[str, Any]) -> npt.NDArray[Any]:
    dtype = wire.get("dtype")
    if dtype not in _DTYPES:
        raise CodecError(f"dtype {dtype!r} is not allowed")
    shape = wire.get("shape")
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise CodecError("bad shape")
    raw = base64.b64decode(wire.get("b64", ""), validate=True)
    if len(raw) != math.prod(shape) * np.dtype(dtype).itemsize:
        raise CodecError("array buffer does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def from_wire(data: Any, clean: Clean, _depth: int = 0) -> Any:
    """Rebuild a value from JSON data, strictly: anything unexpected is a CodecError.

    The text a value carries besides plain strings (a handle's type, an opaque's text) is
    kept as `clean` makes it."""
    if _depth > MAX_DEPTH:
        raise CodecError("value nested too deeply")
    if type(data) is str:
        return _valid(data)
    if data is None or type(data) in (bool, int, float):
        return data
    if type(data) is not dict:
        raise CodecError(f"unexpected {type(data).__name__} in a frame")
    tag = data.get("$")
    if tag == "float":
        if data.get("v") not in ("nan", "inf", "-inf"):
            raise CodecError("bad float")
        return float(data["v"])
    if tag in ("list", "tuple"):
        items = [from_wire(v, clean, _depth + 1) for v in _as_list(data.get("v"))]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        out: dict[Any, Any] = {}
        for pair in _as_list(data.get("v")):
            if type(pair) is not list or len(pair) != 2:
                raise CodecError("bad dict item")
            key = from_wire(pair[0], clean, _depth + 1)
            if type(key) not in (str, int, float, bool, tuple) and key is not None:
                raise CodecError("bad dict key")
            out[key] = from_wire(pair[1], clean, _depth + 1)
        return out
    if tag == "scalar":
        return _array_from_wire(data)[()]
    if tag == "nd":
        return _array_from_wire(data)
    if tag == "tensor":
        return _tensor_from_wire(data)
    if tag == "fn":
        return TrustedFunction(str(data.get("name")), from_wire(data.get("params"), clean, _depth + 1))
    if tag == "handle":
        if type(data.get("id")) is not int:
            raise CodecError("bad handle")
        return Handle(data["id"], clean(data.get("type"), 100))
    if tag == "opaque":
        return Opaque(clean(data.get("type"), 100), clean(data.get("text"), MAX_REPR))
    raise CodecError(f"unknown tag {tag!r}")


def _valid(text: str) -> str:
    """A string every encoder accepts: JSON can spell lone surrogates ("\\ud800"), which
    then fail wherever the text is written; they become `\\ud800` escapes here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _as_list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise CodecError("expected a list")
    return value


def _tensor_from_wire(data: dict[str, Any]) -> Any:
    import torch

    tdtype = data.get("tdtype")
    if tdtype not in _TORCH_DTYPES:
        raise CodecError(f"tensor dtype {tdtype!r} is not allowed")
    tensor = torch.from_numpy(_array_from_wire(data)).to(getattr(torch, tdtype))
    if data.get("requires_grad") is True and tensor.is_floating_point():
        tensor.requires_grad_(True)
    # whether the sender's tensor had a graph (which does not travel): tests ask for it
    tensor.remote_grad_fn = data.get("grad_fn") is True  # type: ignore[attr-defined]
    return tensor


def encode(message: Any) -> bytes:
    """A whole message as one length-prefixed frame."""
    body = json.dumps(to_wire(message), separators=(",", ":")).encode()
    if len(body) > MAX_FRAME:
        raise CodecError(f"message of {len(body)} bytes exceeds {MAX_FRAME}")
    return HEADER.pack(len(body)) + body


def decode(body: bytes, *, clean: Clean) -> Any:
    """A frame's body as a value (`clean`: see from_wire)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise CodecError(f"frame is not JSON: {exc}") from None
    return from_wire(data, clean)


class Frames:
    """Bytes in, frame bodies out: the one parser of the length prefix, on both sides.

    A frame whose header announces more than `limit` bytes is refused before its body is read
    (`what` names it in the error: a "reply", a "frame")."""

    def __init__(self, limit: int = MAX_FRAME, what: str = "frame"):
        self.limit = limit
        self.what = what
        self.buffer = bytearray()  # appended in place: `bytes +=` copies a big frame per chunk

    def needed(self) -> int:
        """How many more bytes the next frame needs before it is whole (0: it is)."""
        if len(self.buffer) < HEADER.size:
            return HEADER.size - len(self.buffer)
        return max(0, HEADER.size + self._size() - len(self.buffer))

    def _size(self) -> int:
        size: int = HEADER.unpack_from(self.buffer)[0]
        if size > self.limit:
            raise CodecError(f"{self.what} of {size} bytes exceeds the limit of {self.limit}")
        return size

    def pop(self) -> bytes | None:
        """The next whole frame's body, taken out of the buffer; None while it is not whole."""
        if self.needed():
            return None
        size = self._size()
        body = bytes(self.buffer[HEADER.size:HEADER.size + size])
        del self.buffer[:HEADER.size + size]
        return body


def write_frame(stream: IO[bytes], message: Any) -> None:
    stream.write(encode(message))
    stream.flush()


def read_frame(stream: IO[bytes], *, clean: Clean) -> Any:
    """Blocking read of one frame, never past its end; EOFError when the stream closes."""
    frames = Frames()
    while (body := frames.pop()) is None:
        chunk = stream.read(frames.needed())
        if not chunk:
            raise EOFError("stream closed")
        frames.buffer += chunk
    return decode(body, clean=clean)
