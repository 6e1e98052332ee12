"""Reference vectors of core/tests/policy_reference.rs, from stockpyl 1.0.2.

    python -m venv /tmp/spv && /tmp/spv/bin/pip install stockpyl==1.0.2
    /tmp/spv/bin/python gen_policy_vectors.py > vectors.rs.txt

Prints each model's cases as Rust tuple literals (floats in their shortest round-trip
form, so Rust reads the very same doubles), under a comment naming the stockpyl call that
produced them; they are pasted into the test file as they are.

stockpyl stops its iterative (r, Q) solvers at a tolerance of 1e-6 by default; the cases
here run them at a tight tolerance, or solve the same equations with stockpyl's own loss
and cost functions to full precision, as each block's comment says.
"""

import math

from scipy import optimize

from stockpyl import eoq, newsvendor, rq, ss
from stockpyl import loss_functions as lf
from stockpyl import gsm_serial, gsm_tree
from stockpyl.demand_source import DemandSource
from stockpyl.supply_chain_network import SupplyChainNetwork
from stockpyl.supply_chain_node import SupplyChainNode


def f(x):
    x = float(x)
    if x == math.inf:
        return "f64::INFINITY"
    r = repr(x)
    return r if ("." in r or "e" in r or "inf" in r) else r + ".0"


def tup(xs):
    return "(" + ", ".join(xs) + ")"


def flist(xs):
    return "&[" + ", ".join(f(x) for x in xs) + "]"


def block(title, lines):
    print(f"// {title}")
    for line in lines:
        print(line + ",")
    print()


# 1. EOQ with quantity discounts: (K, i, lambda, breaks, costs) -> (Q, region, g).
DISCOUNT_CASES = [
    (200, 0.20, 1000, [0, 200, 500], [500, 475, 450]),  # stockpyl's doctest
    (150, 0.25, 2400, [0, 300, 600], [100, 90, 80]),  # stockpyl's doctest (incremental)
    (8, 0.3, 1300, [0, 400, 800], [1.0, 0.98, 0.96]),
    (100, 0.2, 5000, [0, 1000, 2500], [10.0, 9.9, 9.85]),
    (40, 0.15, 200, [0], [12.0]),  # one price: the plain EOQ plus purchases
    (500, 0.1, 60, [0, 50, 100, 1000], [20.0, 18.0, 17.5, 17.0]),
]
for name, fn in [
    ("all_units", eoq.economic_order_quantity_with_all_units_discounts),
    ("incremental", eoq.economic_order_quantity_with_incremental_discounts),
]:
    lines = []
    for k, i, lam, b, c in DISCOUNT_CASES:
        q, region, g = fn(k, i, lam, b, c)
        lines.append(
            tup([f(k), f(i), f(lam), flist(b), flist(c), f(q), str(region), f(g)])
        )
    block(f"eoq.economic_order_quantity_with_{name}_discounts(K, i, lambda, b, c)", lines)

# 2. EPQ with planned backorders: the EOQ with backorders at rates scaled by 1 - lambda/mu.
lines = []
for k, h, p, lam, mu in [
    (8, 0.225, 5.0, 1300, 2000),
    (50, 2.0, 18.0, 1600, 4000),
    (100, 1.0, 1.0, 10, 10.5),
    (75, 0.5, 20.0, 900, 100000),
]:
    keep = 1 - lam / mu
    q, x, g = eoq.economic_order_quantity_with_backorders(k, h * keep, p * keep, lam)
    lines.append(tup([f(k), f(h), f(p), f(lam), f(mu), f(q), f(x), f(g)]))
block(
    "eoq.economic_order_quantity_with_backorders(K, h(1-lambda/mu), p(1-lambda/mu), lambda)",
    lines,
)

# 3. (s, S) power approximation: (h, p, K, mu, sigma) -> (s, S).
lines = []
for h, p, k, mu, sd in [
    (0.18, 0.70, 2.5, 50, 8),  # Example 4.7
    (1.0, 9.0, 64.0, 20.0, 5.0),
    (2.0, 30.0, 500.0, 100.0, 40.0),
    (0.5, 4.0, 10.0, 6.0, 0.5),
]:
    s, big_s = ss.s_s_power_approximation(h, p, k, mu, sd)
    lines.append(tup([f(h), f(p), f(k), f(mu), f(sd), f(s), f(big_s)]))
block("ss.s_s_power_approximation(h, p, K, mu, sigma)", lines)

