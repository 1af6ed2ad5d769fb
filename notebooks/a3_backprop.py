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
# Run the next two cells first: the imports, and the runner of the test cells.

# %% ag="setup"
# ruff: noqa: F821 - the functions and tests are spliced in by `autograder release`

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

# %% ag="hidden perceptron"

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

# %% ag="hidden gate_weights"

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

# %% ag="solution train_perceptron"

# %% ag="tests train_perceptron"

# %% ag="hidden train_perceptron"

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

# %% ag="hidden AddNode"

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

# %% ag="hidden MulNode"

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

# %% ag="hidden snack_purchase"

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

# %% ag="hidden two_item_purchase"

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

# %% ag="hidden LinearNode"

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

# %% ag="hidden MSELossNode"

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

# %% ag="hidden numerical_gradient"

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

# %% ag="hidden train_linear_backprop"

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

# %% ag="hidden snack_purchase_torch"

# %% [markdown]
# ## Done — 제출
#
# When every public test cell prints its "passed" line, save the notebook and submit it
# (through nbgrader, or as `backprop.ipynb` or `backprop.py`). The hidden tests check every
# backward pass against numerical and autograd gradients on random arrays.
