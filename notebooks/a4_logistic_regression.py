# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 4 — Logistic regression and classification losses
# ### 로지스틱 회귀와 분류 손실 함수
#
# *PyTorch Ch2. Basics for Model Training*, part 4.
#
# Regression predicts a number; **classification (분류)** predicts a class: spam or not,
# pass or fail, which digit. Logistic regression (로지스틱 회귀) keeps the linear score of
# assignment 2, $z = X_b w$, and turns it into a **probability** of class 1 with the
# sigmoid. For $K$ classes the softmax turns $K$ scores into $K$ probabilities. The losses
# change too: classification uses **cross-entropy (교차 엔트로피)**, not MSE; section 2
# explains why.
#
# **How to work.** Replace each `# YOUR CODE HERE` / `raise NotImplementedError()` with
# your code and run the test cell after it. `_add_bias(X)` (prepend the column of ones) is
# provided in the first code cell. Never modify an input in place.

# %% [markdown] ag="points"

# %% [markdown]
# Run the next two cells first: the imports and `_add_bias`, and the small helpers the test
# cells use.

# %% ag="setup"
# ruff: noqa: F821 - the functions and tests are spliced in by `autograder release`

# %% ag="checks"

# %% [markdown]
# ## 1. The sigmoid — 시그모이드 함수
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# squeezes any real score into $(0, 1)$: $\sigma(0) = 0.5$, large positive $z$ gives
# almost 1, large negative $z$ almost 0. We read $\sigma(X_b w)$ as the probability of
# class 1.
#
# **Numerical stability (수치 안정성).** For $z = -1000$ the formula computes
# $e^{1000}$, which overflows (NumPy warns `RuntimeWarning: overflow encountered in exp`).
# Use $e^{-|z|}$, which is always in $(0, 1]$:
# $\sigma(z) = \frac{1}{1 + e^{-|z|}}$ for $z \ge 0$ and
# $\sigma(z) = \frac{e^{-|z|}}{1 + e^{-|z|}}$ for $z < 0$ (the same value, rewritten).
# A scalar gives a float, an array an array of the same shape.

# %% ag="solution sigmoid"

# %% ag="tests sigmoid"

# %% ag="hidden sigmoid"

# %% [markdown]
# ## 2. Why not MSE? The binary cross-entropy — 이진 교차 엔트로피
#
# We *could* train $p = \sigma(X_b w)$ with the MSE $\frac{1}{n}\sum (p_i - y_i)^2$, but the
# lecture warns against it:
#
# * its gradient contains the sigmoid's derivative $\sigma'(z) = p(1 - p)$. When the model
#   is confidently **wrong** ($p \approx 0$ for a label 1), $p(1-p) \approx 0$ and the
#   gradient vanishes: the model learns slowest exactly when it is most wrong;
# * through the sigmoid the MSE is not convex in $w$ (볼록하지 않음): gradient descent can
#   get stuck on flat regions.
#
# The **binary cross-entropy (BCE)** punishes a confident wrong answer hard (the
# $-\log$ goes to infinity) and gives a simple gradient:
#
# $$\mathrm{BCE} = \frac{1}{n}\sum_{i=1}^{n}\Big(-y_i \log p_i - (1 - y_i)\log(1 - p_i)\Big)$$
#
# Clip $p$ to $[\varepsilon, 1 - \varepsilon]$ first so that $p = 0$ or $1$ gives a finite
# loss. Example: $p = [0.9, 0.2]$, $y = [1, 0]$ gives $(-\log 0.9 - \log 0.8)/2 \approx 0.164$.
# `p` and `y` must have the same shape (no `(n,)` against `(n, 1)` broadcasting).

# %% ag="solution binary_cross_entropy"

# %% ag="tests binary_cross_entropy"

# %% ag="hidden binary_cross_entropy"

# %% [markdown]
# ## 3. One-hot encoding — 원-핫 인코딩
#
# For $K$ classes a label becomes a vector with a single 1 at the label's position and 0
# elsewhere. Labels start at 0, so the largest label needs $K = \max + 1$ columns:
#
# $$[0, 2, 1] \;\longrightarrow\; \begin{bmatrix}1&0&0\\0&0&1\\0&1&0\end{bmatrix}$$
#
# It lets us compare a label with a vector of $K$ probabilities. Raise `ValueError` for a
# negative label, a label `>= num_classes`, or a non-integer label such as `1.5`.
# `np.eye(K)[labels]` is allowed.

# %% ag="solution one_hot"

# %% ag="tests one_hot"

# %% ag="hidden one_hot"

# %% [markdown]
# ## 4. The softmax — 소프트맥스 함수
#
# $$\mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}$$
#
# turns $K$ scores into $K$ positive probabilities that sum to 1; the largest score gets
# the largest probability. Example: $z = [0.3, 2.9, 4.0]$ gives
# $[0.018, 0.245, 0.737]$. For a batch `z (n, K)` apply it **row by row** (each row is one
# sample).
#
# Stability: subtract the (row) maximum first. $\frac{e^{z_k - c}}{\sum_j e^{z_j - c}}$ is
# the same value (the $e^{-c}$ cancels) but `exp` never overflows.

