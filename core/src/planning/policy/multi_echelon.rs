//! Multi-echelon base-stock levels by the guaranteed-service model (GSM): each stage
//! promises its customers a committed service time (CST) and holds the safety stock that
//! covers demand over its net lead time, inbound CST + processing time − outbound CST,
//! against a demand bound `z·σ·√τ`. The CSTs that make the total holding cost least are
//! found by dynamic programming: Inderfurth's (1991) for a serial line, Graves & Willems'
//! (2000, 2003 erratum) for any tree (distribution, assembly or mixed), each as stockpyl
//! 1.0.2's `gsm_serial` / `gsm_tree` implements it, tie-breaking included (vectors in
//! `core/tests/policy_reference.rs`).
//!
//! The input is a plain list of stages, each naming its successors (the stages it ships
//! to); links that name no stage, repeat, loop or close a cycle are refused.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Demand;
use crate::error::{Error, Result};
use crate::planning::check;
use crate::setters::setters;

/// Most stages one network may have.
pub const GSM_STAGES_MAX: usize = 1_000;

/// Longest replenishment time (external inbound service time plus the processing times
/// along the longest path into a stage) accepted; the dynamic programme's work grows with
/// its square for every stage.
pub const GSM_REPLENISHMENT_TIME_MAX: u32 = 400;

/// One stage of a guaranteed-service network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GsmStage {
    /// The stage's name, unique in the network.
    pub id: String,
    /// Periods from the stage receiving all its inputs to its output being ready.
    pub processing_time: u32,
    /// Holding cost per unit of its safety stock per period (the local, not echelon, rate).
    pub holding_cost: f64,
    /// The stages it ships to (by `id`).
    #[serde(default)]
    pub successors: Vec<String>,
    /// External demand per period it serves, if any; a stage without successors must
    /// have it.
    #[serde(default)]
    pub demand: Option<Demand>,
    /// Its safety factor z in the demand bound z·σ·√τ, instead of the network's.
    #[serde(default)]
    pub safety_factor: Option<f64>,
    /// The service time its external supplier (if any) commits to (default 0).
    #[serde(default)]
    pub external_inbound_service_time: u32,
    /// The longest service time it may quote. Default: 0 for a stage that serves external
    /// demand (customers are served from stock), no limit for the others.
    #[serde(default)]
    pub max_service_time: Option<u32>,
}

impl GsmStage {
    /// A stage `id` with its processing time and holding cost, no successors and no
    /// external demand.
    #[must_use]
    pub fn new(id: impl Into<String>, processing_time: u32, holding_cost: f64) -> GsmStage {
        GsmStage {
            id: id.into(),
            processing_time,
            holding_cost,
            successors: Vec::new(),
            demand: None,
            safety_factor: None,
            external_inbound_service_time: 0,
            max_service_time: None,
        }
    }
}

setters! {
    GsmStage {
        /// The stages it ships to (by `id`).
        texts successors,
        /// External demand per period it serves.
        opt(Demand) demand,
        /// Its safety factor z in the demand bound z·σ·√τ, instead of the network's.
        opt(f64) safety_factor,
        /// The service time its external supplier commits to (default 0).
        set(u32) external_inbound_service_time,
        /// The longest service time it may quote.
        opt(u32) max_service_time,
    }
}

/// One stage of a [`GsmSolution`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GsmStageResult {
    /// The stage.
    pub id: String,
    /// Its inbound service time: the longest its suppliers quote (or its external one).
    pub inbound_service_time: u32,
    /// The service time it commits to its customers.
    pub outbound_service_time: u32,
    /// Inbound service time + processing time − outbound service time: the periods of
    /// demand its stock must cover.
    pub net_lead_time: u32,
    /// z·σ·√(net lead time), σ the standard deviation of all demand it serves.
    pub safety_stock: f64,
    /// Mean demand over the net lead time plus the safety stock.
    pub base_stock_level: f64,
    /// Holding cost of the safety stock per period.
    pub holding_cost: f64,
}

/// The optimal committed service times of a network and the stock they call for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GsmSolution {
    /// One entry per stage, in the order given.
    pub stages: Vec<GsmStageResult>,
    /// The least total holding cost of safety stock per period.
    pub cost: f64,
}