RQ_CASES = [
    (0.225, 7.5, 8, 1300, 150, 1 / 12),  # Examples 5.1-5.6
    (1.0, 9.0, 64.0, 20.0, 5.0, 4.0),
    (2.0, 25.0, 100.0, 50.0, 20.0, 0.5),
    (0.5, 3.0, 30.0, 10.0, 6.0, 2.0),
]


def lf_r_q(h, p, k, lam, tau, lead):
    """The loss-function approximation's fixed point with stockpyl's loss functions, each
    step solved with brentq to full precision."""
    mu, sigma = lam * lead, tau * math.sqrt(lead)
    q, _ = eoq.economic_order_quantity(k, h, lam)
    r = 0.0
    for _ in range(10000):
        rhs = h * q / (h + p)
        r_new = optimize.brentq(
            lambda y: lf.normal_loss(y, mu, sigma)[0] - rhs,
            mu - 50 * sigma - rhs,
            mu + 50 * sigma,
            xtol=1e-14,
            rtol=1e-15,
        )
        loss2, _ = lf.normal_second_loss(r_new, mu, sigma)
        q_new = math.sqrt(2 * (k * lam + (h + p) * loss2) / h)
        done = abs(q_new - q) <= 1e-13 * q and abs(r_new - r) <= 1e-13 * max(1, abs(r))
        q, r = q_new, r_new
        if done:
            break
    # stockpyl's own iteration at a tight tolerance agrees to its fsolve's precision.
    r_sp, q_sp = rq.r_q_loss_function_approximation(h, p, k, lam, tau, lead, tol=1e-10)
    assert abs(r_sp - r) < 1e-6 * max(1, abs(r)) and abs(q_sp - q) < 1e-6 * q, (r, q, r_sp, q_sp)
    return r, q


lines = []
for h, p, k, lam, tau, lead in RQ_CASES:
    r, q = lf_r_q(h, p, k, lam, tau, lead)
    cost = rq.r_q_cost(r, q, h, p, k, lam, tau, lead)
    lines.append(tup([f(h), f(p), f(k), f(lam), f(tau), f(lead), f(r), f(q), f(cost)]))
block(
    "rq.r_q_loss_function_approximation(h, p, K, lambda, tau, L): its fixed point solved "
    "with stockpyl's lf.normal_loss / lf.normal_second_loss by brentq to 1e-14 "
    "(rq.r_q_loss_function_approximation(tol=1e-10) agrees to 1e-6, its fsolve's "
    "precision); cost = rq.r_q_cost(r, Q, ...)",
    lines,
)

lines = []
for (h, p, k, lam, tau, lead), q in zip(RQ_CASES, [300, 40, 120.5, 25]):
    r = rq.r_q_optimal_r_for_q(q, h, p, lam, tau, lead, tol=1e-12)
    lines.append(tup([f(q), f(h), f(p), f(lam), f(tau), f(lead), f(r)]))
block("rq.r_q_optimal_r_for_q(Q, h, p, lambda, tau, L, tol=1e-12)", lines)


def r_q_exact(h, p, k, lam, tau, lead):
    """The exact optimum with stockpyl's functions: Q the root of Q*g(r(Q)) = K*lambda +
    integral of g over [r, r+Q] (the first-order conditions), r(Q) from
    rq.r_q_optimal_r_for_q and the integral from rq.r_q_cost."""
    mu, sigma = lam * lead, tau * math.sqrt(lead)

    def excess(q):
        r = rq.r_q_optimal_r_for_q(q, h, p, lam, tau, lead, tol=1e-12)
        g_r = newsvendor.newsvendor_normal_cost(r, h, p, mu, sigma)
        cost = rq.r_q_cost(r, q, h, p, k, lam, tau, lead)
        return q * (cost - g_r)

    q0, _ = eoq.economic_order_quantity(k, h, lam)
    lo, hi = q0 / 4, q0 * 4
    q = optimize.brentq(excess, lo, hi, xtol=1e-13, rtol=1e-15)
    r = rq.r_q_optimal_r_for_q(q, h, p, lam, tau, lead, tol=1e-12)
    cost = rq.r_q_cost(r, q, h, p, k, lam, tau, lead)
    # It is the minimum: nearby quantities cost more.
    for dq in (-1e-3 * q, 1e-3 * q):
        r2 = rq.r_q_optimal_r_for_q(q + dq, h, p, lam, tau, lead, tol=1e-12)
        assert rq.r_q_cost(r2, q + dq, h, p, k, lam, tau, lead) >= cost
    return r, q, cost


lines = []
for h, p, k, lam, tau, lead in RQ_CASES:
    r, q, cost = r_q_exact(h, p, k, lam, tau, lead)
    lines.append(tup([f(h), f(p), f(k), f(lam), f(tau), f(lead), f(r), f(q), f(cost)]))
