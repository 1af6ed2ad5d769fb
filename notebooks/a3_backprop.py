# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 3 — The perceptron, computational graphs and backpropagation
# ### 퍼셉트론, 계산 그래프와 역전파
#
# *PyTorch Ch2. Basics for Model Training*, part 3 (neural networks).
#
# The lecture opens part 3 with a review of **Rosenblatt's perceptron (퍼셉트론)**, the
# ancestor of every neuron in a network: the logic gates it computes, the one gate it
# cannot (XOR), and the two-layer answer. Sections P1–P4 below are that review.
#
# A neural network is one long calculation. To train it with gradient descent we need the
# gradient of the loss with respect to *every* parameter, and computing each one by hand
# is hopeless. A **computational graph (계산 그래프)** breaks the calculation into small
# nodes (a multiplication, an addition, a matrix product). Then:
#
# * **forward propagation (순전파)** runs the nodes from left to right and computes the
#   result;
# * **backpropagation (역전파)** runs them from right to left. Each node receives the
#   **upstream gradient** `dout` $= \partial L / \partial\,\mathrm{out}$ and, by the
#   **chain rule (연쇄 법칙)**, multiplies it by its own local derivatives:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial\,\mathrm{out}} \cdot
# \frac{\partial\,\mathrm{out}}{\partial x}.$$
#
# This is exactly what PyTorch's autograd does for you; here you build it yourself.
#
# **How to work.** Replace each `# YOUR CODE HERE` / `raise NotImplementedError()` with
# your code and run the test cell after it. Never modify an input in place.

# %% [markdown] ag="points"

# %% [markdown]
# Run the next two cells first: the imports, and the small helpers the test cells use.

# %% ag="setup"
# ruff: noqa: F821 - the functions and test helpers are spliced in by `autograder release`

# %% ag="checks"

# %% [markdown]
# ## P1. The perceptron — 퍼셉트론
#
# A perceptron takes inputs $x_1, \dots, x_d$, multiplies each by a weight (가중치) $w_i$,
# and outputs 1 only when the weighted sum exceeds a **threshold (임계값)** $\theta$:
#
# $$y = \begin{cases} 1 & \text{if } w_1 x_1 + \dots + w_d x_d > \theta \\
# 0 & \text{if } w_1 x_1 + \dots + w_d x_d \le \theta \end{cases}$$
#
# Mind the tie: a sum *equal* to $\theta$ gives 0. `perceptron(x, w, theta)` takes one
# input `x` of shape `(d,)` and returns an `int`, or a batch `X` of shape `(n, d)` (one
# input per row) and returns an int array `(n,)`: `X @ w` computes every row's sum at once.

# %% ag="solution perceptron"

# %% ag="tests perceptron"
expect_true([perceptron(x, [0.5, 0.5], 0.7) for x in ([0, 0], [1, 0], [0, 1], [1, 1])]
            == [0, 0, 0, 1], "perceptron with w = (0.5, 0.5), θ = 0.7 should be AND")
expect_close(perceptron([1, 0], [0.5, 0.5], 0.5), 0, "perceptron([1, 0], [0.5, 0.5], 0.5)",
             hint="the sum 0.5 equals θ, and ≤ θ gives 0.")
expect_close(perceptron(np.array([[0, 0], [1, 1]]), [0.5, 0.5], 0.7), [0, 1],
             "perceptron(X of shape (2, 2), [0.5, 0.5], 0.7)", hint="one output per row.")
print("perceptron: the public tests passed.")

# %% ag="hidden perceptron"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(300)
X, w = rng.normal(size=(6, 3)), rng.normal(size=3)
expect_close(perceptron(X, w, 0.1), (X @ w > 0.1).astype(int), "perceptron on random rows")
expect_close(perceptron(np.array([[1, 2], [2, 0]]), [1, 1], 2), [1, 0], "perceptron with a tie")
### END HIDDEN TESTS