/// The guaranteed-service optimum of a serial line (Inderfurth 1991; Snyder & Shen §6.3.5,
/// stockpyl's `gsm_serial.optimize_committed_service_times`): stages in a chain, the last
/// one (no successor) meeting external demand, the first one (no predecessor) alone
/// supplied from outside. `safety_factor` is the network's z (Φ⁻¹(0.95) ≈ 1.645 for 95%).
pub fn gsm_serial(stages: &[GsmStage], safety_factor: f64) -> Result<GsmSolution> {
    let net = Network::new(stages, safety_factor)?;
    // The chain, from the demand stage upstream: stockpyl's stages 1..N.
    let sink = net.chain_sink()?;
    let mut chain = vec![sink];
    while let Some(&up) = net.preds[*chain.last().unwrap_or(&sink)].first() {
        chain.push(up);
    }
    let n = chain.len();
    let sigma = net.net_sd[sink];
    let time = |k: usize| i64::from(stages[chain[k]].processing_time);
    let ext_in = |k: usize| i64::from(stages[chain[k]].external_inbound_service_time);
    let ext_out_sink = net.ext_out[sink].unwrap_or(0);
    // max_replenishment[k] = external inbound of the first stage + processing times k..N.
    let mut max_repl = vec![0i64; n];
    for k in (0..n).rev() {
        max_repl[k] = time(k)
            + if k == n - 1 {
                ext_in(k)
            } else {
                max_repl[k + 1]
            };
    }
    // theta[k][SI]: least cost of stages 0..=k when stage k's inbound CST is SI.
    let mut theta: Vec<Vec<f64>> = Vec::with_capacity(n);
    let mut best_s: Vec<Vec<i64>> = Vec::with_capacity(n);
    for k in 0..n {
        let stage = chain[k];
        let rate = net.holding[stage] * net.z[stage] * sigma;
        let width = usize::try_from(max_repl[k] - time(k) + 1).unwrap_or(0);
        let (mut row, mut best) = (vec![f64::INFINITY; width], vec![0i64; width]);
        let range: Vec<i64> = if k == n - 1 {
            vec![ext_in(k)]
        } else {
            (0..=max_repl[k] - time(k)).collect()
        };
        for si in range {
            let slot = usize::try_from(si).unwrap_or(0);
            if k == 0 {
                row[slot] = rate * ((si + time(k) - ext_out_sink).max(0) as f64).sqrt();
                best[slot] = ext_out_sink;
            } else {
                let mut min = f64::INFINITY;
                for s in 0..=si + time(k) {
                    let cost = rate * ((si + time(k) - s) as f64).sqrt() + theta[k - 1][s as usize];
                    if cost < min {
                        min = cost;
                        best[slot] = s;
                    }
                }
                row[slot] = min;
            }
        }
        theta.push(row);
        best_s.push(best);
    }
    let mut outbound = vec![0i64; stages.len()];
    let mut si = ext_in(n - 1);
    for k in (0..n).rev() {
        let s = best_s[k][si as usize];
        outbound[chain[k]] = s;
        si = s;
    }
    let cost = theta[n - 1][ext_in(n - 1) as usize];
    Ok(net.solution(&outbound, cost))
}

/// The guaranteed-service optimum of a tree network (Graves & Willems 2000, 2003; Snyder
/// & Shen §6.3.6, stockpyl's `gsm_tree.optimize_committed_service_times`): any network
/// whose links, taken without direction, form a tree — distribution, assembly or mixed.
/// Each stage's demand is all the external demand it serves directly or through its
/// successors (means and variances add). `safety_factor` is the network's z.
pub fn gsm_tree(stages: &[GsmStage], safety_factor: f64) -> Result<GsmSolution> {
    let net = Network::new(stages, safety_factor)?;
    let (outbound, cost) = TreeDp::new(&net).solve();
    Ok(net.solution(&outbound, cost))
}

/// A checked network: indices in input order, links both ways, demand netted.
struct Network<'a> {
    stages: &'a [GsmStage],
    succs: Vec<Vec<usize>>,
    preds: Vec<Vec<usize>>,
    z: Vec<f64>,
    holding: Vec<f64>,
    net_mean: Vec<f64>,
    net_sd: Vec<f64>,
    ext_out: Vec<Option<i64>>,
    /// Longest replenishment time into each stage (M_k).
    max_repl: Vec<i64>,
}

