# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 2 — Linear regression and gradient descent
# ### 선형 회귀와 경사하강법
#
# *PyTorch Ch2. Basics for Model Training*, part 2.
#
# Linear regression (선형 회귀) predicts a number as a weighted sum of the inputs plus a
# bias (편향):
#
# $$\hat y = w x + b \qquad\text{(one feature)}\qquad\qquad
# \hat y = w_0 + w_1 x_1 + \dots + w_d x_d \qquad\text{(d features)}$$
#
# Training chooses $w$ and $b$ so that the mean squared error of assignment 1 is as small as
# possible. You will do it four ways: step by step with **gradient descent (경사하강법)**,
# with **mini-batch stochastic gradient descent (확률적 경사하강법, SGD)**, in one go with the
# **normal equation (정규 방정식)**, and with **PyTorch's autograd**.
#
# Running example of the lecture: the points $x = 1, 2, 3$ with $y = 3, 5, 7$ lie on the
# line $y = 2x + 1$ (weight 2, bias 1); with $y = 2, 4, 6$ they lie on $y = 2x$.
#
# **How to work.** Replace each `# YOUR CODE HERE` / `raise NotImplementedError()` with
# your code and run the test cell after the function. Never modify an input in place.

# %% [markdown] ag="points"

# %% [markdown]
# Run the next two cells first: the imports, and the runner of the test cells.

# %% ag="setup"
# ruff: noqa: F821 - the functions and tests are spliced in by `autograder release`

# %% ag="checks"

# %% [markdown]
# ## 1. The model — 선형 모델
#
# For one feature the prediction is $\hat y_i = w x_i + b$ for every input $x_i$. With
# NumPy, `w * x + b` does it for all inputs at once.
#
# **Lecture example: the wine price (와인 가격).** A model predicts the price of a wine from
# its sugar content (포도당도) with $f(x) = 100x + 50$: sugar content 1 gives 150 and 2 gives
# 250, so `predict([1, 2], 100, 50)` is `[150, 250]`.

# %% ag="solution predict"

# %% ag="tests predict"

# %% ag="hidden predict"

# %% [markdown]
# ## 2. The gradient of the loss — 손실 함수의 기울기
#
# Take the model without bias, $\hat y = w x$, and its loss
#
# $$L(w) = \frac{1}{n}\sum_{i=1}^{n}(w x_i - y_i)^2 .$$
#
# The chain rule (연쇄 법칙) gives the slope of the loss at the current $w$:
#
# $$\frac{\partial L}{\partial w} = \frac{1}{n}\sum_{i=1}^{n} 2\,(w x_i - y_i)\,x_i .$$
#
# Three things are easy to get wrong: the factor 2 from the square, the sign (prediction
# minus target), and the mean $1/n$. On $x = 1, 2, 3$, $y = 2, 4, 6$ the best weight is
# $w = 2$, where the slope is 0. At $w = 1$ the errors are $-1, -2, -3$ and the slope is
# $2(-1 - 4 - 9)/3 = -28/3$: negative, so the loss goes *down* if $w$ grows.

# %% ag="solution mse_grad_w"

# %% ag="tests mse_grad_w"

# %% ag="hidden mse_grad_w"

# %% [markdown]
# ## 3. One step of gradient descent — 경사하강법
#
# The gradient points uphill. To make the loss smaller, take a small step the other way:
#
# $$w' = w - \alpha\,\frac{\partial L}{\partial w}$$
#
# $\alpha$ (`lr`) is the **learning rate (학습률)**. Too small and training crawls; too
# large and $w$ jumps over the minimum and the loss grows from step to step (발산).
# `w + lr * grad` would be gradient *ascent*.
#
# `gd_step` must work for a number and for a NumPy array, and must return a **new** value:
# `w -= lr * grad` would change the caller's array.

# %% ag="solution gd_step"

# %% ag="tests gd_step"

# %% ag="hidden gd_step"

