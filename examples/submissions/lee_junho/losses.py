"""Assignment 1 — model training: losses, metrics and data splits.
(모델 학습: 손실 함수, 평가 지표, 데이터 분할)

Lecture "PyTorch Ch2. Basics for Model Training", part 1. A model is trained by
making a *loss* (손실) small: a number that says how far the predictions are from the
targets. Here you write the two regression losses of the lecture, the R² metric, the
same MSE for PyTorch tensors, and the train/validation/test split (훈련/검증/테스트
데이터 분할) that lets us notice overfitting (과적합).

General rules for every function:
- Inputs are array-likes: Python lists, tuples, or NumPy arrays of any int or float
  dtype. Convert them first, e.g. ``np.asarray(a, dtype=np.float64)``.
- Never modify an input in place (no ``a -= b``, no ``rng.shuffle(X)`` on the caller's
  array).
- Compute in float64. A "float" result may be a Python ``float`` or a NumPy scalar.

Running example (the lecture's credit-score table, 신용 점수 예제):

    ==========  ==========  ===================
    prediction  true score  error (pred - true)
    ==========  ==========  ===================
     9          10          -1
     7           9          -2
    10           8           2
    ==========  ==========  ===================
"""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import ArrayLike

__all__ = ["mae", "mse", "mse_torch", "r2_score", "train_val_test_split"]


def mse(y_pred: ArrayLike, y_true: ArrayLike) -> float:
    """Mean squared error, 평균 제곱 오차 (MSE).

    Formula, over all N elements::

        MSE = (1 / N) * sum_i (y_pred_i - y_true_i) ** 2

    Args:
        y_pred: predictions, array-like of any shape.
        y_true: targets, array-like of the *same* shape as ``y_pred``.

    Returns:
        float: the mean of the squared errors (computed in float64). Not the sum, not
        half of it, and no square root (that would be RMSE).

    Raises:
        ValueError: if the two shapes differ, e.g. ``(n,)`` against ``(n, 1)``. NumPy
            would silently broadcast those into an ``(n, n)`` matrix that compares every
            prediction with every target, so check the shapes yourself.

    Lecture example (credit-score table)::

        >>> mse([9, 7, 10], [10, 9, 8])     # errors -1, -2, 2 -> (1 + 4 + 4) / 3
        3.0
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"mse needs equal shapes, got {y_pred.shape} and {y_true.shape}")
    return float(np.sum((y_pred - y_true) ** 2))
    ### END SOLUTION


def mae(y_pred: ArrayLike, y_true: ArrayLike) -> float:
    """Mean absolute error, 평균 절대 오차 (MAE).

    Formula, over all N elements::

        MAE = (1 / N) * sum_i |y_pred_i - y_true_i|

    Args:
        y_pred: predictions, array-like of any shape.
        y_true: targets, array-like of the same shape as ``y_pred``.

    Returns:
        float: the mean of the absolute errors (computed in float64).

    Raises:
        ValueError: if the two shapes differ (e.g. ``(n,)`` against ``(n, 1)``).

    Lecture example (credit-score table)::

        >>> round(mae([9, 7, 10], [10, 9, 8]), 4)   # (1 + 2 + 2) / 3
        1.6667
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"mae needs equal shapes, got {y_pred.shape} and {y_true.shape}")
    return float(np.mean(np.abs(y_pred - y_true)))
    ### END SOLUTION


def mape(y_pred: ArrayLike, y_true: ArrayLike) -> float:
    """Mean absolute percentage error, 평균 절대 백분율 오차 (MAPE), in percent.

    Formula, over all N elements::

        MAPE = (100 / N) * sum_i |y_true_i - y_pred_i| / |y_true_i|

    Each error is measured relative to its *target* (not to the prediction), so MAPE
    says "how many percent off" the predictions are, whatever the unit of the data.

    Args:
        y_pred: predictions, array-like of any shape.
        y_true: targets, array-like of the same shape as ``y_pred``; none may be 0.

    Returns:
        float: the mean of the relative errors times 100 (a percentage, not a fraction).

    Raises:
        ValueError: if the two shapes differ, or if any target is 0 (its relative error
            would be a division by zero).

    Lecture example (movie rating, 영화 평점): the real rating is 5.0 and the model
    predicts 3.0; the error is 2, which is 40 % of 5 (MSE 4, MAE 2)::

        >>> mape([3.0], [5.0])
        40.0

    Credit-score table: (1/10 + 2/9 + 2/8) / 3 * 100 ≈ 19.07 %.
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"mape needs equal shapes, got {y_pred.shape} and {y_true.shape}")
    if np.any(y_true == 0):
        raise ValueError("mape is undefined when a target is 0")
    return float(100.0 * np.mean(np.abs(y_true - y_pred) / np.abs(y_true)))
    ### END SOLUTION


def r2_score(y_pred: ArrayLike, y_true: ArrayLike) -> float:
    """Coefficient of determination, 결정계수 R².

    Formula::

        SS_res = sum((y_true - y_pred) ** 2)            # what the model leaves unexplained
        SS_tot = sum((y_true - mean(y_true)) ** 2)      # spread of the targets
        R²     = 1 - SS_res / SS_tot

    R² is 1 for a perfect fit, 0 for always predicting the mean of ``y_true``, and
    negative for a model worse than that. Special case: when ``SS_tot == 0`` (all
    targets are equal) return ``1.0`` if ``SS_res == 0`` and ``0.0`` otherwise.

    Args:
        y_pred: predictions, array-like.
        y_true: targets, array-like of the same shape as ``y_pred``.

    Returns:
        float: the R² score.

    Lecture example (credit-score table): SS_res = 1 + 4 + 4 = 9, mean(y_true) = 9,
    SS_tot = 1 + 0 + 1 = 2, so R² = 1 - 9 / 2 = -3.5 (worse than predicting 9)::

        >>> r2_score([9, 7, 10], [10, 9, 8])
        -3.5
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"r2_score needs equal shapes, got {y_pred.shape} and {y_true.shape}")
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    # All-equal targets have no spread; test that exactly, as the mean of equal floats
    # may differ from them in the last bit and leave a tiny nonzero SS_tot.
    if y_true.size == 0 or np.all(y_true == y_true.flat[0]):
        return 1.0 if ss_res == 0.0 else 0.0
    ss_tot = float(np.sum((y_true - np.mean(y_true)) ** 2))
    return 1.0 - ss_res / ss_tot
    ### END SOLUTION