impl<'a> Network<'a> {
    fn new(stages: &'a [GsmStage], safety_factor: f64) -> Result<Network<'a>> {
        check::non_negative("safety_factor", safety_factor)?;
        let n = stages.len();
        if n == 0 {
            return Err(Error::invalid_parameter("stages", "is empty"));
        }
        if n > GSM_STAGES_MAX {
            return Err(Error::limit_exceeded("stages", GSM_STAGES_MAX));
        }
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, stage) in stages.iter().enumerate() {
            let field = format!("stages[{i}]");
            if stage.id.is_empty() {
                return Err(Error::invalid_parameter(&format!("{field}.id"), "is empty"));
            }
            if index.insert(stage.id.as_str(), i).is_some() {
                return Err(Error::invalid_parameter(
                    &format!("{field}.id"),
                    format!("names stage {:?} a second time", stage.id),
                ));
            }
            check::non_negative(&format!("{field}.holding_cost"), stage.holding_cost)?;
            if let Some(z) = stage.safety_factor {
                check::non_negative(&format!("{field}.safety_factor"), z)?;
            }
            if let Some(d) = stage.demand {
                check::non_negative(&format!("{field}.demand.mean"), d.mean)?;
                check::non_negative(&format!("{field}.demand.std_dev"), d.std_dev)?;
            }
        }
        let mut succs = vec![Vec::new(); n];
        let mut preds = vec![Vec::new(); n];
        // Union-find over the links taken without direction: a link between two stages
        // already joined closes a cycle.
        let mut root: Vec<usize> = (0..n).collect();
        for (i, stage) in stages.iter().enumerate() {
            for (s, to) in stage.successors.iter().enumerate() {
                let field = format!("stages[{i}].successors[{s}]");
                let Some(&j) = index.get(to.as_str()) else {
                    return Err(Error::invalid_parameter(
                        &field,
                        format!("names no stage: {to:?}"),
                    ));
                };
                if j == i {
                    return Err(Error::invalid_parameter(
                        &field,
                        format!("links stage {to:?} to itself"),
                    ));
                }
                if succs[i].contains(&j) {
                    return Err(Error::invalid_parameter(
                        &field,
                        format!("links {:?} to {to:?} a second time", stage.id),
                    ));
                }
                let (a, b) = (find(&mut root, i), find(&mut root, j));
                if a == b {
                    return Err(Error::invalid_parameter(
                        &field,
                        format!(
                            "the link {:?} → {to:?} closes a cycle: a guaranteed-service \
                             network must be a tree",
                            stage.id
                        ),
                    ));
                }
                root[a] = b;
                succs[i].push(j);
                preds[j].push(i);
            }
        }
        let first = find(&mut root, 0);
        for i in 1..n {
            if find(&mut root, i) != first {
                return Err(Error::invalid_parameter(
                    "stages",
                    format!(
                        "stage {:?} is not linked to stage {:?}: the network must be connected",
                        stages[i].id, stages[0].id
                    ),
                ));
            }
        }
        for (i, stage) in stages.iter().enumerate() {
            if succs[i].is_empty() && stage.demand.is_none() {
                return Err(Error::invalid_parameter(
                    &format!("stages[{i}].demand"),
                    format!(
                        "stage {:?} ships to no stage, so it must serve external demand",
                        stage.id
                    ),
                ));
            }
        }
        // Upstream first (a tree with direction is acyclic, so this order exists).
        let order = topological(&preds, &succs);
        let mut max_repl = vec![0i64; n];
        for &k in &order {
            let stage = &stages[k];
            let ext_in = i64::from(stage.external_inbound_service_time);
            let mut longest = if preds[k].is_empty() || ext_in > 0 {
                ext_in
            } else {
                0
            };
            for &i in &preds[k] {
                longest = longest.max(max_repl[i]);
            }
            max_repl[k] = longest + i64::from(stage.processing_time);
            if max_repl[k] > i64::from(GSM_REPLENISHMENT_TIME_MAX) {
                return Err(Error::invalid_parameter(
                    &format!("stages[{k}]"),
                    format!(
                        "stage {:?} has a replenishment time of {} periods, more than the \
                         limit of {GSM_REPLENISHMENT_TIME_MAX}",
                        stage.id, max_repl[k]
                    ),
                ));
            }
        }
        let mut net_mean = vec![0.0; n];
        let mut net_var = vec![0.0; n];
        for &k in order.iter().rev() {
            let own = stages[k].demand.unwrap_or(Demand {
                mean: 0.0,
                std_dev: 0.0,
            });
            net_mean[k] += own.mean;
            net_var[k] += own.std_dev * own.std_dev;
            for &j in &succs[k] {
                net_mean[k] += net_mean[j];
                net_var[k] += net_var[j];
            }
        }
        Ok(Network {
            stages,
            z: stages
                .iter()
                .map(|s| s.safety_factor.unwrap_or(safety_factor))
                .collect(),
            holding: stages.iter().map(|s| s.holding_cost).collect(),
            ext_out: stages
                .iter()
                .map(|s| match (s.max_service_time, s.demand) {
                    (Some(t), _) => Some(i64::from(t)),
                    (None, Some(_)) => Some(0),
                    (None, None) => None,
                })
                .collect(),
            net_sd: net_var.iter().map(|v| v.sqrt()).collect(),
            net_mean,
            succs,
            preds,
            max_repl,
        })
    }

