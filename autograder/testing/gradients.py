"""Gradient checks written once (기울기 검증): a central-difference numerical gradient
(수치 미분) compared by relative error, as CS231n does, and torch autograd (자동 미분).

    rel_error(a, n) = max |a - n| / max(floor, |a| + |n|)

A right analytic gradient of a smooth function stays far below 1e-7 with h = 1e-5; a
missing factor or a transposed term is of order 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from autograder.testing.calls import described
from autograder.testing.data import as_array, show
from autograder.testing.failures import Mistake, fail, which_mistake
from autograder.testing.values import check_value

if TYPE_CHECKING:  # torch is imported by the one check that uses it: grading starts faster
    import torch

__all__ = ["REL_ERROR", "check_gradient", "gradcheck", "numeric_grad", "rel_error", "torch_grads"]

FloatArray = npt.NDArray[np.float64]
REL_ERROR = 1e-5  # the default bound: backward passes through several float64 operations
H = 1e-5          # the default step of the central differences


def numeric_grad(f: Callable[[FloatArray], float], x: Any, h: float = H) -> FloatArray:
    """Central differences (f(x + h) - f(x - h)) / 2h of the scalar function f at x, one
    entry at a time (on a float64 copy of x)."""
    x = np.array(x, dtype=np.float64)
    grad: FloatArray = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f(x)
        x[idx] = old - h
        minus = f(x)
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def rel_error(a: Any, b: Any, floor: float = 1e-8) -> float:
    """The largest relative error between two arrays (CS231n); `floor` keeps entries that
    are both about zero from dividing by zero."""
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(floor, np.abs(x) + np.abs(y))))


def torch_grads(forward: Callable[..., torch.Tensor], inputs: Sequence[Any],
                upstream: Any) -> list[FloatArray]:
    """Gradients of sum(forward(*inputs) * upstream) with respect to each input, by torch
    autograd in float64."""
    import torch

    leaves = [torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in inputs]
    out = forward(*leaves)
    (out * torch.as_tensor(np.asarray(upstream, dtype=np.float64))).sum().backward()  # type: ignore[no-untyped-call]  # torch: Tensor.backward is unannotated
    return [leaf.grad.numpy() for leaf in leaves if leaf.grad is not None]


def check_gradient(got: Any, numeric: Any, *, call: str | None = None, part: str | None = None,
                   args: Sequence[Any] = (), mistakes: Sequence[Mistake] = (),
                   bound: float = REL_ERROR, floor: float = 1e-8) -> None:
    """`got` agrees with the numerical gradient `numeric` within relative error `bound`;
    else fail, with the hint of the mistake that gives `got` on `args`."""
    a = as_array(got)
    if a is None or a.size != np.size(numeric):
        check_value(got, numeric, call=call, part=part, args=args, mistakes=mistakes)  # says why
        return
    a = a.reshape(np.shape(numeric))  # extra size-1 axes cost only the exact-shape test
    err = rel_error(a, numeric, floor)
    if err > bound:
        fail(f"{described(call, part)} returned {show(a)}; the central-difference gradient is "
             f"{show(numeric)} (relative error {err:.1e} > {bound:g}).",
             which_mistake(got, numeric, args, mistakes))


def gradcheck(got: Sequence[Any], forward_np: Callable[..., Any],
              forward_torch: Callable[..., torch.Tensor], inputs: Sequence[Any], upstream: Any,
              *, call: str | None = None, bound: float = REL_ERROR) -> None:
    """A backward pass's gradients, one per input, against torch autograd of `forward_torch`
    and against central differences of sum(forward_np(*inputs) * upstream)."""
    said = described(call)
    auto = torch_grads(forward_torch, inputs, upstream)
    arrays = [np.asarray(x, dtype=np.float64) for x in inputs]
    for i, (g, a) in enumerate(zip(got, auto, strict=True)):
        part = f"gradient #{i + 1}"
        check_value(g, a, call=f"{said} (vs torch autograd)", part=part)

        def scalar(v: FloatArray, i: int = i) -> float:
            return float(np.sum(forward_np(*arrays[:i], v, *arrays[i + 1:]) * upstream))

        check_gradient(g, numeric_grad(scalar, arrays[i]), call=said, part=part, bound=bound)