# %% [markdown]
# ## P2. Logic gates — 논리 회로 (AND, OR, NAND)
#
# | $x_1$ | $x_2$ | AND | OR | NAND |
# | :---: | :---: | :---: | :---: | :---: |
# | 0 | 0 | 0 | 0 | 1 |
# | 1 | 0 | 0 | 1 | 1 |
# | 0 | 1 | 0 | 1 | 1 |
# | 1 | 1 | 1 | 1 | 0 |
#
# The same perceptron computes all three; only the weights and the threshold change. For
# AND, $w = (0.5, 0.5)$ and $\theta = 0.7$ work: only $0.5 + 0.5 = 1.0$ is above 0.7. Find
# weights for OR and NAND too (NAND is "not AND": flip the signs). Any weights that give
# the table are right; the grader checks them with its own perceptron.

# %% ag="solution gate_weights"

# %% ag="tests gate_weights"
for gate, table in {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}.items():
    w, theta = gate_weights(gate)
    got = [int(np.dot(x, w) > theta) for x in ([0, 0], [1, 0], [0, 1], [1, 1])]
    expect_true(got == table, f"gate_weights({gate!r}) = ({w}, {theta}) gives {got}, not {table}")
expect_raises(ValueError, "gate_weights('XOR')", gate_weights, "XOR",
              hint="XOR is not a single-perceptron gate (section P3).")
print("gate_weights: the public tests passed.")

# %% ag="hidden gate_weights"
### BEGIN HIDDEN TESTS
expect_raises(ValueError, "gate_weights('NOR')", gate_weights, "NOR")
### END HIDDEN TESTS

# %% [markdown]
# The truth tables computed by your perceptron with your weights:

# %% ag="demo"
inputs = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
print("x1 x2 | AND  OR  NAND")
for x, *outputs in zip(inputs.tolist(), *(perceptron(inputs, *gate_weights(g))
                                         for g in ("AND", "OR", "NAND")), strict=True):
    print(f" {x[0]}  {x[1]} |  " + "   ".join(str(o) for o in outputs))

# %% [markdown]
# ## P3. XOR and linear separation — 선형 분리
#
# A perceptron with two inputs outputs 1 on one side of the line
# $w_1 x_1 + w_2 x_2 = \theta$ and 0 on the other. AND and OR each have such a line. XOR
# (1 when exactly one input is 1) has none: its 1s, $(1, 0)$ and $(0, 1)$, sit on one
# diagonal and its 0s, $(0, 0)$ and $(1, 1)$, on the other, and no straight line puts the
# two diagonals on different sides. XOR is **not linearly separable (선형 분리 불가능)**,
# so one perceptron cannot compute it. In the pictures below a blue circle is an output of 1,
# a red cross an output of 0, and the dashed line is where your weights' sum equals θ.

# %% ag="demo"
import matplotlib.pyplot as plt  # noqa: E402 - the demo cells only, never the graded module

