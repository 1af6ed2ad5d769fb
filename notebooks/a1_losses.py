# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 1 — Model training: losses, metrics, data splits
# ### 모델 학습: 손실 함수, 평가 지표, 데이터 분할
#
# *PyTorch Ch2. Basics for Model Training*, part 1.
#
# A model makes a **prediction** (예측값) $\hat y$ for every input $x$. Training (학습) means
# changing the model's parameters until its predictions are close to the **targets**
# (정답, 실제값) $y$. To do that we need one number that says *how far off* the predictions
# are: the **loss** (손실, 손실 함수). Training is the search for the parameters with the
# smallest loss.
#
# In this notebook you write the regression losses of the lecture (MSE, MAE and MAPE), the
# R² metric, the same MSE for PyTorch tensors (so that autograd can differentiate it), and
# the train/validation/test split that lets us notice overfitting.
#
# **How to work.** Each function below has a cell with `# YOUR CODE HERE` and
# `raise NotImplementedError()`: replace those two lines with your code. The cell right
# after each function runs its *public tests*; run it and read the message if it fails.
# Do not change the names or arguments of the functions, and do not modify an input in
# place.

# %% [markdown] ag="points"

# %% [markdown]
# Run the next two cells first: the imports, and the small helpers the test cells use.

# %% ag="setup"
# ruff: noqa: F821 - the functions and test helpers are spliced in by `autograder release`

# %% ag="checks"

# %% [markdown]
# ## 1. Mean squared error — 평균 제곱 오차 (MSE)
#
# The error (오차) of one prediction is $\hat y_i - y_i$. Errors can be positive or
# negative, so we cannot simply average them: $+2$ and $-2$ would cancel out. MSE squares
# every error, then takes the mean over all $N$ elements:
#
# $$\mathrm{MSE} = \frac{1}{N}\sum_{i=1}^{N}\left(\hat y_i - y_i\right)^2$$
#
# Squaring makes every error count positively and makes a big error count much more than a
# small one (an error of 4 costs 16, four errors of 1 cost 4 together).
#
# **Lecture example: movie ratings (영화 평점 예측).** A recommender predicts how many stars
# a viewer will give three movies; the viewer then rates them.
#
# | movie | predicted $\hat y$ | rating $y$ | error | squared |
# | --- | ---: | ---: | ---: | ---: |
# | 1 | 4 | 5 | −1 | 1 |
# | 2 | 3 | 3 | 0 | 0 |
# | 3 | 5 | 3 | 2 | 4 |
#
# $\mathrm{MSE} = (1 + 0 + 4) / 3 = 5/3 \approx 1.67$.
#
# **Lecture example: credit scores (신용 점수 예측).**
#
# | person | predicted $\hat y$ | true score $y$ | error | squared |
# | --- | ---: | ---: | ---: | ---: |
# | A | 9 | 10 | −1 | 1 |
# | B | 7 | 9 | −2 | 4 |
# | C | 10 | 8 | 2 | 4 |
#
# $\mathrm{MSE} = (1 + 4 + 4) / 3 = 3.0$.
#
# **Watch the shapes.** If `y_pred` has shape `(3,)` and `y_true` has shape `(3, 1)`,
# NumPy *broadcasts* `y_pred - y_true` to a `(3, 3)` matrix that compares every prediction
# with every target, and the "MSE" is silently wrong. Check that the shapes are equal and
# raise `ValueError` if they are not.

# %% ag="solution mse"

# %% ag="tests mse"
expect_close(mse([9, 7, 10], [10, 9, 8]), 3.0, "mse([9, 7, 10], [10, 9, 8])",
             hint="(1 + 4 + 4) / 3 = 3: square each error, then take the mean "
                  "(not the sum, not half of it, no square root).")