# %% [markdown]
# ## 4. The training loop — 학습 루프
#
# Gradient descent repeats the step for a number of **epochs** (에폭); "full batch" means
# every epoch uses all $n$ points. In each epoch:
#
# 1. record the current loss $L(w)$ in `losses` (the loss *before* the update),
# 2. compute $\partial L / \partial w$,
# 3. update $w \leftarrow w - \alpha\, \partial L / \partial w$.
#
# Lecture example: $x = 1, 2, 3$, $y = 2, 4, 6$, $\alpha = 0.1$, one epoch from $w_0 = 0$.
# The loss at 0 is $(4 + 16 + 36)/3 = 56/3$, the gradient is $-56/3$, so
# $w = 0 - 0.1 \cdot (-56/3) = 28/15 \approx 1.87$.
#
# A plot of `losses` against the epoch number (the *learning curve*) should go down.

# %% ag="solution fit_gd"

# %% ag="tests fit_gd"

# %% ag="hidden fit_gd"

# %% [markdown]
# ## 5. Many features and the bias column — 다중 선형 회귀
#
# With $d$ features a trick makes the bias an ordinary weight: put a column of ones in
# front of the data, $x_0 = 1$. Then $\hat y = X_b w$ with $w = [w_0, w_1, \dots, w_d]$ and
# $w_0$ is the bias (intercept).
#
# $$X = \begin{bmatrix}1\\2\\3\end{bmatrix} \;\longrightarrow\;
# X_b = \begin{bmatrix}1 & 1\\1 & 2\\1 & 3\end{bmatrix}$$

# %% ag="solution add_bias"

# %% ag="tests add_bias"

# %% ag="hidden add_bias"

# %% [markdown]
# ## 6. The gradient in matrix form — 행렬 형태의 기울기
#
# For $L(w) = \frac{1}{n}\lVert X_b w - y\rVert^2$ all partial derivatives at once are
#
# $$\nabla_w L = \frac{2}{n}\,X_b^\top (X_b w - y).$$
#
# On the line $y = 2x + 1$ at $w = [0, 0]$ the errors are $-3, -5, -7$ and the gradient is
# $\frac{2}{3}[-15, -34] = [-10, -22.67]$.

# %% ag="solution mse_grad"

# %% ag="tests mse_grad"

# %% ag="hidden mse_grad"

# %% [markdown]
# ## 7. Gradient descent with many features
#
# The same loop as `fit_gd`, now on vectors: add the bias column, start from
# $w = \mathbf 0$, and each epoch record the loss and step $w \leftarrow w - \alpha\,
# \nabla_w L$. On $x = 1, 2, 3$, $y = 3, 5, 7$ with $\alpha = 0.1$ the weights approach
# $[1, 2]$ (bias 1, slope 2).

# %% ag="solution fit_multivariate_gd"

# %% ag="tests fit_multivariate_gd"

# %% ag="hidden fit_multivariate_gd"

# %% [markdown]
# ## 8. Stochastic gradient descent and mini-batches — 확률적 경사하강법과 미니배치
#
# The lecture lists two ways to make a loss small: **GD** and **SGD**. Gradient descent
# (GD) computes the gradient on all $n$ samples before every step. With a million samples
# that is a lot of work for one small step. **Stochastic gradient descent (확률적
# 경사하강법)** estimates the gradient on a small random group of samples, a
# **mini-batch (미니배치)**, and steps right away:
#
# 1. once, before training: `rng = np.random.default_rng(seed)`, $w = \mathbf 0$;
# 2. every epoch: record the MSE of the *whole* training set at the current $w$, draw a
#    fresh order `perm = rng.permutation(n)`, and for every batch
#    `idx = perm[start:start + batch_size]` step
#    $w \leftarrow w - \alpha \nabla_w \mathrm{MSE}(X_b[\text{idx}], y[\text{idx}])$.
#
# One epoch makes $\lceil n / \text{batch size} \rceil$ steps. Each one is noisy (it sees
# only a few samples), but on average it points downhill. With `batch_size=1` this is the
# classic SGD; with `batch_size >= n` the only batch holds every row, so SGD *is* GD and
# gives exactly the iterates of `fit_multivariate_gd`.