xs = np.linspace(-0.5, 1.5, 2)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), sharey=True)
for ax, gate in zip(axes, ("AND", "OR", "XOR"), strict=True):
    labels = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}[gate]
    for (x1, x2), label in zip(inputs, labels, strict=True):
        ax.scatter(x1, x2, s=150, marker="o" if label else "x", c="tab:blue" if label else "tab:red")
    if gate != "XOR":  # the line w1 x1 + w2 x2 = θ of your weights
        w, theta = gate_weights(gate)
        ax.plot(xs, (theta - w[0] * xs) / w[1], "k--", label="w·x = θ")
        ax.legend(loc="upper right")
    else:
        ax.text(0.5, -0.35, "no line splits ○ from ×", ha="center")
    ax.set(title=gate, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$")
axes[0].set_ylabel("$x_2$")
plt.show()

# %% [markdown]
# ## P4. The two-layer answer — 다층 퍼셉트론
#
# What one layer cannot do, two can. Feed the inputs into a NAND and an OR perceptron,
# then feed their two outputs into an AND perceptron:
#
# | $x_1$ | $x_2$ | $s_1$ = NAND | $s_2$ = OR | $y$ = AND($s_1$, $s_2$) |
# | :---: | :---: | :---: | :---: | :---: |
# | 0 | 0 | 1 | 0 | 0 |
# | 1 | 0 | 1 | 1 | 1 |
# | 0 | 1 | 1 | 1 | 1 |
# | 1 | 1 | 0 | 1 | 0 |
#
# That is XOR. Build `xor_gate` from `perceptron` and `gate_weights` (the grader reads your
# code to check this): `x1 != x2` gives the right numbers but is not the exercise.
#
# Then let the perceptron find its weights itself with the **perceptron learning rule
# (퍼셉트론 학습 규칙)**: start at $w = 0$, $\theta = 0$; for each row,
# `update = lr * (y_i - perceptron(x_i, w, theta))`, `w = w + update * x_i` and
# `theta = theta - update` (a higher threshold makes the perceptron fire less, so θ moves
# opposite to the weights). `errors[k]` counts the rows that changed something in epoch k:
# on AND and OR it reaches 0; on XOR it never does.

# %% ag="solution xor_gate"

# %% ag="tests xor_gate"
expect_true([xor_gate(a, b) for a, b in ([0, 0], [1, 0], [0, 1], [1, 1])] == [0, 1, 1, 0],
            "xor_gate should give 0, 1, 1, 0 on (0, 0), (1, 0), (0, 1), (1, 1)")
print("xor_gate: the public tests passed.")

# %% ag="solution train_perceptron"

# %% ag="tests train_perceptron"
w, theta, errors = train_perceptron([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 0, 0, 1], lr=0.1,
                                    epochs=10)
expect_true(errors == [1, 3, 3, 2, 1, 0, 0, 0, 0, 0],
            f"errors of train_perceptron on AND: {errors}, expected [1, 3, 3, 2, 1, 0, 0, 0, 0, 0]")
expect_true([int(np.dot(x, w) > theta) for x in ([0, 0], [1, 0], [0, 1], [1, 1])] == [0, 0, 0, 1],
            f"the learned w = {w}, θ = {theta} do not compute AND")
print("train_perceptron: the public tests passed.")

# %% ag="hidden train_perceptron"
### BEGIN HIDDEN TESTS
_, _, errors = train_perceptron([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 1, 0], lr=0.1, epochs=30)
expect_true(min(errors) > 0, "XOR is not linearly separable: errors never reach 0")
### END HIDDEN TESTS

# %% [markdown]
# The errors per epoch of the learning rule on the three gates and on XOR:

# %% ag="demo"
fig, ax = plt.subplots(figsize=(6, 3.2))
for gate, labels in {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0],
                     "XOR": [0, 1, 1, 0]}.items():
    ax.plot(range(1, 21), train_perceptron(inputs, labels, lr=0.1, epochs=20)[2], marker=".",
            label=gate)
ax.set(xlabel="epoch", ylabel="rows misclassified", title="the perceptron learning rule")
ax.legend()
plt.show()

# %% [markdown]
# ## 1. The addition node — 덧셈 노드
#
# $\mathrm{out} = x + y$ has the local derivatives $\partial\,\mathrm{out}/\partial x = 1$
# and $\partial\,\mathrm{out}/\partial y = 1$. So backward passes the upstream gradient
# through unchanged, to both inputs: `backward(dout)` returns `(dout, dout)`.

# %% ag="solution AddNode"

# %% ag="tests AddNode"
node = AddNode()
expect_close(node.forward(2, 3), 5, "AddNode().forward(2, 3)")
expect_close(node.backward(1.3), [1.3, 1.3], "AddNode().backward(1.3)",
             hint="the addition node passes dout through unchanged: (dout, dout).")
print("AddNode: the public tests passed.")

