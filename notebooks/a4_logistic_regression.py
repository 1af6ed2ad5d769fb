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
# ruff: noqa: F821 - the functions and test helpers are spliced in by `autograder release`

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
expect_close(sigmoid(0), 0.5, "sigmoid(0)")
expect_close(sigmoid([-1.0, 0.0, 1.0, 2.0]), [0.26894142, 0.5, 0.73105858, 0.88079708],
             "sigmoid([-1, 0, 1, 2])", rtol=1e-7, hint="1 / (1 + exp(-z)): mind the minus sign.")
expect_close(sigmoid(np.array([[0.5, -3.0], [4.0, 0.0]])),
             [[0.62245933, 0.04742587], [0.98201379, 0.5]], "sigmoid on a 2x2 array", rtol=1e-7)
print("sigmoid: the public tests passed.")

# %% ag="hidden sigmoid"
### BEGIN HIDDEN TESTS
import warnings  # noqa: E402

rng = np.random.default_rng(401)
z = rng.normal(0, 5, size=(3, 4))
expect_close(sigmoid(z), 1 / (1 + np.exp(-z)), "sigmoid on random (3, 4) input")
with warnings.catch_warnings():
    warnings.simplefilter("error")  # an overflow warning becomes an error here
    try:
        extreme = sigmoid(np.array([-1000.0, -700.0, 700.0, 1000.0]))
    except RuntimeWarning as warning:
        raise AssertionError(f"sigmoid overflows for large |z|: {warning}") from None
expect_close(extreme, [0.0, np.exp(-700.0), 1.0, 1.0], "sigmoid([-1000, -700, 700, 1000])",
             rtol=1e-6, atol=0)
### END HIDDEN TESTS

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
expect_close(binary_cross_entropy([0.9, 0.2], [1, 0]), (-np.log(0.9) - np.log(0.8)) / 2,
             "binary_cross_entropy([0.9, 0.2], [1, 0])", atol=1e-6,
             hint="mean of -y*log(p) - (1-y)*log(1-p): mind the minus sign and the mean.")
expect_close(binary_cross_entropy([0.5, 0.5, 0.5], [1, 0, 1]), np.log(2),
             "binary_cross_entropy([0.5, 0.5, 0.5], [1, 0, 1])", atol=1e-6)
print("binary_cross_entropy: the public tests passed.")

# %% ag="hidden binary_cross_entropy"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(402)
p, y = rng.uniform(0.05, 0.95, size=(4, 3)), rng.integers(0, 2, size=(4, 3))
expect_close(binary_cross_entropy(p, y), np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)),
             "binary_cross_entropy on random (4, 3) input", rtol=1e-5)
loss = binary_cross_entropy([0.0, 1.0, 1.0], [1, 1, 0])
expect_true(np.isfinite(loss) and loss > 5,
            f"p of exactly 0 or 1 should give a large finite loss, got {loss}")
p_col = np.array([[0.9], [0.2]])
try:
    got = binary_cross_entropy(p_col, np.array([1, 0]))
except ValueError:
    got = None
if got is not None:
    expect_close(got, (-np.log(0.9) - np.log(0.8)) / 2, "binary_cross_entropy((2, 1), (2,))",
                 atol=1e-6, hint="match or reject the shapes; do not broadcast to (2, 2).")
### END HIDDEN TESTS

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
expect_close(one_hot([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]], "one_hot([0, 2, 1])",
             hint="K = max(labels) + 1 columns, because labels start at 0.")
expect_close(one_hot([1, 0], num_classes=4), [[0, 1, 0, 0], [1, 0, 0, 0]],
             "one_hot([1, 0], num_classes=4)")
print("one_hot: the public tests passed.")

# %% ag="hidden one_hot"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(403)
labels = rng.integers(0, 5, size=12)
expect_close(one_hot(labels, 6), np.eye(6)[labels], "one_hot of random labels, num_classes=6")
expect_close(one_hot(np.array([3])), [[0, 0, 0, 1]], "one_hot([3])")
for bad, k in [([0, -1], None), ([0, 3], 3), ([0.0, 1.5], None)]:
    expect_raises(ValueError, f"one_hot({bad}, num_classes={k})", one_hot, bad, k)
### END HIDDEN TESTS

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
expect_close(softmax([0.3, 2.9, 4.0]), [0.01821127, 0.24519181, 0.73659691],
             "softmax([0.3, 2.9, 4.0])", rtol=1e-6)
rows = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
expect_close(rows.sum(axis=1), [1.0, 1.0], "the row sums of softmax on a (2, 3) batch",
             hint="normalize each row (axis=1 / axis=-1), not each column.")
expect_close(rows[1], [1 / 3, 1 / 3, 1 / 3], "softmax of a row of zeros")
print("softmax: the public tests passed.")

