"""How a test reads a value (as a float array, its shape, close or not) and how feedback
writes one (`show`): the same way wherever a value appears."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from autograder.worker.wire import Opaque

__all__ = ["as_array", "close", "extra_axes_only", "shape_of", "show"]

FloatArray = npt.NDArray[np.float64]


def as_array(value: Any) -> FloatArray | None:
    """A float array of any array-like or real scalar; None when it is not numeric data."""
    if value is None or isinstance(value, (Opaque, str, dict)):
        return None
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
        if arr.dtype == object or arr.dtype.kind not in "biuf":
            return None
        return arr.astype(np.float64)
    except (ValueError, TypeError):
        return None


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The shape of numeric data as a plain tuple (a tensor's too); None for anything else."""
    arr = as_array(value)
    return None if arr is None else tuple(arr.shape)


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def extra_axes_only(got_shape: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """Whether the two shapes differ only by size-1 axes (`(1, l)` or `(l, 1)` for `(l,)`)."""
    return got_shape != shape and _squeezed(got_shape) == _squeezed(shape)


def close(got: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """The same values (NaN equal to NaN) within tolerance, in shapes that differ at most by
    size-1 axes (those cost only the function's exact-shape test, `check_shape`)."""
    a, b = as_array(got), as_array(expected)
    if a is None or b is None:
        return False
    if a.shape != b.shape:
        if not extra_axes_only(a.shape, b.shape):
            return False
        a = a.reshape(b.shape)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _scalar(value: float | int | bool | np.generic) -> str:
    """A number as Python writes it: 9.0, 3.3333333, 7, True (never np.float64(9.0))."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    written = f"{float(value):.8g}"
    return written if any(c in written for c in ".en") else f"{written}.0"  # 9 -> 9.0


def show(value: Any, limit: int = 300) -> str:
    """A value in feedback, the same way wherever it appears: numbers as Python writes them,
    arrays and tensors with their shape, containers element by element; capped at `limit`."""
    if isinstance(value, (bool, int, float, np.generic)) and np.ndim(value) == 0 \
            and not isinstance(value, (np.str_, np.bytes_, np.void)):
        return _scalar(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(show(v, limit) for v in value[:20]) + (", ..." if len(value) > 20 else "")
        written = f"({inner}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) \
            else f"[{inner}]"
        return written[:limit]
    if isinstance(value, dict):
        inner = ", ".join(f"{show(k, limit)}: {show(v, limit)}" for k, v in list(value.items())[:20])
        return f"{{{inner}}}"[:limit]
    arr = as_array(value) if isinstance(value, np.ndarray) or hasattr(value, "detach") else None
    if arr is None:
        return repr(value)[:limit]
    if arr.ndim == 0:
        return _scalar(arr.item())
    written = np.array2string(arr, precision=6, threshold=20, separator=", ")
    return f"{written} (shape {arr.shape})"[:limit]