# %% ag="hidden AddNode"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(301)
a, b, up = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
node = AddNode()
expect_close(node.forward(a, b), a + b, "AddNode.forward on (3, 4) arrays")
dx, dy = node.backward(up)
expect_close(dx, up, "dx of AddNode.backward on arrays")
expect_close(dy, up, "dy of AddNode.backward on arrays")
### END HIDDEN TESTS

# %% [markdown]
# ## 2. The multiplication node — 곱셈 노드
#
# $\mathrm{out} = x y$ has the local derivatives $\partial\,\mathrm{out}/\partial x = y$ and
# $\partial\,\mathrm{out}/\partial y = x$: each input receives the upstream gradient times
# the **other** input (입력을 서로 바꿔 곱한다). That is why `forward` must remember
# `x` and `y`.
#
# Lecture example: `forward(1000, 3)` gives 3000; `backward(1.1)` gives
# $(1.1 \cdot 3,\; 1.1 \cdot 1000) = (3.3, 1100)$.

# %% ag="solution MulNode"

# %% ag="tests MulNode"
node = MulNode()
expect_close(node.forward(1000, 3), 3000, "MulNode().forward(1000, 3)")
expect_close(node.backward(1.1), [3.3, 1100.0], "MulNode().backward(1.1) after forward(1000, 3)",
             hint="dx = dout * y and dy = dout * x: the inputs are swapped.")
print("MulNode: the public tests passed.")

# %% ag="hidden MulNode"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(302)
a, b, up = rng.normal(size=(2, 5)), rng.normal(size=(2, 5)), rng.normal(size=(2, 5))
node = MulNode()
expect_close(node.forward(a, b), a * b, "MulNode.forward on (2, 5) arrays")
dx, dy = node.backward(up)
expect_close(dx, up * b, "dx of MulNode.backward on arrays")
expect_close(dy, up * a, "dy of MulNode.backward on arrays")
node = MulNode()
node.forward(np.array([1, 2, 3]), 4)
dx, dy = node.backward(2.0)
expect_close(dx, 8.0, "dx of MulNode.backward(2.0) after forward([1, 2, 3], 4)")
expect_close(dy, [2.0, 4.0, 6.0], "dy of MulNode.backward(2.0) after forward([1, 2, 3], 4)")
### END HIDDEN TESTS

# %% [markdown]
# ## 3. The snack purchase — 과자 구매 예제
#
# The lecture's graph: a snack costs 1000 won, we buy 3, and pay 10% tax.
#
# ```
#   price = 1000 ──┐
#                  (×)── 3000 ──┐
#   count = 3 ─────┘            (×)── total = 3300
#   tax   = 1.1 ────────────────┘
# ```
#
# Backward, from $\partial L/\partial\,\mathrm{total} = 1$ on the right:
#
# * the tax node: $d_{tax} = 1 \cdot 3000 = 3000$, and $d_{subtotal} = 1 \cdot 1.1 = 1.1$;
# * the count node gets `dout = 1.1`: $d_{price} = 1.1 \cdot 3 = 3.3$ and
#   $d_{count} = 1.1 \cdot 1000 = 1100$.
#
# So one more won on the price raises the total by 3.3 won, one more snack by 1100 won.
# Build it from two `MulNode`s: forward through both, then backward in reverse order.

# %% ag="solution snack_purchase"

# %% ag="tests snack_purchase"
got = snack_purchase()
expect_true(isinstance(got, dict), f"snack_purchase() should return a dict, got {got!r}")
for key, value in {"total": 3300, "d_price": 3.3, "d_count": 1100, "d_tax": 3000}.items():
    expect_close(got[key], value, f"snack_purchase()[{key!r}]")
print("snack_purchase: the public tests passed.")

# %% ag="hidden snack_purchase"
### BEGIN HIDDEN TESTS
got = snack_purchase(250, 4, 1.2)
for key, value in {"total": 1200, "d_price": 4.8, "d_count": 300, "d_tax": 1000}.items():
    expect_close(got[key], value, f"snack_purchase(250, 4, 1.2)[{key!r}]")
