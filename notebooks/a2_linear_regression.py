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
# Run the next two cells first: the imports, and the small helpers the test cells use.

# %% ag="setup"
# ruff: noqa: F821 - the functions and test helpers are spliced in by `autograder release`

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
expect_close(predict([1, 2, 3], 2.0, 1.0), [3.0, 5.0, 7.0], "predict([1, 2, 3], w=2, b=1)")
expect_close(predict([1, 2, 3], 2.0), [2.0, 4.0, 6.0], "predict([1, 2, 3], w=2)",
             hint="b defaults to 0.")
expect_close(predict([1, 2], 100, 50), [150.0, 250.0], "predict([1, 2], w=100, b=50)",
             hint="the wine model f(x) = 100x + 50.")
print("predict: the public tests passed.")

# %% ag="hidden predict"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(201)
x = rng.normal(size=7)
expect_close(predict(x, -1.5, 0.25), -1.5 * x + 0.25, "predict on random inputs")
expect_close(predict(np.arange(4), 3, -2), [-2.0, 1.0, 4.0, 7.0], "predict on int inputs")
### END HIDDEN TESTS

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
expect_close(mse_grad_w([1, 2, 3], [2, 4, 6], 2.0), 0.0, "mse_grad_w([1, 2, 3], [2, 4, 6], w=2)",
             hint="at the best weight the slope of the loss is 0.")
expect_close(mse_grad_w([1, 2, 3], [2, 4, 6], 1.0), -28 / 3,
             "mse_grad_w([1, 2, 3], [2, 4, 6], w=1)",
             hint="2 * ((-1)*1 + (-2)*2 + (-3)*3) / 3: the factor 2, the sign "
                  "(w*x - y), and the mean.")
print("mse_grad_w: the public tests passed.")

# %% ag="hidden mse_grad_w"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(202)
x, y = rng.normal(size=9), rng.normal(size=9)
expect_close(mse_grad_w(x, y, 0.7), np.mean(2 * (0.7 * x - y) * x), "mse_grad_w on random data")
h = 1e-6
numeric = (np.mean(((0.7 + h) * x - y) ** 2) - np.mean(((0.7 - h) * x - y) ** 2)) / (2 * h)
expect_close(mse_grad_w(x, y, 0.7), numeric, "mse_grad_w against a central difference", rtol=1e-5)
### END HIDDEN TESTS

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
expect_close(gd_step(1.0, 4.0, 0.1), 0.6, "gd_step(w=1.0, grad=4.0, lr=0.1)",
             hint="w - lr * grad = 1.0 - 0.1 * 4.0 (minus: move against the gradient).")
w = np.array([1.0, -2.0])
expect_close(gd_step(w, np.array([0.5, -1.0]), 0.1), [0.95, -1.9],
             "gd_step(w=[1, -2], grad=[0.5, -1], lr=0.1)")
expect_true(np.array_equal(w, [1.0, -2.0]), "gd_step changed the caller's w in place")
print("gd_step: the public tests passed.")

# %% ag="hidden gd_step"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(203)
w, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
w_before = w.copy()
expect_close(gd_step(w, g, 0.05), w_before - 0.05 * g, "gd_step on a (3, 2) array")
expect_true(np.array_equal(w, w_before), "gd_step changed the caller's w in place")
expect_close(gd_step(-2.0, -1.0, 0.5), -1.5, "gd_step(-2.0, -1.0, 0.5)")
### END HIDDEN TESTS

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
w, losses = fit_gd([1, 2, 3], [2, 4, 6], lr=0.1, epochs=1)
expect_close(w, 28 / 15, "w of fit_gd([1, 2, 3], [2, 4, 6], lr=0.1, epochs=1)",
             hint="w = 0 - 0.1 * (-56/3): one step against the gradient.")
expect_close(losses, [56 / 3], "losses of fit_gd([1, 2, 3], [2, 4, 6], lr=0.1, epochs=1)",
             hint="record the loss before the update: at w0 = 0 it is (4 + 16 + 36) / 3.")