expect_close(mse([4, 3, 5], [5, 3, 3]), 5 / 3, "mse([4, 3, 5], [5, 3, 3])")
expect_raises(ValueError, "mse(array of shape (3,), array of shape (3, 1))", mse,
              np.array([9.0, 7.0, 10.0]), np.array([[10.0], [9.0], [8.0]]),
              hint="compare y_pred.shape with y_true.shape and raise ValueError if they differ.")
print("mse: the public tests passed.")

# %% ag="hidden mse"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(101)
a, b = rng.normal(0, 3, size=(4, 5)), rng.normal(0, 3, size=(4, 5))
a_before = a.copy()
expect_close(mse(a, b), np.mean((a - b) ** 2), "mse on random (4, 5) arrays")
expect_true(np.array_equal(a, a_before), "mse changed its input y_pred")
expect_close(mse(a.astype(np.float32), b.astype(np.float32)), np.mean((a - b) ** 2),
             "mse on float32 arrays", rtol=1e-5)
expect_close(mse([3], [1]), 4.0, "mse([3], [1])")
expect_close(mse(np.array([[1, 2], [3, 4]]), np.array([[1, 1], [1, 1]])), 3.5, "mse on int arrays")
expect_raises(ValueError, "mse of shapes (4, 1) and (1, 4)", mse, np.zeros((4, 1)), np.zeros((1, 4)))
### END HIDDEN TESTS

# %% [markdown]
# ## 2. Mean absolute error — 평균 절대 오차 (MAE)
#
# MAE averages the absolute errors instead of the squared ones:
#
# $$\mathrm{MAE} = \frac{1}{N}\sum_{i=1}^{N}\left|\hat y_i - y_i\right|$$
#
# It is in the same unit as the targets (stars, points), and one very wrong prediction (an
# outlier, 이상치) weighs less than in MSE. On the credit-score table:
# $\mathrm{MAE} = (1 + 2 + 2) / 3 = 5/3 \approx 1.67$, while $\mathrm{MSE} = 3$.
# Shapes must match here too.

# %% ag="solution mae"

# %% ag="tests mae"
expect_close(mae([9, 7, 10], [10, 9, 8]), 5 / 3, "mae([9, 7, 10], [10, 9, 8])",
             hint="(|−1| + |−2| + |2|) / 3 = 5/3.")
expect_close(mae([4, 3, 5], [5, 3, 3]), 1.0, "mae([4, 3, 5], [5, 3, 3])")
print("mae: the public tests passed.")

# %% ag="hidden mae"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(102)
a, b = rng.normal(0, 3, size=(6, 2)), rng.normal(0, 3, size=(6, 2))
expect_close(mae(a, b), np.mean(np.abs(a - b)), "mae on random (6, 2) arrays")
expect_close(mae([-2.5], [0.5]), 3.0, "mae([-2.5], [0.5])")
expect_close(mae(a.tolist(), b.tolist()), np.mean(np.abs(a - b)), "mae on nested lists")
expect_raises(ValueError, "mae of shapes (5,) and (5, 1)", mae, np.zeros(5), np.zeros((5, 1)))
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Mean absolute percentage error — 평균 절대 백분율 오차 (MAPE)
#
# The lecture names MAPE right beside MAE. It measures every error *relative to its
# target* and reports the mean in percent:
#
# $$\mathrm{MAPE} = \frac{100}{N}\sum_{i=1}^{N}\frac{\left|y_i - \hat y_i\right|}{\left|y_i\right|}$$
#
# **Lecture example: one movie rating (영화 평점).** The real rating is 5.0 and the model
# predicts 3.0. The error is 2, so MSE $= 2^2 = 4$, MAE $= 2$ and MAPE $= 2/5 = 40\,\%$.
#
# On the credit-score table the relative errors are $1/10$, $2/9$ and $2/8$, so
# $\mathrm{MAPE} = 100 \cdot (0.1 + 0.222 + 0.25) / 3 \approx 19.07\,\%$. MAPE has no
# unit (it does not care whether scores go up to 10 or 1000), but it is undefined when a
# target is 0: raise `ValueError` then, and when the shapes differ. Divide by the *target*
# $y_i$, not by the prediction, and do not forget the factor 100.

