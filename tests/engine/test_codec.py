"""The data-only codec: plain values round-trip; anything else is refused or made opaque."""

import base64
import json
import struct

import numpy as np
import pytest
import torch

from autograder.isolation.pipes import received
from autograder.worker import wire
from autograder.worker.wire import CodecError, Handle, Opaque, TrustedFunction


def roundtrip(value):
    """Encoded as either side sends, decoded as the grader receives (its text made safe)."""
    return received(wire.encode(value)[4:])


@pytest.mark.parametrize("value", [None, True, 3, -2.5, "평균 제곱 오차", [1, [2]], (1, (2.0,)),
                                   {"total": 3300.0, 1: (2, 3)}, float("inf")])
def test_plain_values_round_trip_with_their_types(value):
    got = roundtrip(value)
    assert got == value and type(got) is type(value)


def test_nan_round_trips():
    assert np.isnan(roundtrip(float("nan")))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "bool", "uint16"])
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3), (2, 1, 2)])
def test_arrays_keep_dtype_shape_and_values(dtype, shape):
    arr = (np.arange(int(np.prod(shape))) % 3).astype(dtype).reshape(shape)
    got = roundtrip(arr)
    assert type(got) is np.ndarray and got.dtype == arr.dtype and got.shape == shape
    assert np.array_equal(got, arr)


def test_non_contiguous_array_keeps_its_values():
    arr = np.arange(12.0).reshape(3, 4).T
    assert np.array_equal(roundtrip(arr), arr)


def test_numpy_scalars_come_back_as_numpy_scalars():
    got = roundtrip(np.float32(1.5))
    assert got == 1.5 and got.dtype == np.float32 and np.ndim(got) == 0


def test_tensors_keep_dtype_and_grad_flags():
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = (x * 2).sum()
    got_x, got_y = roundtrip(x), roundtrip(y)
    assert got_x.dtype == torch.float64 and got_x.requires_grad and not got_x.remote_grad_fn
    assert got_y.remote_grad_fn and float(got_y.detach()) == 6.0


def test_object_arrays_and_unknown_types_become_opaque():
    class Sneaky:
        def __eq__(self, other):
            return True

    for value in (np.array([object()]), Sneaky()):
        got = roundtrip(value)
        assert isinstance(got, Opaque)
        assert got != got and got != 1 and not (got == 0)


def test_subclasses_of_float_and_ndarray_are_not_passed_through():
    class Liar(float):
        def __eq__(self, other):
            return True

    class LiarArray(np.ndarray):
        pass

    assert isinstance(roundtrip(Liar(1.0)), Opaque)
    assert isinstance(roundtrip(np.zeros(2).view(LiarArray)), Opaque)


def test_trusted_functions_and_handles_round_trip():
    function = TrustedFunction("sum_of_squares", {"a": 1})
    assert roundtrip(function) == function
    assert roundtrip(Handle(3, "MulNode")) == Handle(3, "MulNode")


def frame(data) -> bytes:
    body = json.dumps(data).encode()
    return struct.pack(">I", len(body)) + body


@pytest.mark.parametrize("data, why", [
    ({"$": "nd", "dtype": "object", "shape": [1], "b64": ""}, "not allowed"),
    ({"$": "nd", "dtype": "float64", "shape": [4], "b64": base64.b64encode(b"x" * 8).decode()},
     "does not match"),
    ({"$": "pickle", "v": "gASV"}, "unknown tag"),
    ({"$": "float", "v": "1e999999"}, "bad float"),
    ([1, 2], "unexpected list"),
])
def test_decoder_refuses_malformed_frames(data, why):
    with pytest.raises(CodecError, match=why):
        received(frame(data)[4:])


def test_too_deep_nesting_is_refused():
    value: list = []
    for _ in range(wire.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(CodecError, match="deeply"):
        wire.encode(value)


def test_oversized_frame_header_is_refused_before_reading(tmp_path):
    path = tmp_path / "frame"
    path.write_bytes(struct.pack(">I", wire.MAX_FRAME + 1))
    with open(path, "rb") as f, pytest.raises(CodecError, match="exceeds"):
        wire.read_frame(f, clean=wire.as_sent)


def test_strings_that_no_encoder_accepts_arrive_as_escapes():
    value = received(b'{"$": "list", "v": ["bad \\ud800", {"$": "opaque", "type": "\\u001b[2J",'
                         b' "text": "\\udcff"}]}')
    assert value[0] == "bad \\ud800"
    value[0].encode("utf-8")
    assert value[1].type_name == "\\x1b[2J" and value[1].text == "\\udcff"
