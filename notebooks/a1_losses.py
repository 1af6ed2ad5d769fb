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
# Run the next two cells first: the imports, and the runner of the test cells.

# %% ag="setup"
# ruff: noqa: F821 - the functions and tests are spliced in by `autograder release`

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

# %% ag="hidden mse"

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

# %% ag="hidden mae"

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

# %% ag="hidden mape"

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

# %% ag="hidden r2_score"

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

# %% ag="hidden mse_torch"

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

# %% ag="hidden train_val_test_split"

# %% [markdown]
# ## Done — 제출
#
# When every public test cell above prints its "passed" line, save the notebook and
# submit it (through nbgrader, or as `losses.ipynb` or `losses.py` where your course
# collects work). The hidden tests check the same functions on more inputs: random shapes,
# integer and float32 data, edge cases such as constant targets, and that your functions
# never modify their inputs.