# %% ag="hidden softmax"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(404)
z = rng.normal(0, 3, size=(4, 5))
e = np.exp(z - z.max(axis=1, keepdims=True))
expect_close(softmax(z), e / e.sum(axis=1, keepdims=True), "softmax on a random (4, 5) batch")
big = softmax(np.array([1000.0, 999.0, -1000.0]))
expect_true(np.all(np.isfinite(big)), f"softmax([1000, 999, -1000]) is not finite: {big}")
expect_close(big, [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1)), 0.0],
             "softmax([1000, 999, -1000])", atol=1e-12)
### END HIDDEN TESTS

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
t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
expect_close(cross_entropy_error(y, t), -np.log(0.6), "cross_entropy_error(y, t), lecture example",
             atol=1e-6, hint="-sum(t * log(y)): only the correct class counts.")
y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
expect_close(cross_entropy_error(y2, t), -np.log(0.1), "cross_entropy_error(y2, t)", atol=1e-6)
print("cross_entropy_error: the public tests passed.")

# %% ag="hidden cross_entropy_error"
### BEGIN HIDDEN TESTS
batch_y = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
batch_t = np.array([[1, 0, 0], [0, 0, 1]])
expect_close(cross_entropy_error(batch_y, batch_t), -(np.log(0.7) + np.log(0.6)) / 2,
             "cross_entropy_error on a batch of 2 (the mean over rows)", atol=1e-6)
loss = cross_entropy_error(np.array([0.0, 1.0]), np.array([1, 0]))
expect_true(np.isfinite(loss) and loss > 10, f"a 0 probability should give a large finite loss: {loss}")
### END HIDDEN TESTS

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
expect_close(logistic_grad([[1, 0], [1, 2]], [0, 1], [0, 0]), [0.0, -0.5],
             "logistic_grad([[1, 0], [1, 2]], [0, 1], w=[0, 0])",
             hint="Xb.T @ (sigmoid(Xb @ w) - y) / n")
print("logistic_grad: the public tests passed.")

# %% ag="hidden logistic_grad"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(406)
Xb = np.column_stack([np.ones(8), rng.normal(size=(8, 2))])
y, w = rng.integers(0, 2, size=8), rng.normal(size=3)
expect_close(logistic_grad(Xb, y, w), Xb.T @ (1 / (1 + np.exp(-Xb @ w)) - y) / 8,
             "logistic_grad on random data")
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Training logistic regression — 로지스틱 회귀 학습
#
# The loop of assignment 2 with the new loss: `Xb = _add_bias(X)`, `w = zeros(d+1)`, and in
# each epoch record the BCE of `sigmoid(Xb @ w)` (before the update), then
# $w \leftarrow w - \alpha \nabla_w L$. A check: at $w = 0$ every $p$ is $0.5$, so
# `losses[0]` is $\log 2 \approx 0.693$ for any data.

# %% ag="solution fit_logistic"

# %% ag="tests fit_logistic"
X = np.array([[2.0, 1.0], [2.5, 2.0], [3.0, 1.5], [1.5, 2.5], [3.5, 3.0],
              [0.0, -1.0], [-0.5, 0.0], [0.5, -0.5], [1.0, 0.0], [-1.0, -0.5]])
y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
w, losses = fit_logistic(X, y, lr=0.5, epochs=300)
expect_close(losses[0], np.log(2), "losses[0] of fit_logistic", hint="at w = 0 every p is 0.5.")
expect_true(len(losses) == 300 and losses[-1] < 0.1, f"the loss should fall below 0.1: {losses[-1]}")
scores = np.column_stack([np.ones(10), X]) @ w
expect_true(np.array_equal(scores > 0, y == 1), "fit_logistic should separate the two clusters")
print("fit_logistic: the public tests passed.")

# %% ag="hidden fit_logistic"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(407)
X = rng.normal(size=(10, 2))
y = (X[:, 0] - X[:, 1] > 0).astype(int)
Xb = np.column_stack([np.ones(10), X])
w_ref, losses_ref = np.zeros(3), []
for _ in range(3):
    p = 1 / (1 + np.exp(-Xb @ w_ref))
    losses_ref.append(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))
    w_ref = w_ref - 0.3 * Xb.T @ (p - y) / 10