got = snack_purchase(price=200, tax=1.05)
expect_close(got["d_count"], 210.0, "snack_purchase(price=200, tax=1.05)['d_count']")
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Two items — 덧셈 노드와 곱셈 노드
#
# Apples 100 won × 2 and oranges 150 won × 3, then 10% tax:
#
# $$\mathrm{total} = (\mathrm{price}_a \cdot \mathrm{count}_a + \mathrm{price}_b \cdot
# \mathrm{count}_b)\cdot \mathrm{tax} = (200 + 450) \cdot 1.1 = 715.$$
#
# Three `MulNode`s and one `AddNode`. Backward: the tax node gives $d_{tax} = 650$ and
# sends $1.1$ to the addition node, which passes $1.1$ to both products; then
# $d_{price_a} = 1.1 \cdot 2 = 2.2$, $d_{count_a} = 1.1 \cdot 100 = 110$,
# $d_{price_b} = 3.3$, $d_{count_b} = 165$.

# %% ag="solution two_item_purchase"

# %% ag="tests two_item_purchase"
got = two_item_purchase(100, 2, 150, 3, 1.1)
expected = {"total": 715, "d_price_a": 2.2, "d_count_a": 110, "d_price_b": 3.3,
            "d_count_b": 165, "d_tax": 650}
for key, value in expected.items():
    expect_close(got[key], value, f"two_item_purchase(100, 2, 150, 3, 1.1)[{key!r}]")
print("two_item_purchase: the public tests passed.")

# %% ag="hidden two_item_purchase"
### BEGIN HIDDEN TESTS
got = two_item_purchase(30, 5, 70, 2, 1.2)
expected = {"total": 348, "d_price_a": 6.0, "d_count_a": 36, "d_price_b": 2.4,
            "d_count_b": 84, "d_tax": 290}
for key, value in expected.items():
    expect_close(got[key], value, f"two_item_purchase(30, 5, 70, 2, 1.2)[{key!r}]")
### END HIDDEN TESTS

# %% [markdown]
# ## 5. The affine (fully connected) node — Affine 계층
#
# A layer of a neural network computes $Y = XW + b$ for a batch: $X$ is $(n, m)$ ($n$
# rows), $W$ is $(m, l)$, $b$ is $(l,)$ and is added to every row. Backward, with the
# upstream gradient $dY$ of shape $(n, l)$:
#
# $$dX = dY\,W^\top \;(n, m) \qquad dW = X^\top dY \;(m, l) \qquad
# db = \textstyle\sum_{\text{rows}} dY \;(l,)$$
#
# Every gradient has the shape of what it is the gradient of; that tells you where the
# transposes go. $db$ sums over the batch because $b$ was used by every row.

# %% ag="solution LinearNode"

# %% ag="tests LinearNode"
X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
node = LinearNode()
expect_close(node.forward(X, W, np.array([0.5, -1.0])), [[4.5, 4.0], [10.5, 10.0]],
             "LinearNode().forward(X, W, b)")
dX, dW, db = node.backward(np.array([[1.0, 2.0], [3.0, -1.0]]))
expect_close(dX, [[1, 2, 3], [3, -1, 2]], "dX of LinearNode.backward(dY)", hint="dX = dY @ W.T")
expect_close(dW, [[13, -2], [17, -1], [21, 0]], "dW of LinearNode.backward(dY)",
             hint="dW = X.T @ dY, shaped like W (3, 2)")
expect_close(db, [4, 1], "db of LinearNode.backward(dY)", hint="db = dY summed over the rows")
print("LinearNode: the public tests passed.")

# %% ag="hidden LinearNode"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(305)
X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
dY = rng.normal(size=(4, 2))
node = LinearNode()
expect_close(node.forward(X, W, b), X @ W + b, "LinearNode.forward on random arrays")
dX, dW, db = node.backward(dY)
expect_close(dX, dY @ W.T, "dX on random arrays")
expect_close(dW, X.T @ dY, "dW on random arrays")
expect_close(db, dY.sum(axis=0), "db on random arrays")
node = LinearNode()
node.forward(X[:1], W, b)
expect_close(node.backward(dY[:1])[2], dY[0], "db for a batch of one row")
### END HIDDEN TESTS