w, losses = fit_gd([1, 2, 3], [2, 4, 6], lr=0.05, epochs=100)
expect_close(w, 2.0, "w after 100 epochs", rtol=1e-4)
expect_true(len(losses) == 100 and losses[-1] < losses[0], "the losses should go down")
print("fit_gd: the public tests passed.")

# %% ag="hidden fit_gd"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(204)
x = rng.normal(size=8)
y = 1.5 * x + rng.normal(0, 0.1, size=8)
w_ref, losses_ref = 0.3, []
for _ in range(5):
    losses_ref.append(np.mean((w_ref * x - y) ** 2))
    w_ref = w_ref - 0.1 * np.mean(2 * (w_ref * x - y) * x)
w, losses = fit_gd(x, y, lr=0.1, epochs=5, w0=0.3)
expect_close(w, w_ref, "w of fit_gd after 5 epochs from w0 = 0.3")
expect_close(losses, losses_ref, "losses of fit_gd after 5 epochs")
### END HIDDEN TESTS

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
expect_close(add_bias([1, 2, 3]), [[1, 1], [1, 2], [1, 3]], "add_bias([1, 2, 3])",
             hint="a 1-D X is one feature: shape (3, 2), the column of ones first.")
expect_close(add_bias([[1, 2], [3, 4]]), [[1, 1, 2], [1, 3, 4]], "add_bias([[1, 2], [3, 4]])")
print("add_bias: the public tests passed.")

# %% ag="hidden add_bias"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(205)
X = rng.normal(size=(5, 3))
expect_close(add_bias(X), np.column_stack([np.ones(5), X]), "add_bias on a (5, 3) array")
expect_close(add_bias(np.array([[4], [5]], dtype=np.int32)), [[1, 4], [1, 5]], "add_bias on ints")
### END HIDDEN TESTS

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
expect_close(mse_grad([[1, 1], [1, 2], [1, 3]], [3, 5, 7], [0, 0]), [-10, -68 / 3],
             "mse_grad(add_bias([1, 2, 3]), [3, 5, 7], w=[0, 0])",
             hint="2/n * Xb.T @ (Xb @ w - y).")
print("mse_grad: the public tests passed.")

# %% ag="hidden mse_grad"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(206)
Xb = np.column_stack([np.ones(10), rng.normal(size=(10, 2))])
y, w = rng.normal(size=10), rng.normal(size=3)
expect_close(mse_grad(Xb, y, w), 2 / 10 * Xb.T @ (Xb @ w - y), "mse_grad on random data")
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Gradient descent with many features
#
# The same loop as `fit_gd`, now on vectors: add the bias column, start from
# $w = \mathbf 0$, and each epoch record the loss and step $w \leftarrow w - \alpha\,
# \nabla_w L$. On $x = 1, 2, 3$, $y = 3, 5, 7$ with $\alpha = 0.1$ the weights approach
# $[1, 2]$ (bias 1, slope 2).

# %% ag="solution fit_multivariate_gd"

# %% ag="tests fit_multivariate_gd"
w, losses = fit_multivariate_gd([1, 2, 3], [3, 5, 7], lr=0.1, epochs=1000)
expect_close(w, [1.0, 2.0], "w of fit_multivariate_gd([1, 2, 3], [3, 5, 7], lr=0.1, epochs=1000)",
             atol=1e-4, hint="w[0] is the bias (the column of ones comes first).")
expect_close(losses[0], 83 / 3, "losses[0]", hint="the loss at w = 0, before the first update.")
expect_true(len(losses) == 1000, "one loss per epoch")
print("fit_multivariate_gd: the public tests passed.")

# %% ag="hidden fit_multivariate_gd"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(207)
X = rng.normal(size=(12, 2))
y = X @ np.array([0.5, -1.0]) + 2.0
Xb = np.column_stack([np.ones(12), X])
w_ref, losses_ref = np.zeros(3), []
for _ in range(5):
    losses_ref.append(np.mean((Xb @ w_ref - y) ** 2))
    w_ref = w_ref - 0.05 * 2 / 12 * Xb.T @ (Xb @ w_ref - y)