# %% ag="solution mape"

# %% ag="tests mape"
expect_close(mape([3.0], [5.0]), 40.0, "mape([3.0], [5.0])",
             hint="|5 - 3| / |5| = 0.4, which is 40 percent.")
expect_close(mape([9, 7, 10], [10, 9, 8]), 100 * (1 / 10 + 2 / 9 + 2 / 8) / 3,
             "mape([9, 7, 10], [10, 9, 8])", hint="divide each error by the true score.")
expect_raises(ValueError, "mape([1, 3], [0, 4])", mape, [1.0, 3.0], [0.0, 4.0],
              hint="a target of 0 makes its relative error undefined.")
print("mape: the public tests passed.")

# %% ag="hidden mape"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(104)
t = rng.uniform(1, 5, size=(3, 4))
p = t + rng.normal(0, 1, size=(3, 4))
expect_close(mape(p, t), 100 * np.mean(np.abs(t - p) / np.abs(t)), "mape on random (3, 4) arrays")
expect_raises(ValueError, "mape of shapes (5,) and (5, 1)", mape, np.ones(5), np.ones((5, 1)))
### END HIDDEN TESTS

# %% [markdown]
# The three losses side by side, on the movie rating and on the credit-score table. MSE
# punishes the big error most; MAE is in the unit of the scores; MAPE is in percent.

# %% ag="demo"
for title, (pred, true) in {"movie rating": ([3.0], [5.0]),
                            "credit scores": ([9, 7, 10], [10, 9, 8])}.items():
    print(f"{title:>13}: MSE {mse(pred, true):6.3f}   MAE {mae(pred, true):6.3f}   "
          f"MAPE {mape(pred, true):6.2f} %")

# %% [markdown]
# ## 4. The coefficient of determination — 결정계수 R²
#
# A loss of 3 is good or bad depending on how spread out the targets are. R² compares the
# model with the simplest possible "model", one that always predicts the mean of the
# targets:
#
# $$SS_{res} = \sum_i (y_i - \hat y_i)^2 \qquad SS_{tot} = \sum_i (y_i - \bar y)^2 \qquad
# R^2 = 1 - \frac{SS_{res}}{SS_{tot}}$$
#
# * $R^2 = 1$: perfect predictions; $R^2 = 0$: no better than predicting the mean;
#   $R^2 < 0$: worse than the mean.
# * Credit scores: $SS_{res} = 9$, $\bar y = 9$, $SS_{tot} = 1 + 0 + 1 = 2$, so
#   $R^2 = 1 - 9/2 = -3.5$. This model is worse than always guessing 9.
# * If all targets are equal, $SS_{tot} = 0$ and the fraction is undefined: return `1.0`
#   when $SS_{res} = 0$ and `0.0` otherwise.

# %% ag="solution r2_score"

# %% ag="tests r2_score"
expect_close(r2_score([10, 9, 8], [10, 9, 8]), 1.0, "r2_score([10, 9, 8], [10, 9, 8])",
             hint="perfect predictions: SS_res = 0, so R² = 1 - 0 = 1.")
expect_close(r2_score([9, 9, 9], [10, 9, 8]), 0.0, "r2_score([9, 9, 9], [10, 9, 8])",
             hint="predicting the mean: SS_res = SS_tot, so R² = 0.")
expect_close(r2_score([9, 7, 10], [10, 9, 8]), -3.5, "r2_score([9, 7, 10], [10, 9, 8])",
             hint="R² = 1 - SS_res / SS_tot = 1 - 9 / 2.")
print("r2_score: the public tests passed.")

# %% ag="hidden r2_score"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(103)
t = rng.normal(0, 3, size=12)
p = t + rng.normal(0, 1.5, size=12)
expect_close(r2_score(p, t), 1 - np.sum((t - p) ** 2) / np.sum((t - t.mean()) ** 2),
             "r2_score on random data")
