"""Hidden tests of a1_losses: random inputs from fixed seeds, dtypes, edge cases.

Expected values come from the reference solution.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.isolation.remote import StudentError
from autograder.testing import (
    as_array,
    check_value,
    close,
    described,
    expect_error,
    fail,
    show,
    unchanged,
)
from solutions.a1_losses import losses as ref

from .mistakes import BROADCAST, MISTAKES

# (shape, kind, seed): kind is the dtype of both inputs, or "list" for nested Python lists.
CASES = [
    ((5,), "float64", 1),
    ((7, 1), "float64", 2),
    ((3, 4), "float32", 3),
    ((6,), "int", 4),
    ((2, 3, 2), "float64", 5),
    ((4, 2), "int32", 7),
]
# Python lists are a convention, not the lesson: their own small test per function.
LIST_CASES = [((8,), "list", 6), ((3, 2), "list", 8)]
MISMATCHED_SHAPES = [((5,), (5, 1)), ((5, 1), (5,)), ((4, 1), (1, 4))]
CASE_IDS = [f"{'x'.join(map(str, shape))}-{kind}" for shape, kind, _ in CASES]


def _pair(shape: tuple[int, ...], kind: str, seed: int):
    """Predictions and targets of the given shape and kind (targets spread, predictions near)."""
    rng = np.random.default_rng(seed)
    if kind in ("int", "int32"):
        pred, true = rng.integers(-20, 21, size=(2, *shape))
        if kind == "int32":
            pred, true = pred.astype(np.int32), true.astype(np.int32)
        return pred, true
    true = rng.normal(0.0, 3.0, size=shape)
    pred = true + rng.normal(0.0, 1.5, size=shape)
    if kind == "float32":
        return pred.astype(np.float32), true.astype(np.float32)
    if kind == "list":
        return pred.tolist(), true.tolist()
    return pred, true


def _rtol(kind: str) -> float:
    return 1e-5 if kind == "float32" else 1e-6


# --- mse ------------------------------------------------------------------------------


@pytest.mark.grades("mse")
@pytest.mark.parametrize("shape, kind, seed", CASES, ids=CASE_IDS)
def test_mse_matches_reference_on_random_shapes_and_dtypes(sub, shape, kind, seed):
    pred, true = _pair(shape, kind, seed)
    got = sub.mse(pred, true)
    check_value(got, ref.mse(pred, true), args=(pred, true), mistakes=MISTAKES["mse"], rtol=_rtol(kind))


@pytest.mark.grades("mse")
@pytest.mark.parametrize("shape, kind, seed", LIST_CASES, ids=["8-list", "3x2-list"])
def test_mse_accepts_python_lists(sub, shape, kind, seed):
    pred, true = _pair(shape, kind, seed)
    check_value(sub.mse(pred, true), ref.mse(pred, true),
                args=(pred, true), mistakes=MISTAKES["mse"])


@pytest.mark.grades("mse")
@pytest.mark.parametrize("shape_pred, shape_true", MISMATCHED_SHAPES)
def test_mse_raises_value_error_instead_of_broadcasting(sub, shape_pred, shape_true):
    rng = np.random.default_rng(11)
    pred, true = rng.normal(size=shape_pred), rng.normal(size=shape_true)
    expect_error(ValueError, sub.mse, pred, true, mistakes=BROADCAST["mse"])


@pytest.mark.grades("mse")
def test_mse_of_single_element_arrays(sub):
    check_value(sub.mse(np.array([2.5]), np.array([1.0])), 2.25)
    check_value(sub.mse(np.array([[3.0]]), np.array([[-1.0]])), 16.0)


@pytest.mark.grades("mse")
def test_mse_does_not_modify_inputs(sub):
    pred, true = _pair((3, 2), "float64", 12)
    got = sub.mse(pred.copy(), true.copy())
    unchanged()  # compute on new arrays instead
    check_value(got, ref.mse(pred, true), args=(pred, true), mistakes=MISTAKES["mse"])


# --- mae ------------------------------------------------------------------------------


@pytest.mark.grades("mae")
@pytest.mark.parametrize("shape, kind, seed", CASES, ids=CASE_IDS)
def test_mae_matches_reference_on_random_shapes_and_dtypes(sub, shape, kind, seed):
    pred, true = _pair(shape, kind, seed)
    got = sub.mae(pred, true)
    check_value(got, ref.mae(pred, true), rtol=_rtol(kind))


@pytest.mark.grades("mae")
@pytest.mark.parametrize("shape, kind, seed", LIST_CASES, ids=["8-list", "3x2-list"])
def test_mae_accepts_python_lists(sub, shape, kind, seed):
    pred, true = _pair(shape, kind, seed)
    check_value(sub.mae(pred, true), ref.mae(pred, true))


@pytest.mark.grades("mae")
@pytest.mark.parametrize("shape_pred, shape_true", MISMATCHED_SHAPES)
def test_mae_raises_value_error_instead_of_broadcasting(sub, shape_pred, shape_true):
    rng = np.random.default_rng(13)
    pred, true = rng.normal(size=shape_pred), rng.normal(size=shape_true)
    expect_error(ValueError, sub.mae, pred, true, mistakes=BROADCAST["mae"])


@pytest.mark.grades("mae")
def test_mae_of_single_element_arrays(sub):
    check_value(sub.mae(np.array([2.5]), np.array([1.0])), 1.5)
    check_value(sub.mae(np.array([[3]]), np.array([[-1]])), 4.0)


# --- mape -----------------------------------------------------------------------------


def _nonzero_targets(shape, kind, seed):
    """A pair from _pair whose targets hold no 0 (MAPE divides by them)."""
    pred, true = _pair(shape, kind, seed)
    true = np.asarray(true)
    true = np.where(true == 0, 1, true).astype(true.dtype)
    return pred, true.tolist() if kind == "list" else true


@pytest.mark.grades("mape")
@pytest.mark.parametrize("shape, kind, seed", CASES, ids=CASE_IDS)
def test_mape_matches_reference_on_random_shapes_and_dtypes(sub, shape, kind, seed):
    pred, true = _nonzero_targets(shape, kind, seed)
    check_value(sub.mape(pred, true), ref.mape(pred, true), args=(pred, true), mistakes=MISTAKES["mape"],
                rtol=_rtol(kind))


@pytest.mark.grades("mape")
@pytest.mark.parametrize("shape_pred, shape_true", MISMATCHED_SHAPES)
def test_mape_raises_value_error_on_shape_mismatch(sub, shape_pred, shape_true):
    rng = np.random.default_rng(12)
    pred, true = rng.normal(size=shape_pred), rng.uniform(1.0, 2.0, size=shape_true)
    same = true.reshape(shape_pred)
    check_value(sub.mape(pred, same), ref.mape(pred, same), args=(pred, same), mistakes=MISTAKES["mape"])
    expect_error(ValueError, sub.mape, pred, true)


@pytest.mark.grades("mape")
def test_mape_raises_value_error_for_a_zero_target_anywhere(sub):
    pred, true = _nonzero_targets((3, 4), "float64", 13)
    check_value(sub.mape(pred, true), ref.mape(pred, true),
                args=(pred, true), mistakes=MISTAKES["mape"])
    true = true.copy()
    true[2, 1] = 0.0
    expect_error(ValueError, sub.mape, pred, true)


# --- r2_score -------------------------------------------------------------------------


@pytest.mark.grades("r2_score")
@pytest.mark.parametrize("shape, kind, seed", CASES, ids=CASE_IDS)
def test_r2_score_matches_reference_on_random_shapes_and_dtypes(sub, shape, kind, seed):
    pred, true = _pair(shape, kind, seed)
    got = sub.r2_score(pred, true)
    check_value(got, ref.r2_score(pred, true), args=(pred, true), mistakes=MISTAKES["r2_score"],
                rtol=_rtol(kind))


@pytest.mark.grades("r2_score")
@pytest.mark.parametrize("shape, kind, seed", LIST_CASES, ids=["8-list", "3x2-list"])
def test_r2_score_accepts_python_lists(sub, shape, kind, seed):
    pred, true = _pair(shape, kind, seed)
    check_value(sub.r2_score(pred, true), ref.r2_score(pred, true),
                args=(pred, true), mistakes=MISTAKES["r2_score"])


@pytest.mark.grades("r2_score")
@pytest.mark.parametrize("pred, true, expected", [
    ([5, 5, 5], [5, 5, 5], 1.0),
    ([4.0, 5.0, 6.0], [5.0, 5.0, 5.0], 0.0),
    ([3.0], [3.0], 1.0),
    ([2.0], [3.0], 0.0),
    ([[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5], [0.5, 0.5]], 1.0),
], ids=["equal-constant", "wrong-constant", "single-right", "single-wrong", "2d-constant"])
def test_r2_score_handles_constant_targets_where_ss_tot_is_zero(sub, pred, true, expected):
    got = sub.r2_score(np.array(pred), np.array(true))
    check_value(got, expected)


# --- mse_torch ------------------------------------------------------------------------


@pytest.mark.grades("mse_torch")
@pytest.mark.parametrize("shape, dtype, seed", [
    ((4, 3), torch.float64, 21), ((6,), torch.float32, 22), ((1,), torch.float64, 23),
], ids=["4x3-float64", "6-float32", "1-float64"])
def test_mse_torch_matches_reference_on_random_tensors(sub, shape, dtype, seed):
    pred, true = _pair(shape, "float64", seed)
    pred_t, true_t = torch.tensor(pred, dtype=dtype), torch.tensor(true, dtype=dtype)
    got = sub.mse_torch(pred_t, true_t)
    if not isinstance(got, torch.Tensor) or got.dim() != 0:
        fail(f"{described()} returned {type(got).__name__} of shape {np.shape(got)}; "
             "expected a 0-dim torch.Tensor.")
    args = (pred_t.double().numpy(), true_t.double().numpy())
    check_value(got, ref.mse(*args), args=args, mistakes=MISTAKES["mse_torch"],
                rtol=1e-5 if dtype == torch.float32 else 1e-6)


@pytest.mark.grades("mse_torch")
def test_mse_torch_gradient_matches_2_times_error_over_n_on_random_tensors(sub):
    pred, true = _pair((3, 4), "float64", 24)
    try:
        _, (grad,) = sub.autograd("mse_torch", pred, torch.tensor(true))
    except StudentError as exc:
        if exc.type_name == "NotDifferentiable":
            fail(f"loss.backward() is impossible: {exc}", hint="not-differentiable")
        raise
    check_value(grad, 2 * (pred - true) / pred.size, args=(pred, true),
                mistakes=MISTAKES["mse_torch.grad"])


# --- train_val_test_split -------------------------------------------------------------

N = 20
NAMES = ["X_train", "X_val", "X_test", "y_train", "y_val", "y_test"]


def _rows(n: int) -> tuple[np.ndarray, np.ndarray]:
    """X row i is [i, 2i + 1] and y[i] = 1000 + i, so every row says where it came from."""
    ids = np.arange(n)
    return np.column_stack([ids, 2 * ids + 1]).astype(np.float64), 1000 + ids


def _parts(got) -> list[np.ndarray]:
    if not isinstance(got, (tuple, list)) or len(got) != 6:
        fail(f"{described()} returned {show(got, 200)}; expected a tuple of 6 arrays "
             "(X_train, X_val, X_test, y_train, y_val, y_test).")
    parts = [as_array(part) for part in got]
    for name, part, raw in zip(NAMES, parts, got, strict=True):
        if part is None or part.ndim == 0:
            fail(f"{described()} returned {name} = {show(raw, 200)}; expected an array of rows.")
    return [part for part in parts if part is not None]  # fail() raised on any None


def _x_ids(part: np.ndarray, name: str, one_d: bool = False) -> np.ndarray:
    """The ids of the rows of an X part (checks that each row is an intact row of X)."""
    if part.size == 0:
        return np.zeros(0)
    if one_d:
        if part.ndim != 1:
            fail(f"{described()} gave {name} of shape {part.shape}; X was 1-D, so its parts are 1-D.")
        return part
    if part.ndim != 2 or part.shape[1] != 2:
        fail(f"{described()} gave {name} of shape {part.shape}; the rows of X (2 columns) must stay rows.")
    if not np.array_equal(part[:, 1], 2 * part[:, 0] + 1):
        fail(f"{described()} gave {name} whose rows are not rows of X.")
    return part[:, 0]


def _ids(parts: list[np.ndarray], one_d: bool = False):
    xs = [_x_ids(p, name, one_d) for p, name in zip(parts[:3], NAMES[:3], strict=True)]
    ys = [p.reshape(-1) - 1000 for p in parts[3:]]
    return xs, ys


def _valid(ids: np.ndarray, n: int) -> bool:
    return bool(np.all((ids >= 0) & (ids < n) & (ids == np.round(ids))))


def _check_paired(parts: list[np.ndarray], n: int, one_d: bool = False) -> None:
    xs, ys = _ids(parts, one_d)
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if len(x) != len(y):
            fail(f"{described()} gave {NAMES[i]} with {len(x)} rows but {NAMES[i + 3]} with {len(y)}.")
        if not np.array_equal(x, y):
            hint = "split-unpaired" if _valid(x, n) and _valid(y, n) else None
            fail(f"{described()}: row k of {NAMES[i]} and element k of {NAMES[i + 3]} must come from "
                 f"the same original row; they do not (X rows {x[:5]}..., y rows {y[:5]}...).",
                 hint)


def _check_cover(parts: list[np.ndarray], n: int, one_d: bool = False) -> None:
    xs, ys = _ids(parts, one_d)
    for what, ids in (("X", np.concatenate(xs)), ("y", np.concatenate(ys))):
        if not np.array_equal(np.sort(ids), np.arange(n)):
            hint = "split-overlap" if _valid(ids, n) else None
            fail(f"{described()}: the three {what} parts together hold {len(ids)} rows "
                 f"({len(np.unique(ids))} different) but must hold each of the {n} rows "
                 "exactly once.", hint)


def _check_sizes(parts: list[np.ndarray], sizes: tuple[int, int, int]) -> None:
    for i, part in enumerate(parts):
        want = sizes[i % 3]
        if part.shape[0] != want and not (want == 0 and part.size == 0):
            fail(f"{described()} gave {NAMES[i]} with {part.shape[0]} rows; expected {want} "
                 f"(train, val, test = {sizes}: n_test = floor(n * test_ratio), "
                 "n_val = floor(n * val_ratio)).")


@pytest.mark.grades("train_val_test_split")
def test_split_keeps_rows_of_x_and_y_paired(sub):
    X, y = _rows(N)
    _check_paired(_parts(sub.train_val_test_split(X, y, seed=3)), N)


@pytest.mark.grades("train_val_test_split")
def test_split_parts_are_disjoint_and_cover_all_rows(sub):
    X, y = _rows(N)
    _check_cover(_parts(sub.train_val_test_split(X, y, 0.25, 0.25, seed=4)), N)


@pytest.mark.grades("train_val_test_split")
def test_split_shuffles_rows(sub):
    X, y = _rows(N)
    for seed in (0, 1):
        xs, _ = _ids(_parts(sub.train_val_test_split(X, y, seed=seed)))
        if all(np.array_equal(x, np.arange(x[0], x[0] + len(x))) for x in xs if len(x)):
            fail(f"{described()}: every part holds a run of consecutive rows in their original order.",
                 hint="split-not-shuffled")


@pytest.mark.grades("train_val_test_split")
@pytest.mark.parametrize("n, val_ratio, test_ratio, sizes", [
    (20, 0.2, 0.2, (12, 4, 4)),
    (9, 0.3, 0.3, (5, 2, 2)),
    (10, 0.25, 0.3, (5, 2, 3)),
    (7, 0.0, 0.5, (4, 0, 3)),
    (13, 0.15, 0.35, (8, 1, 4)),
    (1, 0.2, 0.2, (1, 0, 0)),
], ids=["20", "9-floor", "10-unequal", "7-no-val", "13-floor", "1-row"])
def test_split_sizes_use_floor_of_n_times_ratio(sub, n, val_ratio, test_ratio, sizes):
    X, y = _rows(n)
    _check_sizes(_parts(sub.train_val_test_split(X, y, val_ratio, test_ratio, 5)), sizes)


@pytest.mark.grades("train_val_test_split")
def test_split_different_seeds_give_different_splits(sub):
    X, y = _rows(N)
    a = _parts(sub.train_val_test_split(X, y, seed=0))
    b = _parts(sub.train_val_test_split(X, y, seed=1))
    if all(close(p, q, 0, 0) for p, q in zip(a, b, strict=True)):
        fail("seed=0 and seed=1 gave the same split: pass the seed to np.random.default_rng.")


@pytest.mark.grades("train_val_test_split")
@pytest.mark.parametrize("val_ratio, test_ratio", [
    (-0.1, 0.2), (0.2, -0.1), (0.5, 0.5), (0.7, 0.4), (1.0, 0.0), (0.0, 1.0),
])
def test_split_rejects_invalid_ratios(sub, val_ratio, test_ratio):
    X, y = _rows(10)
    expect_error(ValueError, sub.train_val_test_split, X, y, val_ratio, test_ratio, 0)


@pytest.mark.grades("train_val_test_split")
def test_split_rejects_x_and_y_of_different_lengths(sub):
    X, y = _rows(10)
    expect_error(ValueError, sub.train_val_test_split, X, y[:9])


@pytest.mark.grades("train_val_test_split")
def test_split_accepts_lists_and_1d_x(sub):
    X = [float(i) for i in range(10)]
    y = [1000 + i for i in range(10)]
    parts = _parts(sub.train_val_test_split(X, y, seed=5))
    _check_sizes(parts, (6, 2, 2))
    _check_paired(parts, 10, one_d=True)
    _check_cover(parts, 10, one_d=True)


@pytest.mark.grades("train_val_test_split")
def test_split_does_not_modify_inputs(sub):
    X, y = _rows(N)
    got = sub.train_val_test_split(X.copy(), y.copy(), seed=6)
    unchanged()  # e.g. rng.shuffle(X): index copies with a permutation instead
    parts = _parts(got)  # and the parts are a split: doing nothing earns nothing
    _check_paired(parts, N)
    _check_cover(parts, N)