w, losses = fit_multivariate_gd(X, y, lr=0.05, epochs=5)
expect_close(w, w_ref, "w of fit_multivariate_gd after 5 epochs")
expect_close(losses, losses_ref, "losses of fit_multivariate_gd after 5 epochs")
### END HIDDEN TESTS

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
w, losses = fit_sgd([1, 2, 3], [3, 5, 7], lr=0.1, epochs=2, batch_size=3, seed=0)
expect_close(w, [67 / 75, 454 / 225], "w of fit_sgd(..., lr=0.1, epochs=2, batch_size=3)",
             hint="one batch of all rows: the same two steps as fit_multivariate_gd.")
expect_close(losses, [83 / 3, 224 / 675], "losses of fit_sgd(..., epochs=2, batch_size=3)",
             hint="the loss of the whole training set, before each epoch's updates.")
w, losses = fit_sgd([1, 2, 3], [3, 5, 7], lr=0.05, epochs=1, batch_size=1, seed=0)
expect_close(w, [0.724, 2.128], "w of fit_sgd(..., lr=0.05, epochs=1, batch_size=1, seed=0)",
             hint="rng.permutation(3) with seed 0 visits the rows 2, 0, 1.")
expect_raises(ValueError, "fit_sgd(..., batch_size=0)", fit_sgd, [1, 2, 3], [3, 5, 7],
              batch_size=0)
print("fit_sgd: the public tests passed.")

# %% ag="hidden fit_sgd"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(208)
X = rng.normal(size=(12, 2))
y = X @ np.array([0.5, -1.0]) + 2.0
w_gd, losses_gd = fit_multivariate_gd(X, y, lr=0.05, epochs=5)
w, losses = fit_sgd(X, y, lr=0.05, epochs=5, batch_size=12, seed=1)
expect_close(w, w_gd, "w of fit_sgd with batch_size = n (full-batch gradient descent)")
expect_close(losses, losses_gd, "losses of fit_sgd with batch_size = n")
w1, _ = fit_sgd(X, y, lr=0.05, epochs=3, batch_size=4, seed=5)
w2, _ = fit_sgd(X, y, lr=0.05, epochs=3, batch_size=4, seed=5)
expect_close(w1, w2, "fit_sgd twice with the same seed")
### END HIDDEN TESTS

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
expect_close(normal_equation([1, 2, 3], [3, 5, 7]), [1.0, 2.0],
             "normal_equation([1, 2, 3], [3, 5, 7])", hint="bias first: [intercept, slope].")
print("normal_equation: the public tests passed.")

# %% ag="hidden normal_equation"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(208)
X = rng.normal(size=(15, 3))
y = rng.normal(size=15)
Xb = np.column_stack([np.ones(15), X])
expect_close(normal_equation(X, y), np.linalg.lstsq(Xb, y, rcond=None)[0],
             "normal_equation on random data")
### END HIDDEN TESTS

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
expect_close(fit_torch([-1, 0, 1], [-1, 1, 3], lr=0.25, epochs=60), [1.0, 2.0],
             "fit_torch([-1, 0, 1], [-1, 1, 3], lr=0.25, epochs=60)", atol=1e-6)
print("fit_torch: the public tests passed.")

# %% ag="hidden fit_torch"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(209)
X = rng.normal(size=(10, 2))
y = X @ np.array([1.0, -0.5]) + 0.5
Xb = np.column_stack([np.ones(10), X])
w_ref = np.zeros(3)
for _ in range(5):
    w_ref = w_ref - 0.1 * 2 / 10 * Xb.T @ (Xb @ w_ref - y)
w = fit_torch(X, y, lr=0.1, epochs=5)
expect_close(w, w_ref, "fit_torch after 5 epochs (the iterates of gradient descent)")
expect_true(np.asarray(w).dtype == np.float64, "fit_torch should train in float64")
### END HIDDEN TESTS

# %% [markdown]
# ## Done — 제출
#
# When every public test cell prints its "passed" line, save the notebook and submit it
# (through nbgrader, or as `linear_regression.ipynb` or `linear_regression.py`). The hidden
# tests check the same functions on random data, compare your training loops with the
# reference after 1, 2 and 5 epochs, and check that `gd_step` never changes its input.