# %% ag="solution fit_sgd"

# %% ag="tests fit_sgd"

# %% ag="hidden fit_sgd"

# %% [markdown]
# **GD against SGD.** The same data (200 noisy points near $y = 3 - 2x_1 + 0.5x_2$), the
# same learning rate and 30 epochs, with mini-batches of 1, 8 and all $n$ rows. Per epoch,
# small batches make many more steps, so their loss falls much faster at first; the
# full batch (GD) makes one careful step per epoch. Small batches also stay noisy near the
# bottom: each step only sees a few samples.

# %% ag="demo"
import matplotlib.pyplot as plt  # noqa: E402 - the demo cells only, never the graded module

rng = np.random.default_rng(0)
X_demo = rng.normal(size=(200, 2))
y_demo = 3.0 - 2.0 * X_demo[:, 0] + 0.5 * X_demo[:, 1] + rng.normal(0.0, 0.5, size=200)
fig, ax = plt.subplots(figsize=(6, 3.5))
for batch_size in (1, 8, len(y_demo)):
    _, history = fit_sgd(X_demo, y_demo, lr=0.02, epochs=30, batch_size=batch_size, seed=0)
    label = f"batch size {batch_size}" + (" (GD)" if batch_size == len(y_demo) else "")
    ax.plot(range(1, 31), history, marker=".", label=label)
ax.set(xlabel="epoch", ylabel="MSE of the training set (log scale)", yscale="log",
       title="GD vs SGD: loss per epoch")
ax.legend()
plt.show()

# %% [markdown]
# ## 9. The normal equation — 정규 방정식
#
# For linear regression the minimum can also be computed directly: setting the gradient to
# zero gives
#
# $$X_b^\top X_b\, w = X_b^\top y \qquad\Longrightarrow\qquad w = (X_b^\top X_b)^{-1} X_b^\top y .$$
#
# Solve the linear system with `np.linalg.solve` (more accurate than forming the inverse).
# Gradient descent is still what we use for large models, where no such formula exists.

# %% ag="solution normal_equation"

# %% ag="tests normal_equation"

# %% ag="hidden normal_equation"

# %% [markdown]
# ## 10. The same model with PyTorch — 자동 미분과 옵티마이저
#
# In PyTorch we do not write the gradient ourselves. The parameters are tensors with
# `requires_grad=True`; we compute the loss with tensor operations, `loss.backward()`
# fills in `w.grad`, and an optimizer applies $w' = w - \alpha\,\partial L/\partial w$:
#
# ```python
# w = torch.zeros(d + 1, dtype=torch.float64, requires_grad=True)
# opt = torch.optim.SGD([w], lr=lr)
# for epoch in range(epochs):
#     opt.zero_grad()                # gradients add up unless we reset them
#     loss = ...                     # mean squared error of Xb @ w against y
#     loss.backward()                # autograd: w.grad = dL/dw
#     opt.step()                     # w = w - lr * w.grad
# ```
#
# With the same learning rate and epochs this follows exactly the iterates of
# `fit_multivariate_gd`. Return the weights as a NumPy array `[intercept, w1, ..., wd]`.

# %% ag="solution fit_torch"

# %% ag="tests fit_torch"

# %% ag="hidden fit_torch"

# %% [markdown]
# ## Done — 제출
#
# When every public test cell prints its "passed" line, save the notebook and submit it
# (through nbgrader, or as `linear_regression.ipynb` or `linear_regression.py`). The hidden
# tests check the same functions on random data, compare your training loops with the
# reference after 1, 2 and 5 epochs, and check that `gd_step` never changes its input.