block(
    "exact (r, Q) optimum: Q solving Q*g(r(Q)) = K*lambda + integral(g) by brentq, with "
    "rq.r_q_optimal_r_for_q(tol=1e-12), rq.r_q_cost and newsvendor.newsvendor_normal_cost",
    lines,
)

# 7. Newsvendor with a lead time, and for discrete demand.
lines = []
for h, p, mu, sd, lead in [
    (0.18, 0.70, 50, 8, 0),
    (0.18, 0.70, 50, 8, 3),
    (1.0, 9.0, 20.0, 5.0, 4),
    (2.0, 1.0, 100.0, 30.0, 1),
]:
    level, cost = newsvendor.newsvendor_normal(h, p, mu, sd, lead_time=lead)
    lines.append(tup([f(h), f(p), f(mu), f(sd), f(lead), f(level), f(cost)]))
block("newsvendor.newsvendor_normal(h, p, mu, sigma, lead_time=L)", lines)

lines = []
for h, p, values, probs in [
    (1, 4, list(range(0, 13)), [0.01, 0.03, 0.05, 0.09, 0.12, 0.15, 0.15, 0.13, 0.1, 0.08, 0.05, 0.03, 0.01]),
    (1.5, 2.0, [10, 20, 30, 40], [0.1, 0.4, 0.3, 0.2]),
    (3.0, 1.0, [5, 0, 7, 2], [0.25, 0.25, 0.25, 0.25]),
]:
    level, cost = newsvendor.newsvendor_discrete(h, p, demand_pmf=dict(zip(values, probs)))
    lines.append(tup([f(h), f(p), flist(values), flist(probs), f(level), f(cost)]))
block("newsvendor.newsvendor_discrete(h, p, demand_pmf=dict(zip(values, probabilities)))", lines)

lines = []
for h, p, sample in [
    (1.0, 3.0, [4, 7, 7, 2, 9, 5, 7, 3, 12, 6, 0, 8]),
    (2.0, 2.0, [3, 1, 4, 1, 5, 9, 2, 6]),
]:
    pmf = {}
    for v in sample:
        pmf[v] = pmf.get(v, 0) + 1
    pmf = {v: n / len(sample) for v, n in pmf.items()}
    level, cost = newsvendor.newsvendor_discrete(h, p, demand_pmf=pmf)
    lines.append(tup([f(h), f(p), flist(sample), f(level), f(cost)]))
block(
    "newsvendor.newsvendor_discrete(h, p, demand_pmf={value: count/n}) of a sample", lines
)

# 6. Guaranteed-service models. A stage: (id, T, h, successors, demand (mean, sd) or None,
# external inbound CST, max service time or None); one z for the network.
SERIAL = [
    # Example 6.3 (stockpyl instance example_6_3).
    (
        1.0,
        [
            ("3", 1, 2.0, ["2"], None, 1, None),
            ("2", 0, 4.0, ["1"], None, 0, None),
            ("1", 1, 7.0, [], (0.0, 1.0), 0, 1),
        ],
    ),
    (
        1.645,
        [
            ("raw", 4, 0.5, ["part"], None, 2, None),
            ("part", 3, 1.0, ["sub"], None, 0, None),
            ("sub", 2, 1.5, ["final"], None, 0, None),
            ("final", 5, 3.0, ["dc"], None, 0, None),
            ("dc", 1, 4.0, [], (40.0, 12.0), 0, 0),
        ],
    ),
    (
        2.0,
        [
            ("a", 2, 1.0, ["b"], None, 0, None),
            ("b", 6, 1.2, ["c"], None, 0, None),
            ("c", 3, 5.0, [], (10.0, 3.0), 0, 2),
        ],
    ),
]
TREE = [
    # Example 6.5 (stockpyl instance example_6_5).
    (
        1.0,
        [
            ("1", 2, 1.0, ["3"], None, 1, None),
            ("3", 1, 2.0, ["2", "4"], None, 0, None),
            ("2", 1, 3.0, [], (0.0, 1.0), 0, 0),
            ("4", 1, 3.0, [], (0.0, 1.0), 0, 1),
        ],
    ),
    # Problem 6.9 (stockpyl instance problem_6_9), holding costs per day.
    (
        4.0,
        [
            ("1", 7, 44 / 365, [], (22.0, 4.1), 0, 3),
            ("2", 7, 28 / 365, [], (15.3, 6.2), 0, 3),
            ("3", 21, 18 / 365, ["1", "2"], None, 0, None),
            ("4", 3, 1 / 365, ["3"], None, 0, None),
            ("5", 8, 4 / 365, ["3"], None, 0, None),
            ("6", 2, 1.5 / 365, ["5"], None, 0, None),
        ],
    ),
    # A distribution network: a plant, two regional warehouses, five stores.
    (
        1.645,
        [
            ("plant", 5, 1.0, ["east", "west"], None, 3, None),
            ("east", 2, 2.0, ["e1", "e2", "e3"], None, 0, None),
            ("west", 3, 2.0, ["w1", "w2"], None, 0, None),
            ("e1", 1, 4.0, [], (20.0, 6.0), 0, 0),
            ("e2", 1, 4.5, [], (35.0, 9.0), 0, 1),
            ("e3", 2, 4.0, [], (12.0, 5.0), 0, 0),
            ("w1", 1, 5.0, [], (50.0, 15.0), 0, 0),
            ("w2", 1, 3.5, [], (8.0, 4.0), 0, 2),
        ],
    ),
    # A mixed tree: two suppliers into an assembly, which feeds two markets, one of which
    # also sells from the assembly stage itself.
    (
        2.0,
        [
            ("s1", 3, 0.3, ["asm"], None, 1, None),
            ("s2", 6, 0.4, ["asm"], None, 0, None),
            ("asm", 2, 1.0, ["m1", "m2"], (5.0, 2.0), 0, 4),
            ("m1", 1, 2.5, [], (15.0, 5.0), 0, 0),
            ("m2", 2, 2.0, [], (9.0, 4.0), 0, 1),
        ],
    ),
]