    /// The demand stage of a serial line, after checking the network is one: every stage
    /// at most one link in and one out, external demand and supply only at its ends.
    fn chain_sink(&self) -> Result<usize> {
        let n = self.stages.len();
        for (i, stage) in self.stages.iter().enumerate() {
            if self.succs[i].len() > 1 || self.preds[i].len() > 1 {
                return Err(Error::invalid_parameter(
                    &format!("stages[{i}].successors"),
                    format!(
                        "stage {:?} has more than one link in or out: a serial line is a \
                         chain (gsm_tree takes any tree)",
                        stage.id
                    ),
                ));
            }
            let is_sink = self.succs[i].is_empty();
            if !is_sink && stage.demand.is_some() {
                return Err(Error::invalid_parameter(
                    &format!("stages[{i}].demand"),
                    "in a serial line only the last stage serves external demand (gsm_tree \
                     takes demand at any stage)",
                ));
            }
            if !is_sink && stage.max_service_time.is_some() {
                return Err(Error::invalid_parameter(
                    &format!("stages[{i}].max_service_time"),
                    "in a serial line only the last stage's service time is bounded \
                     (gsm_tree takes a bound at any stage)",
                ));
            }
            if !self.preds[i].is_empty() && stage.external_inbound_service_time > 0 {
                return Err(Error::invalid_parameter(
                    &format!("stages[{i}].external_inbound_service_time"),
                    "in a serial line only the first stage has an external supplier \
                     (gsm_tree takes one at any stage)",
                ));
            }
        }
        // Connected with at most one link each way: exactly one end.
        Ok((0..n).find(|&i| self.succs[i].is_empty()).unwrap_or(0))
    }

    /// Each stage's figures for its optimal outbound CST.
    fn solution(&self, outbound: &[i64], cost: f64) -> GsmSolution {
        let stages = self
            .stages
            .iter()
            .enumerate()
            .map(|(k, stage)| {
                let inbound = self.preds[k]
                    .iter()
                    .map(|&i| outbound[i])
                    .fold(i64::from(stage.external_inbound_service_time), i64::max);
                // Non-negative at an optimum; clamped so a bound the DP relaxed cannot
                // produce the root of a negative.
                let nlt = (inbound + i64::from(stage.processing_time) - outbound[k]).max(0);
                let safety_stock = self.z[k] * self.net_sd[k] * (nlt as f64).sqrt();
                GsmStageResult {
                    id: stage.id.clone(),
                    inbound_service_time: to_u32(inbound),
                    outbound_service_time: to_u32(outbound[k]),
                    net_lead_time: to_u32(nlt),
                    safety_stock,
                    base_stock_level: self.net_mean[k] * nlt as f64 + safety_stock,
                    holding_cost: self.holding[k] * safety_stock,
                }
            })
            .collect();
        GsmSolution { stages, cost }
    }
}

/// The representative of `i`'s set in a union-find forest, halving paths on the way.
fn find(root: &mut [usize], mut i: usize) -> usize {
    while root[i] != i {
        root[i] = root[root[i]];
        i = root[i];
    }
    i
}

/// Times are bounded by [`GSM_REPLENISHMENT_TIME_MAX`], so they fit.
fn to_u32(t: i64) -> u32 {
    u32::try_from(t.max(0)).unwrap_or(u32::MAX)
}