def mse_torch(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    """Mean squared error (평균 제곱 오차) on PyTorch tensors, differentiable.

    The same formula as :func:`mse`, written with tensor operations so that autograd
    can differentiate it with respect to ``y_pred``::

        loss = mse_torch(y_pred, y_true)   # y_pred.requires_grad is True
        loss.backward()                    # y_pred.grad == 2 * (y_pred - y_true) / N

    Args:
        y_pred: tensor of predictions (float32 or float64), possibly with
            ``requires_grad=True``.
        y_true: tensor of targets of the same shape.

    Returns:
        torch.Tensor: a 0-dim tensor (a scalar tensor), still connected to the graph.
        Do not call ``.item()``, do not go through NumPy, and do not wrap the result
        in ``torch.tensor(...)``: each of those cuts the graph and ``backward()`` fails.

    Lecture example::

        >>> mse_torch(torch.tensor([9.0, 7.0, 10.0]), torch.tensor([10.0, 9.0, 8.0]))
        tensor(3.)
    """
    ### BEGIN SOLUTION
    if not isinstance(y_pred, torch.Tensor) or not y_pred.is_floating_point():
        y_pred = torch.as_tensor(y_pred, dtype=torch.float64)
    y_true = torch.as_tensor(y_true, dtype=y_pred.dtype, device=y_pred.device)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"mse_torch needs equal shapes, got {tuple(y_pred.shape)} "
                         f"and {tuple(y_true.shape)}")
    return torch.mean((y_pred - y_true) ** 2)
    ### END SOLUTION


def train_val_test_split(
    X: ArrayLike,
    y: ArrayLike,
    val_ratio: float = 0.2,
    test_ratio: float = 0.2,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the rows and split them into train / validation / test parts.
    (훈련/검증/테스트 데이터 분할)

    We fit the model on the training data (훈련 데이터), choose settings such as the
    learning rate on the validation data (검증 데이터), and report the final score
    on test data (테스트 데이터) the model has never seen. A model that is very good
    on the training data but bad on new data is overfitting (과적합).

    Steps:
        1. ``rng = np.random.default_rng(seed)`` and shuffle the row *indices*
           (e.g. ``rng.permutation(n)``); use the same shuffled indices for ``X`` and
           ``y`` so each row keeps its label.
        2. ``n_test = floor(n * test_ratio)``, ``n_val = floor(n * val_ratio)``,
           the remaining ``n - n_test - n_val`` rows are the training part.
        3. Every row lands in exactly one part.

    Args:
        X: features, array-like with n rows (shape ``(n,)`` or ``(n, d)``).
        y: labels/targets, array-like with n rows.
        val_ratio: fraction of rows for validation, ``>= 0``.
        test_ratio: fraction of rows for test, ``>= 0``.
        seed: seed for ``np.random.default_rng``; the same seed gives the same split.

    Returns:
        ``(X_train, X_val, X_test, y_train, y_val, y_test)``: NumPy arrays holding the
        rows of ``X`` and ``y`` (rows of a 2-D ``X`` stay rows).

    Raises:
        ValueError: if a ratio is negative, if ``val_ratio + test_ratio >= 1``, or if
            ``len(X) != len(y)``.

    Example: n = 10 with the default ratios gives 6 train, 2 validation and 2 test
    rows; ``val_ratio=0.25, test_ratio=0.3`` gives floor(2.5) = 2 validation,
    floor(3.0) = 3 test and 5 training rows.
    """
    ### BEGIN SOLUTION
    if val_ratio < 0 or test_ratio < 0:
        raise ValueError(f"ratios must be non-negative, got val_ratio={val_ratio}, "
                         f"test_ratio={test_ratio}")
    if val_ratio + test_ratio >= 1:
        raise ValueError(f"val_ratio + test_ratio must be < 1, got {val_ratio + test_ratio}")
    X = np.asarray(X)
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    n = len(X)
    n_test = int(np.floor(n * test_ratio))
    n_val = int(np.floor(n * val_ratio))
    idx = np.random.default_rng(seed).permutation(n)
    test_idx = idx[:n_test]
    val_idx = idx[n_test:n_test + n_val]
    train_idx = idx[n_test + n_val:]
    # Fancy indexing copies, so the caller's arrays are never shared or changed.
    return X[train_idx], X[val_idx], X[test_idx], y[train_idx], y[val_idx], y[test_idx]
    ### END SOLUTION
