//! Prediction intervals: the forecast variance of each horizon step, per method, and the
//! normal bounds at the levels asked for.
//!
//! The variances are statsforecast 2.1.1's: the benchmarks' closed forms (`Naive`,
//! `SeasonalNaive`, `HistoricAverage`, and SES as its `predict` gives them), and for
//! every ETS model the analytic variances of Hyndman et al. (classes 1 to 3) that
//! statsforecast ports from R's `forecast` (see `ets/variance.rs`).

use super::{Fit, Interval, Method, ets};
use crate::error::{Error, Result};
use crate::planning::policy::normal_quantile;

/// Whether `method` gives prediction intervals: the methods statsforecast 2.1.1 gives
/// native intervals for. The moving average (`WindowAverage`), the Croston family, TSB,
/// ADIDA and IMAPA have none there (only conformal ones), so they have none here.
pub fn has_intervals(method: &Method) -> bool {
    matches!(
        method,
        Method::Naive
            | Method::SeasonalNaive { .. }
            | Method::HistoricAverage
            | Method::Ses { .. }
            | Method::SesOptimized
            | Method::SesOptimizedWith { .. }
            | Method::Holt { .. }
            | Method::HoltWith { .. }
            | Method::HoltWinters { .. }
            | Method::HoltWintersWith { .. }
            | Method::AutoEts { .. }
            | Method::AutoEtsWith { .. }
            | Method::EtsFixed { .. }
            | Method::HoltFixed { .. }
            | Method::HoltWintersFixed { .. }
    )
}

/// The most interval levels one forecast takes.
pub const LEVELS_MAX: usize = 20;

/// At most [`LEVELS_MAX`] levels, each finite and strictly between 0 and 100.
pub(crate) fn check_levels(levels: &[f64]) -> Result<()> {
    if levels.len() > LEVELS_MAX {
        return Err(Error::invalid_parameter(
            "levels",
            format!("at most {LEVELS_MAX} levels, got {}", levels.len()),
        ));
    }
    if let Some(bad) = levels
        .iter()
        .find(|l| !(l.is_finite() && **l > 0.0 && **l < 100.0))
    {
        return Err(Error::invalid_parameter(
            "levels",
            format!("each level must be a percentage strictly between 0 and 100, got {bad}"),
        ));
    }
    Ok(())
}

/// The forecast variance of each horizon step of `fit`, which `method` made from `y`.
pub(super) fn variances(method: &Method, y: &[f64], fit: &Fit) -> Result<Vec<f64>> {
    let h = fit.mean.len();
    let n = y.len();
    // Sum of squared one-step errors over the periods that have a fitted value.
    let sse: f64 = y
        .iter()
        .zip(&fit.fitted)
        .filter_map(|(v, f)| f.map(|f| (v - f) * (v - f)))
        .sum();
    let steps = 1..=h;
    Ok(match method {
        // statsforecast: residuals y - fitted with the first one undefined, σ² = SSE/(n−1),
        // the variance growing with the steps of the random walk.
        Method::Naive => {
            let s2 = sse / (n - 1) as f64;
            steps.map(|k| s2 * k as f64).collect()
        }
        // σ² = SSE/(n−m); step k carries ⌊(k−1)/m⌋ + 1 seasons of error.
        Method::SeasonalNaive { season_length } => {
            let m = *season_length;
            let s2 = sse / (n - m) as f64;
            steps.map(|k| s2 * ((k - 1) / m + 1) as f64).collect()
        }
        // Every period is fitted by the mean, yet statsforecast divides by n − 1; the
        // mean's own variance adds σ²/n.
        Method::HistoricAverage => {
            let s2 = sse / (n - 1) as f64;
            vec![s2 * (1.0 + 1.0 / n as f64); h]
        }
        _ => {
            let state = fit.state.as_ref().ok_or_else(|| {
                Error::invalid_parameter(
                    "levels",
                    format!("{} has no prediction intervals", method.name()),
                )
            })?;
            ets::variances(state, &fit.mean)?
        }
    })
}

/// The normal bounds at each level around `mean` with variances `variances`.
pub(super) fn at_levels(mean: &[f64], variances: &[f64], levels: &[f64]) -> Vec<Interval> {
    levels
        .iter()
        .map(|level| {
            // The level was checked to lie strictly inside (0, 100).
            let z = normal_quantile(0.5 + level / 200.0).unwrap_or(f64::NAN);
            let half: Vec<f64> = variances.iter().map(|v| z * v.sqrt()).collect();
            Interval {
                level: *level,
                lower: mean.iter().zip(&half).map(|(m, d)| m - d).collect(),
                upper: mean.iter().zip(&half).map(|(m, d)| m + d).collect(),
            }
        })
        .collect()
}