/// The stages ordered so that each comes after all its predecessors (Kahn).
fn topological(preds: &[Vec<usize>], succs: &[Vec<usize>]) -> Vec<usize> {
    let mut waiting: Vec<usize> = preds.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..preds.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(preds.len());
    while let Some(k) = ready.pop() {
        order.push(k);
        for &j in &succs[k] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    order
}

/// Graves & Willems' dynamic programme over a tree labelled so that every stage but the
/// last has exactly one neighbour with a larger label (stockpyl's `relabel_nodes`).
struct TreeDp<'n, 'a> {
    net: &'n Network<'a>,
    /// Stage (input index) of each label.
    stage_of: Vec<usize>,
    /// Label of each stage.
    label_of: Vec<usize>,
    /// The largest replenishment time of the network: every function is tabled to it.
    m_max: i64,
}

/// A tabled function of one stage: value and, for each argument, the CSTs chosen for the
/// stage itself and its smaller-labelled neighbours (by label).
struct Table {
    value: Vec<f64>,
    choice: Vec<Vec<(usize, i64)>>,
}

impl<'n, 'a> TreeDp<'n, 'a> {
    fn new(net: &'n Network<'a>) -> Self {
        let n = net.stages.len();
        let neighbours = |i: usize| net.succs[i].iter().chain(&net.preds[i]).copied();
        // Label the first stage (in input order) that has at most one unlabelled neighbour,
        // as stockpyl does, so equal-cost optima are broken the same way.
        let mut label_of = vec![usize::MAX; n];
        let mut stage_of = Vec::with_capacity(n);
        for label in 0..n {
            let next = (0..n).find(|&i| {
                label_of[i] == usize::MAX
                    && neighbours(i).filter(|&j| label_of[j] == usize::MAX).count() <= 1
            });
            // A tree always has such a stage (a leaf of what is left).
            let i =
                next.unwrap_or_else(|| (0..n).find(|&i| label_of[i] == usize::MAX).unwrap_or(0));
            label_of[i] = label;
            stage_of.push(i);
        }
        let m_max = net.max_repl.iter().copied().max().unwrap_or(0);
        TreeDp {
            net,
            stage_of,
            label_of,
            m_max,
        }
    }

    /// The optimal outbound CST of every stage (by input index) and the optimal cost.
    // k, i, j, s, si: Graves & Willems' notation.
    #[allow(clippy::many_single_char_names)]
    fn solve(&self) -> (Vec<i64>, f64) {
        let net = self.net;
        let n = self.stage_of.len();
        let width = usize::try_from(self.m_max + 1).unwrap_or(1);
        // For label k: is its larger neighbour p(k) downstream of it (a successor)?
        let larger: Vec<Option<(usize, bool)>> = (0..n)
            .map(|k| {
                let stage = self.stage_of[k];
                net.succs[stage]
                    .iter()
                    .map(|&j| (self.label_of[j], true))
                    .chain(net.preds[stage].iter().map(|&i| (self.label_of[i], false)))
                    .find(|&(l, _)| l > k)
            })
            .collect();
        // Tables by label; theta_out is tabled on S, theta_in on SI.
        let mut tables: Vec<Table> = Vec::with_capacity(n);
        // Running minima: out_prefix[i][x] = min of theta_out_i over 0..=x (first
        // argmin), in_suffix[j][x] = min of theta_in_j over x..=M (first argmin).
        let mut out_prefix: Vec<Vec<(f64, i64)>> = vec![Vec::new(); n];
        let mut in_suffix: Vec<Vec<(f64, i64)>> = vec![Vec::new(); n];
        for k in 0..n {
            let stage = self.stage_of[k];
            let t = i64::from(net.stages[stage].processing_time);
            let m = net.max_repl[stage];
            let ext_in = i64::from(net.stages[stage].external_inbound_service_time);
            let ext_out = net.ext_out[stage].unwrap_or(i64::MAX);
            let is_out = k + 1 < n && larger[k].is_some_and(|(_, down)| down);
            let mut value = vec![f64::INFINITY; width];
            let mut choice: Vec<Vec<(usize, i64)>> = vec![Vec::new(); width];
            let last = if is_out { m } else { m - t };
            for x in 0..=last {
                let slot = x as usize;
                let mut min = f64::INFINITY;
                let mut best: Vec<(usize, i64)> = Vec::new();
                let mut consider = |s: i64, si: i64, own: i64| {
                    let (c, adjacent) = self.cost(k, s, si, &out_prefix, &in_suffix);
                    if c < min {
                        min = c;
                        best.clear();
                        best.push((k, own));
                        best.extend(adjacent);
                    }
                };
                if is_out {
                    // theta_out(S = x): over SI.
                    if x <= ext_out {
                        let local_s = x.min(ext_out);
                        for si in ext_in.max(local_s - t)..=m - t {
                            consider(local_s, si, si);
                        }
                    }
                } else {
                    // theta_in(SI = x): over S.
                    let local_si = x.max(ext_in);
                    for s in 0..=(local_si + t).min(ext_out) {
                        consider(s, local_si, s);
                    }
                }
                value[slot] = min;
                choice[slot] = best;
            }
            // Beyond the stage's own range the function keeps its last value.
            for slot in (last as usize + 1)..width {
                value[slot] = value[last as usize];
                let kept = choice[last as usize].clone();
                choice[slot] = kept;
            }
            if is_out {
                let mut run = Vec::with_capacity(width);
                let mut current = (value[0], 0i64);
                for (x, &v) in value.iter().enumerate() {
                    if v < current.0 {
                        current = (v, x as i64);
                    }
                    run.push(current);
                }
                out_prefix[k] = run;
            } else {
                let mut run = vec![(f64::INFINITY, 0i64); width];
                let mut current = (f64::INFINITY, (width - 1) as i64);
                for x in (0..width).rev() {
                    if value[x] <= current.0 {
                        current = (value[x], x as i64);
                    }
                    run[x] = current;
                }
                in_suffix[k] = run;
            }
            tables.push(Table { value, choice });
        }
        // The last label is tabled on SI; its best SI over its own range.
        let top = n - 1;
        let top_stage = self.stage_of[top];
        let top_range = net.max_repl[top_stage] - i64::from(net.stages[top_stage].processing_time);
        let mut best_si = 0i64;
        for si in 0..=top_range {
            if tables[top].value[si as usize] < tables[top].value[best_si as usize] {
                best_si = si;
            }
        }
        let cost = tables[top].value[best_si as usize];
        let pick = |label: usize, at: i64, of: usize| -> i64 {
            tables[label].choice[at as usize]
                .iter()
                .find(|&&(l, _)| l == of)
                .map_or(0, |&(_, v)| v)
        };
        // Backtrack from the last label down, as stockpyl does.
        let mut cst = vec![0i64; n];
        let mut in_cst = vec![0i64; n];
        for k in (0..n).rev() {
            if k == top {
                cst[k] = pick(k, best_si, k);
                in_cst[k] = best_si;
            } else if let Some((pk, down)) = larger[k] {
                let pk_is_out = pk != top && larger[pk].is_some_and(|(_, d)| d);
                let at = if pk_is_out { cst[pk] } else { in_cst[pk] };
                if down {
                    cst[k] = pick(pk, at, k);
                    in_cst[k] = pick(k, cst[k], k);
                } else {
                    in_cst[k] = pick(pk, at, k);
                    cst[k] = pick(k, in_cst[k], k);
                }
            }
            let stage = self.stage_of[k];
            if let Some(ext_out) = net.ext_out[stage] {
                cst[k] = cst[k].min(ext_out);
            }
        }
        let mut outbound = vec![0i64; n];
        for (label, &s) in cst.iter().enumerate() {
            outbound[self.stage_of[label]] = s;
        }
        (outbound, cost)
    }

    /// c_k(S, SI): the holding cost of stage k's safety stock plus the least cost of its
    /// smaller-labelled neighbours given its CSTs, and the CSTs they choose (by label).
    fn cost(
        &self,
        k: usize,
        s: i64,
        si: i64,
        out_prefix: &[Vec<(f64, i64)>],
        in_suffix: &[Vec<(f64, i64)>],
    ) -> (f64, Vec<(usize, i64)>) {
        let net = self.net;
        let stage = self.stage_of[k];
        let t = i64::from(net.stages[stage].processing_time);
        let nlt = (si + t - s) as f64;
        let mut cost = net.holding[stage] * (net.z[stage] * net.net_sd[stage] * nlt.sqrt());
        let mut adjacent = Vec::new();
        for &i in &net.preds[stage] {
            let li = self.label_of[i];
            if li < k {
                let (v, arg) = out_prefix[li][si as usize];
                cost += v;
                adjacent.push((li, arg));
            }
        }
        for &j in &net.succs[stage] {
            let lj = self.label_of[j];
            if lj < k {
                let (v, arg) = in_suffix[lj][s as usize];
                cost += v;
                adjacent.push((lj, arg));
            }
        }
        (cost, adjacent)
    }
}