# %% ag="solution softmax"

# %% ag="tests softmax"

# %% ag="hidden softmax"

# %% [markdown]
# ## 5. The cross-entropy error — 교차 엔트로피 오차
#
# $$\mathrm{CEE} = -\sum_{k} t_k \log y_k$$
#
# With a one-hot $t$ only the probability of the correct class counts: the loss is
# $-\log(\text{probability of the right answer})$. Lecture example: $t$ says class 2 and
# $y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]$, so
# $\mathrm{CEE} = -\log 0.6 \approx 0.51$; had the model given class 2 only 0.1, the loss
# would be $-\log 0.1 \approx 2.30$.
#
# For a batch `(n, K)` take the **mean** over the rows of the per-row sums. Clip $y$ to
# $[\varepsilon, 1]$ so that a probability of 0 gives a finite loss.

# %% ag="solution cross_entropy_error"

# %% ag="tests cross_entropy_error"

# %% ag="hidden cross_entropy_error"

# %% [markdown]
# ## 6. The gradient of logistic regression — 로지스틱 회귀의 기울기
#
# With $p = \sigma(X_b w)$ and the mean BCE, the chain rule gives
# $\frac{\partial L}{\partial z_i} = \frac{1}{n}(p_i - y_i)$: the sigmoid's derivative
# $p(1-p)$ cancels against the derivative of the $\log$. So
#
# $$\nabla_w L = \frac{1}{n} X_b^\top (p - y),$$
#
# the same "prediction minus label" form as linear regression, without the factor 2.
# Example: $X_b = [[1, 0], [1, 2]]$, $y = [0, 1]$, $w = 0$: $p = [0.5, 0.5]$, gradient
# $[0, -0.5]$.

# %% ag="solution logistic_grad"

# %% ag="tests logistic_grad"

# %% ag="hidden logistic_grad"

# %% [markdown]
# ## 7. Training logistic regression — 로지스틱 회귀 학습
#
# The loop of assignment 2 with the new loss: `Xb = _add_bias(X)`, `w = zeros(d+1)`, and in
# each epoch record the BCE of `sigmoid(Xb @ w)` (before the update), then
# $w \leftarrow w - \alpha \nabla_w L$. A check: at $w = 0$ every $p$ is $0.5$, so
# `losses[0]` is $\log 2 \approx 0.693$ for any data.

# %% ag="solution fit_logistic"

# %% ag="tests fit_logistic"

# %% ag="hidden fit_logistic"

# %% [markdown]
# ## 8. Probabilities and decisions — 확률과 분류
#
# `predict_proba(X, w)` is $\sigma(X_b w)$ for data *without* the bias column;
# `predict(X, w, threshold)` turns it into labels: 1 where the probability is at least the
# threshold (0.5 by default), else 0. A higher threshold means "say 1 only when sure".

# %% ag="solution predict_proba"

# %% ag="tests predict_proba"

# %% ag="hidden predict_proba"

# %% ag="solution predict"

# %% ag="tests predict"

# %% ag="hidden predict"

# %% [markdown]
# ## 9. More than two classes: softmax regression — 소프트맥스 회귀
#
# For $K$ classes: $W$ is $(d+1, K)$, one column of weights per class; $P =
# \mathrm{softmax}(X_b W)$ row by row; the loss is the mean cross-entropy against the
# one-hot labels $T$; and the gradient has the familiar form
#
# $$\nabla_W L = \frac{1}{n} X_b^\top (P - T).$$
#
# At $W = 0$ every class gets $1/K$, so `losses[0]` is $\log K$.

# %% ag="solution fit_softmax"

# %% ag="tests fit_softmax"

# %% ag="hidden fit_softmax"

# %% [markdown]
# ## 10. Logistic regression in PyTorch
#
# As in assignment 2, let autograd compute the gradient: a float64 weight tensor starting
# at zero with `requires_grad=True`, `torch.optim.SGD`, and a BCE loss from `torch.nn` or
# `torch.nn.functional` (allowed here; `binary_cross_entropy_with_logits` takes the scores
# $X_b w$ directly and is the numerically stable choice). It follows the same iterates as
# `fit_logistic`.

# %% ag="solution fit_logistic_torch"

# %% ag="tests fit_logistic_torch"

# %% ag="hidden fit_logistic_torch"

# %% [markdown]
# ## Done — 제출
#
# When every public test cell prints its "passed" line, save the notebook and submit it
# (through nbgrader, or as `logistic_regression.ipynb` or `logistic_regression.py`). The
# hidden tests check the same functions on random data, extreme inputs (no overflow, no
# `nan`), invalid labels, and the training loops after a few epochs.