def build(stages, z, serial):
    """The stockpyl network of a list of stages. Indices are 10, 20, ... in the list's order
    (never "correctly labelled", so stockpyl's relabelling runs, in the list's order)."""
    net = SupplyChainNetwork()
    index = {sid: 10 * (n + 1) for n, (sid, *_rest) in enumerate(stages)}
    if serial:
        # gsm_serial wants stages N..1 from the supply end: index them so.
        count = len(stages)
        index = {sid: count - n for n, (sid, *_rest) in enumerate(stages)}
    for sid, t, h, succ, demand, ext_in, ext_out in stages:
        node = SupplyChainNode(index=index[sid], network=net)
        node.processing_time = t
        node.local_holding_cost = h
        node.demand_bound_constant = z
        node.external_inbound_cst = ext_in
        if ext_out is not None:
            node.external_outbound_cst = ext_out
        if demand is not None:
            node.demand_source = DemandSource(type="N", mean=demand[0], standard_deviation=demand[1])
        else:
            node.demand_source = DemandSource()
        net.add_node(node)
    for sid, _t, _h, succ, *_rest in stages:
        for to in succ:
            net.add_edge(index[sid], index[to])
    return net, index


def stage_lits(stages):
    out = []
    for sid, t, h, succ, demand, ext_in, ext_out in stages:
        d = "None" if demand is None else f"Some(({f(demand[0])}, {f(demand[1])}))"
        e = "None" if ext_out is None else f"Some({ext_out})"
        s = "&[" + ", ".join(f'"{x}"' for x in succ) + "]"
        out.append(f'("{sid}", {t}, {f(h)}, {s}, {d}, {ext_in}, {e})')
    return "&[" + ", ".join(out) + "]"


for serial, cases in [(True, SERIAL), (False, TREE)]:
    lines = []
    for z, stages in cases:
        net, index = build(stages, z, serial)
        if serial:
            cst, cost = gsm_serial.optimize_committed_service_times(network=net)
        else:
            cst, cost = gsm_tree.optimize_committed_service_times(net)
        pre = gsm_tree.preprocess_tree(net)
        from stockpyl import gsm_helpers as gh

        bsl = gh.cst_to_base_stock_levels(pre, pre.node_indices, cst)
        ss_levels = gh.safety_stock_levels(pre, pre.node_indices, cst)
        per_stage = []
        for sid, *_rest in stages:
            i = index[sid]
            per_stage.append(f"({cst[i]}, {f(ss_levels[i])}, {f(bsl[i])})")
        lines.append(
            f"({f(z)}, {stage_lits(stages)}, &[" + ", ".join(per_stage) + f"], {f(cost)})"
        )
    name = (
        "gsm_serial.optimize_committed_service_times(network=...)"
        if serial
        else "gsm_tree.optimize_committed_service_times(tree)"
    )
    block(
        f"{name}; per stage (CST, gsm_helpers.safety_stock_levels, "
        "gsm_helpers.cst_to_base_stock_levels), then the optimal cost",
        lines,
    )