w, losses = fit_logistic(X, y, lr=0.3, epochs=3)
expect_close(w, w_ref, "w of fit_logistic after 3 epochs", rtol=1e-5)
expect_close(losses, losses_ref, "losses of fit_logistic after 3 epochs", rtol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ## 8. Probabilities and decisions — 확률과 분류
#
# `predict_proba(X, w)` is $\sigma(X_b w)$ for data *without* the bias column;
# `predict(X, w, threshold)` turns it into labels: 1 where the probability is at least the
# threshold (0.5 by default), else 0. A higher threshold means "say 1 only when sure".

# %% ag="solution predict_proba"

# %% ag="tests predict_proba"
expect_close(predict_proba([[0.0], [1.0]], [1.0, 2.0]), [0.73105858, 0.95257413],
             "predict_proba([[0], [1]], w=[1, 2])", rtol=1e-7,
             hint="sigmoid(_add_bias(X) @ w): w[0] multiplies the column of ones.")
print("predict_proba: the public tests passed.")

# %% ag="hidden predict_proba"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(408)
X, w = rng.normal(size=(6, 3)), rng.normal(size=4)
expect_close(predict_proba(X, w), 1 / (1 + np.exp(-(w[0] + X @ w[1:]))), "predict_proba on random data")
### END HIDDEN TESTS

# %% ag="solution predict"

# %% ag="tests predict"
expect_close(predict([[0.0], [1.0], [-2.0]], [1.0, 2.0]), [1, 1, 0], "predict([[0], [1], [-2]], w=[1, 2])")
expect_close(predict([[0.0], [1.0], [-2.0]], [1.0, 2.0], threshold=0.9), [0, 1, 0],
             "predict(..., threshold=0.9)")
print("predict: the public tests passed.")

# %% ag="hidden predict"
### BEGIN HIDDEN TESTS
expect_close(predict([[0.0]], [0.0, 1.0]), [1], "predict when the probability equals the threshold")
rng = np.random.default_rng(409)
X, w = rng.normal(size=(7, 2)), rng.normal(size=3)
p = 1 / (1 + np.exp(-(w[0] + X @ w[1:])))
expect_close(predict(X, w, 0.3), (p >= 0.3).astype(int), "predict on random data, threshold=0.3")
### END HIDDEN TESTS

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
centers = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
X = np.repeat(centers, 4, axis=0) + np.tile([[0.3, 0.2], [-0.2, 0.3], [0.1, -0.3], [-0.3, -0.1]], (3, 1))
labels = np.repeat([0, 1, 2], 4)
W, losses = fit_softmax(X, labels, 3, lr=0.5, epochs=200)
expect_true(np.shape(W) == (3, 3), f"W should have shape (d+1, K) = (3, 3), got {np.shape(W)}")
expect_close(losses[0], np.log(3), "losses[0] of fit_softmax", hint="at W = 0 every class gets 1/3.")
guess = np.argmax(np.column_stack([np.ones(12), X]) @ W, axis=1)
expect_true(np.array_equal(guess, labels), "fit_softmax should learn the three clusters")
print("fit_softmax: the public tests passed.")

# %% ag="hidden fit_softmax"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(410)
X = rng.normal(size=(9, 2))
labels = rng.integers(0, 3, size=9)
Xb, T = np.column_stack([np.ones(9), X]), np.eye(4)[labels]
W_ref = np.zeros((3, 4))
for _ in range(2):
    E = np.exp(Xb @ W_ref - (Xb @ W_ref).max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    W_ref = W_ref - 0.2 * Xb.T @ (P - T) / 9
W, losses = fit_softmax(X, labels, 4, lr=0.2, epochs=2)
expect_close(W, W_ref, "W of fit_softmax after 2 epochs with num_classes=4")
### END HIDDEN TESTS

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
X = np.array([[2.0, 1.0], [2.5, 2.0], [3.0, 1.5], [1.5, 2.5], [3.5, 3.0],
              [0.0, -1.0], [-0.5, 0.0], [0.5, -0.5], [1.0, 0.0], [-1.0, -0.5]])
y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
w = fit_logistic_torch(X, y, lr=0.5, epochs=300)
expect_true(np.shape(w) == (3,), f"fit_logistic_torch should return a (3,) array, got {np.shape(w)}")
scores = np.column_stack([np.ones(10), X]) @ np.asarray(w)
expect_true(np.array_equal(scores > 0, y == 1), "fit_logistic_torch should separate the clusters")
print("fit_logistic_torch: the public tests passed.")

# %% ag="hidden fit_logistic_torch"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(411)
X = rng.normal(size=(10, 2))
y = (X[:, 0] + X[:, 1] > 0).astype(int)
Xb = np.column_stack([np.ones(10), X])
w_ref = np.zeros(3)
for _ in range(3):
    w_ref = w_ref - 0.3 * Xb.T @ (1 / (1 + np.exp(-Xb @ w_ref)) - y) / 10
expect_close(fit_logistic_torch(X, y, lr=0.3, epochs=3), w_ref, "fit_logistic_torch after 3 epochs",
             rtol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ## Done — 제출
#
# When every public test cell prints its "passed" line, save the notebook and submit it
# (through nbgrader, or as `logistic_regression.ipynb` or `logistic_regression.py`). The
# hidden tests check the same functions on random data, extreme inputs (no overflow, no
# `nan`), invalid labels, and the training loops after a few epochs.
