//! Demand classification and the automatic choice of a forecasting method.
//!
//! A series is classified by Syntetos–Boylan: the average inter-demand interval (ADI)
//! against 1.32 and the squared coefficient of variation of the demand sizes (CV²)
//! against 0.49. The class picks the candidate methods; the last part of the history is
//! held out, each candidate forecasts it from the rest, and the one with the lowest mean
//! absolute scaled error (MASE) is refitted on the whole history.

use serde::{Deserialize, Serialize};

use super::{Forecast, Method, Seasonality, forecast, forecast_with, has_intervals};
use crate::error::{Error, Result};
use crate::planning::check;

/// ADI at or above which demand counts as intermittent (Syntetos, Boylan & Croston 2005).
pub const ADI_CUTOFF: f64 = 1.32;
/// CV² at or above which demand sizes count as variable.
pub const CV2_CUTOFF: f64 = 0.49;

/// The Syntetos–Boylan demand pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DemandPattern {
    /// Regular demand of regular size (ADI < 1.32, CV² < 0.49).
    Smooth,
    /// Regular demand of irregular size (ADI < 1.32, CV² ≥ 0.49).
    Erratic,
    /// Sporadic demand of regular size (ADI ≥ 1.32, CV² < 0.49).
    Intermittent,
    /// Sporadic demand of irregular size (ADI ≥ 1.32, CV² ≥ 0.49).
    Lumpy,
    /// No demand in the whole history.
    NoDemand,
}

/// The classification of a demand series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DemandClass {
    /// The pattern.
    pub pattern: DemandPattern,
    /// Average inter-demand interval in periods, the first interval counted from the
    /// start of the series (as the intermittent methods count it); `None` without demand.
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the positive demand sizes (population
    /// variance over squared mean); `None` without demand.
    pub cv2: Option<f64>,
    /// Number of periods with demand.
    pub demand_periods: usize,
}

/// How one candidate did on the holdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Candidate {
    /// The candidate method.
    pub method: Method,
    /// Mean absolute error over the holdout.
    pub mae: f64,
    /// `mae` over the in-sample MAE of the (seasonal) naive method on the training part;
    /// `None` when that scale is zero (a constant training part).
    pub mase: Option<f64>,
}

/// The result of [`auto_forecast`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutoForecast {
    /// The demand classification that chose the candidates.
    pub class: DemandClass,
    /// Periods held out at the end of the series for scoring.
    pub holdout: usize,
    /// Every candidate that could be fitted on the training part, in the order tried.
    pub candidates: Vec<Candidate>,
    /// The winner refitted on the whole series.
    pub forecast: Forecast,
}

/// Classifies a demand series by Syntetos–Boylan (ADI cut-off 1.32, CV² cut-off 0.49).
pub fn classify(series: &[f64]) -> Result<DemandClass> {
    check::series(series, 1)?;
    // One pass for the count, sum and last position of the demands, one for the
    // variance: no vectors, as the plan classifies every item.
    let demands = || series.iter().copied().filter(|v| *v > 0.0);
    let Some(last) = series.iter().rposition(|v| *v > 0.0) else {
        return Ok(DemandClass {
            pattern: DemandPattern::NoDemand,
            adi: None,
            cv2: None,
            demand_periods: 0,
        });
    };
    let count = demands().count();
    // The intervals (the first counted from the start) add up to the periods up to and
    // including the last demand.
    let adi = (last + 1) as f64 / count as f64;
    let n = count as f64;
    let mean = demands().sum::<f64>() / n;
    let var = demands().map(|s| (s - mean) * (s - mean)).sum::<f64>() / n;
    let cv2 = var / (mean * mean);
    let pattern = match (adi < ADI_CUTOFF, cv2 < CV2_CUTOFF) {
        (true, true) => DemandPattern::Smooth,
        (true, false) => DemandPattern::Erratic,
        (false, true) => DemandPattern::Intermittent,
        (false, false) => DemandPattern::Lumpy,
    };
    Ok(DemandClass {
        pattern,
        adi: Some(adi),
        cv2: Some(cv2),
        demand_periods: count,
    })
}

/// Classifies `series`, scores the methods suited to its class on a holdout of the last
/// `min(horizon, n / 4)` periods (at least one) by MASE, and forecasts `horizon` periods
/// with the best one refitted on the whole series.
///
/// Smooth and erratic demand try naive, SES, Holt and, with `season_length` > 1, seasonal
/// naive and both Holt–Winters; intermittent and lumpy demand try naive, SES, the three
/// Croston variants, ADIDA and IMAPA. Candidates that cannot be fitted on the training
/// part (too short, or zeros under multiplicative seasonality) are skipped. Ties go to the
/// earlier, simpler candidate.
pub fn auto_forecast(series: &[f64], season_length: usize, horizon: usize) -> Result<AutoForecast> {
    auto_forecast_with(series, season_length, horizon, &[])
}

