"""A data-only codec for values that cross the grader/worker boundary.

Student code is untrusted, so nothing the worker sends may run code in the grader:
frames are JSON (never pickle), arrays travel as raw bytes with a whitelisted dtype,
and the decoder rebuilds only plain Python values, NumPy arrays and torch tensors.
A value of any other type is sent as an `Opaque` (its type name and a capped repr)
that compares equal to nothing.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from autograder.sanitize import clean_text

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
    """A callable argument, named from the worker's trusted registry (worker/functions.py)."""

    name: str
    params: dict


@dataclass(frozen=True)
class Handle:
    """An object that lives in the worker (an instance of a student class)."""

    id: int
    type_name: str


def _array_to_wire(arr: np.ndarray, tag: str) -> dict:
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


def _opaque(value: Any) -> dict:
    try:
        text = repr(value)
    except Exception as exc:  # noqa: BLE001 - a hostile __repr__ must not stop the reply
        text = f"<repr failed: {type(exc).__name__}>"
    return {"$": "opaque", "type": type(value).__name__[:100], "text": text[:MAX_REPR]}


def _is_tensor(value: Any) -> bool:
    torch = _torch_module()
    return torch is not None and type(value) in (torch.Tensor, torch.nn.Parameter)


def _torch_module():
    import sys

    return sys.modules.get("torch")  # only tensors if torch is already loaded


def _torch_dtype(name: str):
    return getattr(_torch_module(), name)


def _array_from_wire(wire: dict) -> np.ndarray:
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


def from_wire(data: Any, _depth: int = 0) -> Any:
    """Rebuild a value from JSON data, strictly: anything unexpected is a CodecError."""
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
        items = [from_wire(v, _depth + 1) for v in _as_list(data.get("v"))]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        out = {}
        for pair in _as_list(data.get("v")):
            if type(pair) is not list or len(pair) != 2:
                raise CodecError("bad dict item")
            key = from_wire(pair[0], _depth + 1)
            if type(key) not in (str, int, float, bool, tuple) and key is not None:
                raise CodecError("bad dict key")
            out[key] = from_wire(pair[1], _depth + 1)
        return out
    if tag == "scalar":
        return _array_from_wire(data)[()]
    if tag == "nd":
        return _array_from_wire(data)
    if tag == "tensor":
        return _tensor_from_wire(data)
    if tag == "fn":
        return TrustedFunction(str(data.get("name")), from_wire(data.get("params"), _depth + 1))
    if tag == "handle":
        if type(data.get("id")) is not int:
            raise CodecError("bad handle")
        return Handle(data["id"], clean_text(data.get("type"), 100))
    if tag == "opaque":
        return Opaque(clean_text(data.get("type"), 100), clean_text(data.get("text"), MAX_REPR))
    raise CodecError(f"unknown tag {tag!r}")


def _valid(text: str) -> str:
    """A string every encoder accepts: JSON can spell lone surrogates ("\\ud800"), which
    then fail wherever the text is written; they become `\\ud800` escapes here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _as_list(value: Any) -> list:
    if type(value) is not list:
        raise CodecError("expected a list")
    return value


def _tensor_from_wire(data: dict):
    import torch

    tdtype = data.get("tdtype")
    if tdtype not in _TORCH_DTYPES:
        raise CodecError(f"tensor dtype {tdtype!r} is not allowed")
    tensor = torch.from_numpy(_array_from_wire(data)).to(getattr(torch, tdtype))
    if data.get("requires_grad") is True and tensor.is_floating_point():
        tensor.requires_grad_(True)
    tensor.remote_grad_fn = data.get("grad_fn") is True
    return tensor


def encode(message: Any) -> bytes:
    """A whole message as one length-prefixed frame."""
    body = json.dumps(to_wire(message), separators=(",", ":")).encode()
    if len(body) > MAX_FRAME:
        raise CodecError(f"message of {len(body)} bytes exceeds {MAX_FRAME}")
    return struct.pack(">I", len(body)) + body


def decode(body: bytes) -> Any:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise CodecError(f"frame is not JSON: {exc}") from None
    return from_wire(data)


def write_frame(stream: BinaryIO, message: Any) -> None:
    stream.write(encode(message))
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    """Blocking read of one frame; EOFError when the stream closes."""
    header = _read_exact(stream, 4)
    (size,) = struct.unpack(">I", header)
    if size > MAX_FRAME:
        raise CodecError(f"frame of {size} bytes exceeds {MAX_FRAME}")
    return decode(_read_exact(stream, size))


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