# %% [markdown]
# ## 6. The loss node — 손실 함수 노드
#
# The graph ends with the loss. The MSE node computes
# $L = \frac{1}{N}\sum (\hat y - y)^2$ and, since it is the last node, its upstream
# gradient is $\partial L / \partial L = 1$ (`dout=1.0` by default):
#
# $$\frac{\partial L}{\partial \hat y} = \mathrm{dout}\cdot\frac{2(\hat y - y)}{N}.$$
#
# On the credit-score table of assignment 1: forward gives 3.0, backward
# $\frac{2}{3}[-1, -2, 2] = [-2/3, -4/3, 4/3]$.

# %% ag="solution MSELossNode"

# %% ag="tests MSELossNode"
node = MSELossNode()
expect_close(node.forward([9, 7, 10], [10, 9, 8]), 3.0, "MSELossNode().forward([9, 7, 10], [10, 9, 8])")
expect_close(node.backward(), [-2 / 3, -4 / 3, 4 / 3], "MSELossNode.backward()",
             hint="dout * 2 * (y_pred - y_true) / N")
print("MSELossNode: the public tests passed.")

# %% ag="hidden MSELossNode"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(306)
p, t = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
node = MSELossNode()
expect_close(node.forward(p, t), np.mean((p - t) ** 2), "MSELossNode.forward on (5, 2) arrays")
expect_close(node.backward(0.5), 0.5 * 2 * (p - t) / p.size, "MSELossNode.backward(0.5)")
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Checking gradients numerically — 수치 미분
#
# How do we know a backward pass is right? Compare it with a **numerical gradient**: nudge
# one element of $x$ a little up and down and look at how $f$ changes (central difference,
# 중앙 차분):
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}$$
#
# where $e_i$ is 1 at position $i$ and 0 elsewhere. It is slow (two calls of $f$ per
# element) but simple, so it is the standard check for backpropagation code. For
# $f(x) = x_0^2 + x_1^2$ at $x = [3, 4]$ it gives $[6, 8]$. `x` may have any shape, and the
# caller's `x` must hold its original values afterwards.

# %% ag="solution numerical_gradient"

# %% ag="tests numerical_gradient"
x = np.array([3.0, 4.0])
expect_close(numerical_gradient(lambda v: np.sum(v ** 2), x), [6.0, 8.0],
             "numerical_gradient(sum(x**2), [3, 4])", atol=1e-6,
             hint="(f(x + h e_i) - f(x - h e_i)) / (2h) for every element i.")
expect_true(np.array_equal(x, [3.0, 4.0]), "numerical_gradient changed the caller's x")
print("numerical_gradient: the public tests passed.")

# %% ag="hidden numerical_gradient"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(307)
x = rng.normal(size=(2, 3))
x_before = x.copy()
expect_close(numerical_gradient(lambda v: np.sum(np.sin(v) * v), x), np.sin(x) + x * np.cos(x),
             "numerical_gradient of sum(sin(x) * x) on a (2, 3) array", rtol=1e-6, atol=1e-7)
expect_true(np.array_equal(x, x_before), "numerical_gradient changed the caller's x")
expect_close(numerical_gradient(lambda v: float(v[0] ** 3), np.array([2.0]), h=1e-3),
             [(2.001 ** 3 - 1.999 ** 3) / 0.002], "numerical_gradient with h=1e-3")
### END HIDDEN TESTS

