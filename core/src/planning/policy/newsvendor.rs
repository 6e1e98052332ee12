//! Newsvendor (base-stock) levels beyond one period of normal or Poisson demand: a
//! periodic-review base stock that must cover a lead time, and a level for discrete
//! demand given as a probability mass function or as a sample of past demands (stockpyl
//! 1.0.2's `newsvendor_normal` with `lead_time` and `newsvendor_discrete`; vectors in
//! `core/tests/policy_reference.rs`).

use serde::{Deserialize, Serialize};

use super::Demand;
use super::costs::Newsvendor;
use super::normal::{normal_pdf, quantile};
use crate::error::{Error, Result};
use crate::planning::check;
use crate::setters::setters;

/// Most values a discrete demand may have (a sample of ten years of daily demand fits).
pub const DISCRETE_VALUES_MAX: usize = 100_000;

/// How far the probabilities of a discrete demand may sum from 1 (they are often typed in
/// decimals).
const PROBABILITY_SUM_TOLERANCE: f64 = 1e-9;

/// Demand of one period as a discrete distribution: the values it takes, each with its
/// probability, or (without probabilities) a sample of observed demands, each equally
/// likely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DiscreteDemand {
    /// The demand values (finite, not negative; in any order; a sample may repeat values).
    pub values: Vec<f64>,
    /// The probability of each value, in the same order; they sum to 1. Absent: `values`
    /// is a sample and each entry has probability 1/n.
    #[serde(default)]
    pub probabilities: Option<Vec<f64>>,
}

impl DiscreteDemand {
    /// A sample of observed demands, each equally likely; set `probabilities` to make it a
    /// probability mass function.
    #[must_use]
    pub fn new(values: Vec<f64>) -> DiscreteDemand {
        DiscreteDemand {
            values,
            probabilities: None,
        }
    }
}

setters! {
    DiscreteDemand {
        /// The probability of each value, in the same order; they sum to 1.
        opt_list(f64) probabilities,
    }
}

/// The newsvendor with normal demand per period and a lead time of `lead_time` periods:
/// the base-stock level must cover the lead time plus the period itself, so demand over
/// `L + 1` periods (mean `μ(L + 1)`, standard deviation `σ√(L + 1)`) takes the place of
/// one period's: `S* = μ(L+1) + σ√(L+1)·Φ⁻¹(p/(p+h))`, cost `(h+p)φ(Φ⁻¹(p/(p+h)))σ√(L+1)`
/// (Snyder & Shen §4.3.4; stockpyl's `newsvendor_normal(…, lead_time=L)`). A lead time of
/// zero is the one-period newsvendor.
pub fn newsvendor_normal_lead_time(
    holding_cost: f64,
    stockout_cost: f64,
    demand: Demand,
    lead_time: f64,
) -> Result<Newsvendor> {
    check::positive("holding_cost", holding_cost)?;
    check::positive("stockout_cost", stockout_cost)?;
    check::non_negative("demand.mean", demand.mean)?;
    check::non_negative("demand.std_dev", demand.std_dev)?;
    check::non_negative("lead_time", lead_time)?;
    let periods = lead_time + 1.0;
    let mean = demand.mean * periods;
    let sd = demand.std_dev * periods.sqrt();
    let z = quantile(stockout_cost / (stockout_cost + holding_cost));
    Ok(Newsvendor {
        level: mean + sd * z,
        cost: (holding_cost + stockout_cost) * normal_pdf(z) * sd,
    })
}

/// The newsvendor with discrete demand: the smallest demand value S whose cumulative
/// probability reaches p/(p+h) (probabilities added in increasing order of value, as
/// stockpyl's `newsvendor_discrete` adds them), and the expected cost
/// `h·E[(S − D)⁺] + p·E[(D − S)⁺]` there. A stockout cost of zero gives the least value.
pub fn newsvendor_discrete(
    holding_cost: f64,
    stockout_cost: f64,
    demand: &DiscreteDemand,
) -> Result<Newsvendor> {
    check::positive("holding_cost", holding_cost)?;
    check::non_negative("stockout_cost", stockout_cost)?;
    let pmf = mass_function(demand)?;
    let alpha = stockout_cost / (stockout_cost + holding_cost);
    let mut cumulative = 0.0;
    let mut level = pmf[pmf.len() - 1].0;
    for &(value, probability) in &pmf {
        cumulative += probability;
        if cumulative >= alpha {
            level = value;
            break;
        }
    }
    let (mut short, mut excess) = (0.0, 0.0);
    for &(value, probability) in &pmf {
        if value > level {
            short += (value - level) * probability;
        } else {
            excess += (level - value) * probability;
        }
    }
    Ok(Newsvendor {
        level,
        cost: holding_cost * excess + stockout_cost * short,
    })
}

/// The distinct values in increasing order with their probabilities.
fn mass_function(demand: &DiscreteDemand) -> Result<Vec<(f64, f64)>> {
    let values = &demand.values;
    if values.is_empty() {
        return Err(Error::invalid_parameter("demand.values", "is empty"));
    }
    if values.len() > DISCRETE_VALUES_MAX {
        return Err(Error::limit_exceeded("demand.values", DISCRETE_VALUES_MAX));
    }
    for (i, v) in values.iter().enumerate() {
        check::non_negative(&format!("demand.values[{i}]"), *v)?;
    }
    let n = values.len() as f64;
    let mut points: Vec<(f64, f64)> = match &demand.probabilities {
        None => values.iter().map(|&v| (v, 1.0 / n)).collect(),
        Some(probabilities) => {
            if probabilities.len() != values.len() {
                return Err(Error::invalid_parameter(
                    "demand.probabilities",
                    format!(
                        "has {} entries for {} values",
                        probabilities.len(),
                        values.len()
                    ),
                ));
            }
            for (i, p) in probabilities.iter().enumerate() {
                check::in_range(&format!("demand.probabilities[{i}]"), *p, 0.0, 1.0)?;
            }
            let total: f64 = probabilities.iter().sum();
            if (total - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                return Err(Error::invalid_parameter(
                    "demand.probabilities",
                    format!("must sum to 1, sum to {total}"),
                ));
            }
            values
                .iter()
                .copied()
                .zip(probabilities.iter().copied())
                .collect()
        }
    };
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Equal values pool their probability (a sample's repeats: k of n is k/n).
    let mut pooled: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    let mut count = 0usize;
    for (value, probability) in points {
        match pooled.last_mut() {
            // Exactly equal values only: a sample's repeats are the same number.
            Some(last) if last.0.total_cmp(&value).is_eq() => {
                count += 1;
                last.1 = if demand.probabilities.is_none() {
                    count as f64 / n
                } else {
                    last.1 + probability
                };
            }
            _ => {
                count = 1;
                pooled.push((value, probability));
            }
        }
    }
    Ok(pooled)
}