/// [`auto_forecast`] with prediction intervals at `levels` (percentages in `(0, 100)`)
/// when the winning method has them ([`super::has_intervals`]); a winner without them
/// (the Croston family, ADIDA, IMAPA) gives none rather than failing the selection.
pub fn auto_forecast_with(
    series: &[f64],
    season_length: usize,
    horizon: usize,
    levels: &[f64],
) -> Result<AutoForecast> {
    check::horizon(horizon)?;
    super::intervals::check_levels(levels)?;
    if season_length == 0 {
        return Err(Error::invalid_parameter(
            "season_length",
            "must be at least 1",
        ));
    }
    // At least three periods to train on and one to score.
    check::series(series, 4)?;
    let class = classify(series)?;
    let n = series.len();
    let holdout = horizon.min(n / 4).max(1);
    let (train, test) = series.split_at(n - holdout);
    let scale = naive_scale(train, season_length);
    let mut candidates = Vec::new();
    let mut best: Option<(f64, usize)> = None;
    for method in candidate_methods(class.pattern, season_length) {
        // A candidate that cannot fit the training part is simply not a candidate.
        let Ok(fc) = forecast(train, &method, holdout) else {
            continue;
        };
        let mae = test
            .iter()
            .zip(&fc.mean)
            .map(|(y, f)| (y - f).abs())
            .sum::<f64>()
            / holdout as f64;
        let mase = (scale > 0.0).then(|| mae / scale);
        // Ranking by MAE is ranking by MASE: the scale is the same for every candidate.
        if best.is_none_or(|(b, _)| mae < b) {
            best = Some((mae, candidates.len()));
        }
        candidates.push(Candidate { method, mae, mase });
    }
    let Some((_, idx)) = best else {
        return Err(Error::invalid_parameter(
            "series",
            "too short for any candidate method",
        ));
    };
    let winner = &candidates[idx].method;
    let levels = if has_intervals(winner) { levels } else { &[] };
    let forecast = forecast_with(series, winner, horizon, levels)?;
    Ok(AutoForecast {
        class,
        holdout,
        candidates,
        forecast,
    })
}

/// The candidate methods for a demand pattern, simplest first.
fn candidate_methods(pattern: DemandPattern, m: usize) -> Vec<Method> {
    match pattern {
        DemandPattern::Smooth | DemandPattern::Erratic => {
            let mut v = vec![Method::Naive];
            if m > 1 {
                v.push(Method::SeasonalNaive { season_length: m });
            }
            v.extend([Method::SesOptimized, Method::Holt { damped: None }]);
            if m > 1 {
                for seasonality in [Seasonality::Additive, Seasonality::Multiplicative] {
                    v.push(Method::HoltWinters {
                        season_length: m,
                        seasonality,
                        damped: None,
                    });
                }
            }
            v
        }
        DemandPattern::Intermittent | DemandPattern::Lumpy | DemandPattern::NoDemand => vec![
            Method::Naive,
            Method::SesOptimized,
            Method::CrostonClassic,
            Method::CrostonSba,
            Method::CrostonOptimized,
            Method::Adida,
            Method::Imapa,
        ],
    }
}

/// In-sample mean absolute error of the seasonal naive method (plain naive when the
/// series has no full season before its last value): the MASE denominator.
fn naive_scale(train: &[f64], m: usize) -> f64 {
    let lag = if m > 1 && train.len() > m { m } else { 1 };
    if train.len() <= lag {
        return 0.0;
    }
    let sum: f64 = train.windows(lag + 1).map(|w| (w[lag] - w[0]).abs()).sum();
    sum / (train.len() - lag) as f64
}

#[cfg(test)]
// Exact comparisons where the arithmetic is exact (zero errors, whole packs).
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_cutoffs() {
        // Demand every period, sizes nearly equal: smooth.
        let smooth = classify(&[10.0, 11.0, 9.0, 10.0, 10.0, 12.0]).unwrap();
        assert_eq!(smooth.pattern, DemandPattern::Smooth);
        assert_eq!(smooth.adi, Some(1.0));
        // Demand every period, sizes 1 and 9: CV² = 16/25 = 0.64, erratic.
        let erratic = classify(&[1.0, 9.0, 1.0, 9.0]).unwrap();
        assert_eq!(erratic.pattern, DemandPattern::Erratic);
        assert!((erratic.cv2.unwrap() - 0.64).abs() < 1e-12);
        // Every other period, equal sizes: ADI 2, CV² 0, intermittent.
        let intermittent = classify(&[0.0, 5.0, 0.0, 5.0, 0.0, 5.0]).unwrap();
        assert_eq!(intermittent.pattern, DemandPattern::Intermittent);
        assert_eq!(intermittent.adi, Some(2.0));
        let lumpy = classify(&[0.0, 1.0, 0.0, 9.0, 0.0, 1.0, 0.0, 9.0]).unwrap();
        assert_eq!(lumpy.pattern, DemandPattern::Lumpy);
        assert_eq!(
            classify(&[0.0, 0.0]).unwrap().pattern,
            DemandPattern::NoDemand
        );
    }

    #[test]
    fn auto_forecast_picks_the_lowest_holdout_error() {
        // A clean seasonal pattern: seasonal naive forecasts the holdout exactly, so it
        // must win (Holt-Winters may tie it but comes later).
        let pattern = [5.0, 9.0, 14.0, 7.0];
        let y: Vec<f64> = (0..24).map(|t| pattern[t % 4]).collect();
        let auto = auto_forecast(&y, 4, 4).unwrap();
        assert_eq!(auto.class.pattern, DemandPattern::Smooth);
        assert_eq!(
            auto.forecast.method,
            Method::SeasonalNaive { season_length: 4 }
        );
        assert_eq!(auto.forecast.mean, vec![5.0, 9.0, 14.0, 7.0]);
        let best = auto
            .candidates
            .iter()
            .map(|c| c.mae)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(best, 0.0);
        assert!(auto.candidates.iter().any(|c| c.mae > 0.0));
    }
}