# %% [markdown]
# ## 8. Training with the graph — 계산 그래프로 학습하기
#
# Now put the nodes to work: linear regression trained *only* with a `LinearNode` and an
# `MSELossNode`. Each epoch: forward (prediction, loss; record the loss), backward
# (`dY = loss.backward()`, `dX, dW, db = linear.backward(dY)`), and the gradient-descent
# update $W \leftarrow W - \alpha\, dW$, $b \leftarrow b - \alpha\, db$. Start at zero.
# These are exactly the iterates of `fit_multivariate_gd` in assignment 2.

# %% ag="solution train_linear_backprop"

# %% ag="tests train_linear_backprop"
x = np.linspace(-1.0, 1.0, 11)
W, b, losses = train_linear_backprop(x.reshape(-1, 1), 2 * x + 1, lr=0.5, epochs=200)
expect_true(np.shape(W) == (1, 1) and np.shape(b) == (1,),
            f"W should have shape (1, 1) and b shape (1,); got {np.shape(W)} and {np.shape(b)}")
expect_close(losses[0], 2.6, "losses[0]", hint="the loss at W = 0, b = 0: mean(y ** 2).")
expect_close(W, [[2.0]], "W after 200 epochs on y = 2x + 1", atol=1e-3)
expect_close(b, [1.0], "b after 200 epochs on y = 2x + 1", atol=1e-3)
print("train_linear_backprop: the public tests passed.")

# %% ag="hidden train_linear_backprop"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(308)
X = rng.normal(size=(9, 2))
y = X @ np.array([1.0, -2.0]) + 0.5
Xb = np.column_stack([np.ones(9), X])
w_ref, losses_ref = np.zeros(3), []
for _ in range(3):
    losses_ref.append(np.mean((Xb @ w_ref - y) ** 2))
    w_ref = w_ref - 0.1 * 2 / 9 * Xb.T @ (Xb @ w_ref - y)
W, b, losses = train_linear_backprop(X, y, lr=0.1, epochs=3)
expect_close(W, w_ref[1:].reshape(2, 1), "W after 3 epochs")
expect_close(b, w_ref[:1], "b after 3 epochs")
expect_close(losses, losses_ref, "losses after 3 epochs")
### END HIDDEN TESTS

# %% [markdown]
# ## 9. The same graph in PyTorch — 자동 미분
#
# PyTorch builds the computational graph while it computes: every tensor made from tensors
# with `requires_grad=True` remembers its node (`grad_fn`). One call of `total.backward()`
# runs backpropagation through the whole graph and leaves the gradients in `.grad`:
#
# ```python
# a = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
# b = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
# out = a * b
# out.backward()
# a.grad, b.grad    # 3.0 and 2.0: the multiplication node swaps its inputs
# ```
#
# For the snack, make `price`, `count` and `tax` such tensors, compute the total, call
# `backward()` once and read the three gradients. Return the same dict as `snack_purchase`,
# with Python floats. `.item()`, NumPy or `torch.tensor(...)` on an intermediate result would
# cut the graph.

# %% ag="solution snack_purchase_torch"

# %% ag="tests snack_purchase_torch"
got = snack_purchase_torch()
for key, value in {"total": 3300, "d_price": 3.3, "d_count": 1100, "d_tax": 3000}.items():
    expect_close(got[key], value, f"snack_purchase_torch()[{key!r}]")
print("snack_purchase_torch: the public tests passed.")

# %% ag="hidden snack_purchase_torch"
### BEGIN HIDDEN TESTS
got = snack_purchase_torch(250.0, 4.0, 1.2)
for key, value in {"total": 1200, "d_price": 4.8, "d_count": 300, "d_tax": 1000}.items():
    expect_close(got[key], value, f"snack_purchase_torch(250, 4, 1.2)[{key!r}]")
expect_true(all(isinstance(v, float) for v in got.values()), "the values should be Python floats")
### END HIDDEN TESTS

# %% [markdown]
# ## Done — 제출
#
# When every public test cell prints its "passed" line, save the notebook and submit it
# (through nbgrader, or as `backprop.ipynb` or `backprop.py`). The hidden tests check every
# backward pass against numerical and autograd gradients on random arrays.