expect_close(r2_score([5, 5, 5], [5, 5, 5]), 1.0, "r2_score([5, 5, 5], [5, 5, 5])")
expect_close(r2_score([4.0, 5.0, 6.0], [5.0, 5.0, 5.0]), 0.0, "r2_score with constant targets")
expect_close(r2_score([2.0], [3.0]), 0.0, "r2_score([2.0], [3.0])")
### END HIDDEN TESTS

# %% [markdown]
# ## 5. MSE for PyTorch tensors, with autograd — 자동 미분
#
# PyTorch trains a model by computing the loss *with tensor operations* and then calling
# `loss.backward()`, which fills in the gradient $\partial L / \partial \hat y$ of every
# tensor that has `requires_grad=True`. For MSE that gradient is
#
# $$\frac{\partial\,\mathrm{MSE}}{\partial \hat y_i} = \frac{2(\hat y_i - y_i)}{N}.$$
#
# Write the same MSE as in section 1 with `torch` operations only and return the 0-dim
# tensor itself. `.item()`, a round trip through NumPy, or `torch.tensor(result)` would cut
# the result out of the autograd graph, and `backward()` would fail.

# %% ag="solution mse_torch"

# %% ag="tests mse_torch"
y_hat = torch.tensor([9.0, 7.0, 10.0], dtype=torch.float64, requires_grad=True)
error = mse_torch(y_hat, torch.tensor([10.0, 9.0, 8.0], dtype=torch.float64))
expect_true(isinstance(error, torch.Tensor) and error.dim() == 0,
            f"mse_torch should return a 0-dim tensor, got {error!r}")
expect_close(error, 3.0, "mse_torch(tensor([9., 7., 10.]), tensor([10., 9., 8.]))")
expect_true(error.grad_fn is not None,
            "the result of mse_torch has no grad_fn: it was cut from the autograd graph "
            "(.item(), NumPy or torch.tensor(...) of a result).")
error.backward()
expect_close(y_hat.grad, [-2 / 3, -4 / 3, 4 / 3], "the gradient of mse_torch with respect to y_pred",
             hint="the gradient of the mean of squares is 2 * (y_pred - y_true) / N.")
print("mse_torch: the public tests passed.")

# %% ag="hidden mse_torch"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(104)
a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
pred = torch.tensor(a, requires_grad=True)
loss = mse_torch(pred, torch.tensor(b))
expect_close(loss, np.mean((a - b) ** 2), "mse_torch on random float64 tensors")
loss.backward()
expect_close(pred.grad, 2 * (a - b) / a.size, "the gradient of mse_torch on random tensors")
loss32 = mse_torch(torch.tensor(a, dtype=torch.float32), torch.tensor(b, dtype=torch.float32))
expect_close(loss32, np.mean((a - b) ** 2), "mse_torch on float32 tensors", rtol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Overfitting and the train / validation / test split — 과적합과 데이터 분할
#
# **A warning from the lecture.** A model that is trained long enough on a small dataset can
# learn its training examples *by heart*, noise included: the training loss goes to almost
# zero while the loss on new data grows. This is **overfitting (과적합)**. The training
# loss alone can never tell us whether a model is good.
#
# So we split the data once, at random, into three parts:
#
# | part | used for |
# | --- | --- |
# | training data (훈련 데이터) | fitting the parameters (gradient descent sees only these rows) |
# | validation data (검증 데이터) | choosing settings (learning rate, epochs); noticing overfitting |
# | test data (테스트 데이터) | the final score, computed once, on rows the model has never seen |
#
# Rules for `train_val_test_split(X, y, val_ratio, test_ratio, seed)`:
# 1. Shuffle the **row indices** with `np.random.default_rng(seed)` (for example
#    `rng.permutation(n)`) and index `X` and `y` with the *same* indices, so that every row
#    keeps its label. Do not shuffle the caller's arrays in place.
# 2. `n_test = floor(n * test_ratio)`, `n_val = floor(n * val_ratio)`; the rest is training.
#    With `n = 10` and the default ratios 0.2 and 0.2: 6 training, 2 validation, 2 test rows.
# 3. Raise `ValueError` for a negative ratio, for `val_ratio + test_ratio >= 1`, and when `X`
#    and `y` have different lengths.

# %% ag="solution train_val_test_split"

# %% ag="tests train_val_test_split"
X = np.arange(20, dtype=np.float64).reshape(10, 2)
y = np.arange(10, dtype=np.float64)
parts = train_val_test_split(X, y, 0.2, 0.2, seed=0)
expect_true(isinstance(parts, (tuple, list)) and len(parts) == 6,
            "train_val_test_split should return 6 arrays: "
            "(X_train, X_val, X_test, y_train, y_val, y_test)")
shapes = [np.shape(part) for part in parts]
expect_true(shapes == [(6, 2), (2, 2), (2, 2), (6,), (2,), (2,)],
            f"10 rows with val_ratio=0.2, test_ratio=0.2 should give 6/2/2 rows; got shapes {shapes}")
again = train_val_test_split(X, y, 0.2, 0.2, seed=0)
expect_true(all(np.array_equal(p, q) for p, q in zip(parts, again, strict=True)),
            "the same seed must give the same split: use np.random.default_rng(seed)")
expect_true(np.array_equal(parts[0][:, 0] / 2, parts[3]),
            "row k of X_train and y_train[k] must come from the same original row")
print("train_val_test_split: the public tests passed.")

# %% ag="hidden train_val_test_split"
### BEGIN HIDDEN TESTS
n = 20
X = np.column_stack([np.arange(n), 2 * np.arange(n) + 1]).astype(np.float64)
y = 1000 + np.arange(n)
X_before, y_before = X.copy(), y.copy()
parts = train_val_test_split(X, y, 0.25, 0.25, seed=4)
expect_true(np.array_equal(X, X_before) and np.array_equal(y, y_before),
            "train_val_test_split changed the caller's X or y")
expect_true([len(part) for part in parts] == [10, 5, 5, 10, 5, 5], "sizes for n = 20")
for xs, ys in zip(parts[:3], parts[3:], strict=True):
    expect_true(np.array_equal(xs[:, 0] + 1000, ys), "rows of X and y must stay paired")
ids = np.sort(np.concatenate([part[:, 0] for part in parts[:3]]))
expect_true(np.array_equal(ids, np.arange(n)), "the parts must hold every row exactly once")
expect_true(not np.array_equal(parts[0][:, 0], np.sort(parts[0][:, 0])), "rows must be shuffled")
other = train_val_test_split(X, y, 0.25, 0.25, seed=5)
expect_true(not np.array_equal(parts[0], other[0]), "different seeds should give different splits")
sizes = [len(part) for part in train_val_test_split(X[:13], y[:13], 0.15, 0.35, seed=1)[:3]]
expect_true(sizes == [8, 1, 4], f"13 rows with ratios 0.15 and 0.35 give 8/1/4 rows, got {sizes}")
for bad in [(-0.1, 0.2), (0.5, 0.5), (0.0, 1.0)]:
    expect_raises(ValueError, f"ratios {bad}", train_val_test_split, X, y, *bad)
expect_raises(ValueError, "X with 20 rows, y with 19", train_val_test_split, X, y[:19])
one_d = train_val_test_split(list(range(10)), [1000 + i for i in range(10)], seed=2)
expect_true([len(part) for part in one_d] == [6, 2, 2, 6, 2, 2], "lists and a 1-D X")
### END HIDDEN TESTS

# %% [markdown]
# ## Done — 제출
#
# When every public test cell above prints its "passed" line, save the notebook and
# submit it (through nbgrader, or as `losses.ipynb` or `losses.py` where your course
# collects work). The hidden tests check the same functions on more inputs: random shapes,
# integer and float32 data, edge cases such as constant targets, and that your functions
# never modify their inputs.
