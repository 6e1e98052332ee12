//! Intermittent-demand methods: Croston (classic, SBA, optimised), TSB, ADIDA, IMAPA.
//!
//! Sizes are the positive demands; intervals count periods from one demand to the next,
//! the first one from the start of the series (a first demand at index k is interval
//! k + 1). Fitted values are expanded back from the demand-event timeline to every
//! period the way statsforecast does: between demands the last estimate is held.

use super::simple::{golden_section_ses, mean, naive, ses_forecast};
use super::{AggregationLevel, Fit, Params, SearchBounds, round_half_even};
use crate::error::{Error, Result};
use crate::planning::check;

/// statsforecast's search interval of the smoothing constant in optimised Croston, ADIDA
/// and IMAPA.
pub(super) const SEARCH_BOUNDS: SearchBounds = SearchBounds {
    lower: 0.1,
    upper: 0.3,
};

/// Croston with smoothing constant `alpha`: classic (`factor` 1) or SBA (`factor` 0.95).
pub(super) fn croston(y: &[f64], h: usize, alpha: f64, factor: f64) -> Fit {
    let params = Params::Croston {
        alpha_demand: alpha,
        alpha_interval: alpha,
        factor,
    };
    let demands = y.iter().filter(|v| **v > 0.0).count();
    let Some(first) = y.iter().position(|v| *v > 0.0) else {
        // No demand at all: statsforecast falls back to the naive method (all zeros).
        return scaled(naive(y, h), factor, params);
    };
    // One pass over the periods, no vectors but the result (the plan runs this for every
    // intermittent item). The size and interval estimates are statsforecast's SES over the
    // sizes and the intervals: the level starts at the first observation, each demand
    // moves it, and after a lone demand the estimate is that demand itself.
    let update = |level: f64, observed: f64| {
        if demands == 1 {
            observed
        } else {
            alpha * observed + (1.0 - alpha) * level
        }
    };
    let (mut size, mut interval) = (y[first], (first + 1) as f64);
    // Period i is fitted from the estimates after the demands before it (held between
    // demands); before the first demand, from the (zero) previous value over 1.
    let mut held: Option<f64> = None;
    let mut fitted = Vec::with_capacity(y.len());
    fitted.push(None);
    let mut previous_demand_end = 0usize;
    for i in 1..=y.len() {
        let v = y[i - 1];
        if v > 0.0 {
            size = update(size, v);
            interval = update(interval, (i - previous_demand_end) as f64);
            previous_demand_end = i;
            let divisor = if interval == 0.0 { 1.0 } else { interval };
            held = Some(size / divisor);
        }
        if i < y.len() {
            fitted.push(Some(held.unwrap_or(v) * factor));
        }
    }
    Fit::plain(vec![factor * ratio(size, interval); h], fitted, params)
}

/// Croston with the size and interval constants each chosen by golden section within
/// `bounds`. The fitted value of each period re-optimises on the history before it (as
/// statsforecast does), which makes this method quadratic in the series length.
pub(super) fn croston_optimized(y: &[f64], h: usize, bounds: SearchBounds) -> Fit {
    let sizes = sizes(y);
    if sizes.is_empty() {
        // No demand: statsforecast falls back to naive, reporting the classic constant.
        let params = Params::Croston {
            alpha_demand: 0.1,
            alpha_interval: 0.1,
            factor: 1.0,
        };
        return scaled(naive(y, h), 1.0, params);
    }
    let intervals = intervals(y);
    let (size_fc, alpha_demand) = optimized_ses(&sizes, bounds);
    let (interval_fc, alpha_interval) = optimized_ses(&intervals, bounds);
    let mean = vec![ratio(size_fc, interval_fc); h];
    // Estimate after k events, k = 0 (none yet) ..= all events.
    let size_path: Vec<Option<f64>> = std::iter::once(None)
        .chain((1..=sizes.len()).map(|k| Some(optimized_ses(&sizes[..k], bounds).0)))
        .collect();
    let interval_path: Vec<Option<f64>> = std::iter::once(None)
        .chain((1..=intervals.len()).map(|k| Some(optimized_ses(&intervals[..k], bounds).0)))
        .collect();
    let fitted = croston_fitted(y, &size_path, &interval_path);
    Fit::plain(
        mean,
        fitted,
        Params::Croston {
            alpha_demand,
            alpha_interval,
            factor: 1.0,
        },
    )
}

/// Teunter–Syntetos–Babai with the given constants.
pub(super) fn tsb(y: &[f64], alpha_demand: f64, alpha_probability: f64, h: usize) -> Result<Fit> {
    for (name, a) in [
        ("alpha_demand", alpha_demand),
        ("alpha_probability", alpha_probability),
    ] {
        check::finite(name, a)?;
        if !(a > 0.0 && a <= 1.0) {
            return Err(Error::invalid_parameter(
                name,
                format!("must be in (0, 1], got {a}"),
            ));
        }
    }
    let params = Params::Tsb {
        alpha_demand,
        alpha_probability,
    };
    let sizes = sizes(y);
    if sizes.is_empty() {
        return Ok(zeros(y, h, params));
    }
    let occurrence: Vec<f64> = y
        .iter()
        .map(|v| if *v == 0.0 { 0.0 } else { 1.0 })
        .collect();
    let (p_fc, p_fitted) = ses_forecast(&occurrence, alpha_probability);
    let (d_fc, d_fitted) = ses_forecast(&sizes, alpha_demand);
    let d_expanded = expand_sizes(&with_last(d_fitted, d_fc), y);
    let fitted = p_fitted
        .iter()
        .zip(&d_expanded)
        .map(|(p, d)| p.zip(*d).map(|(p, d)| p * d))
        .collect();
    Ok(Fit::plain(vec![p_fc * d_fc; h], fitted, params))
}

/// ADIDA: blocks as long as the mean interval (rounded half to even), or as `fixed_level`
/// (then the fitted values use that length throughout).
pub(super) fn adida(y: &[f64], h: usize, fixed_level: Option<usize>, bounds: SearchBounds) -> Fit {
    let intervals = intervals(y);
    if intervals.is_empty() {
        return zeros(y, h, Params::Aggregation { levels: Vec::new() });
    }
    let k = fixed_level.unwrap_or_else(|| aggregation_level(mean(&intervals)));
    let level = level_forecast(y, k, bounds);
    if let Some(k) = fixed_level {
        let fitted = std::iter::once(None)
            .chain((1..y.len()).map(|i| Some(chunk_forecast(&y[..i], k, bounds) / k as f64)))
            .collect();
        return Fit::plain(
            vec![level.forecast; h],
            fitted,
            Params::Aggregation {
                levels: vec![level],
            },
        );
    }
    // The block length for each period's fitted value is the mean interval of the demands
    // seen before it.
    let mut sum = 0.0;
    let running: Vec<Option<f64>> = std::iter::once(None)
        .chain(intervals.iter().enumerate().map(|(j, v)| {
            sum += v;
            Some(round_half_even(sum / (j + 1) as f64))
        }))
        .collect();
    let levels = expand_intervals(&running, y);
    let mut fitted = vec![None; y.len()];
    for i in 1..y.len() {
        let k_i = levels[i].map_or(1, |v| v as usize).max(1);
        fitted[i] = Some(chunk_forecast(&y[..i], k_i, bounds) / k_i as f64);
    }
    Fit::plain(
        vec![level.forecast; h],
        fitted,
        Params::Aggregation {
            levels: vec![level],
        },
    )
}

/// IMAPA: ADIDA averaged over block lengths 1 ..= the mean interval, or 1 ..= `fixed_max`
/// (then the fitted values use that range throughout, capped at each prefix's length).
pub(super) fn imapa(y: &[f64], h: usize, fixed_max: Option<usize>, bounds: SearchBounds) -> Fit {
    let intervals = intervals(y);
    if intervals.is_empty() {
        return zeros(y, h, Params::Aggregation { levels: Vec::new() });
    }
    let k_max = fixed_max.unwrap_or_else(|| aggregation_level(mean(&intervals)));
    let levels: Vec<AggregationLevel> = (1..=k_max).map(|k| level_forecast(y, k, bounds)).collect();
    let fc = levels.iter().map(|l| l.forecast).sum::<f64>() / levels.len() as f64;
    let mut fitted = vec![None; y.len()];
    for i in 1..y.len() {
        if let Some(k_fixed) = fixed_max {
            let prefix = &y[..i];
            let k_i = k_fixed.min(i);
            let sum: f64 = (1..=k_i)
                .map(|k| chunk_forecast(prefix, k, bounds) / k as f64)
                .sum();
            fitted[i] = Some(sum / k_i as f64);
            continue;
        }
        let prefix = &y[..i];
        let (count, last) = prefix
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .fold((0usize, 0usize), |(c, _), (j, _)| (c + 1, j + 1));
        if count == 0 {
            fitted[i] = Some(0.0);
            continue;
        }
        // The mean interval before period i is (index of the last demand + 1) / count;
        // statsforecast rounds it half away from zero here (C++ std::round), unlike the
        // forecast itself, and caps it at the prefix length.
        let k_i = ((last as f64 / count as f64).round() as usize).clamp(1, i);
        let sum: f64 = (1..=k_i)
            .map(|k| chunk_forecast(prefix, k, bounds) / k as f64)
            .sum();
        fitted[i] = Some(sum / k_i as f64);
    }
    Fit::plain(vec![fc; h], fitted, Params::Aggregation { levels })
}

/// The positive demands, in order.
fn sizes(y: &[f64]) -> Vec<f64> {
    y.iter().copied().filter(|v| *v > 0.0).collect()
}

/// Periods from one demand to the next, the first counted from the start of the series.
pub(super) fn intervals(y: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut prev = 0usize;
    for (i, v) in y.iter().enumerate() {
        if *v != 0.0 {
            out.push((i + 1 - prev) as f64);
            prev = i + 1;
        }
    }
    out
}

/// Block length from a mean interval: rounded half to even, at least 1.
fn aggregation_level(mean_interval: f64) -> usize {
    (round_half_even(mean_interval) as usize).max(1)
}

/// Size over interval; an interval estimate of zero cannot occur (intervals are ≥ 1) but
/// is guarded as statsforecast does.
fn ratio(size: f64, interval: f64) -> f64 {
    if interval == 0.0 {
        size
    } else {
        size / interval
    }
}

/// Appends the final one-step forecast to the in-sample ones, giving the estimate after
/// each number of events (index 0: none yet).
fn with_last(mut fitted: Vec<Option<f64>>, last: f64) -> Vec<Option<f64>> {
    fitted.push(Some(last));
    fitted
}

/// SES with the constant chosen by golden section within `bounds`: forecast and constant.
fn optimized_ses(x: &[f64], bounds: SearchBounds) -> (f64, f64) {
    let alpha = golden_section_ses(x, bounds.lower, bounds.upper);
    (ses_forecast(x, alpha).0, alpha)
}

/// The sums of non-overlapping blocks of `k` periods, dropping the oldest `n mod k`.
fn block_sums(y: &[f64], k: usize) -> Vec<f64> {
    let lost = y.len() % k;
    y[lost..].chunks_exact(k).map(|c| c.iter().sum()).collect()
}

/// The per-period forecast of one aggregation level (for the final forecast; `k` ≤ n).
fn level_forecast(y: &[f64], k: usize, bounds: SearchBounds) -> AggregationLevel {
    let sums = block_sums(y, k);
    debug_assert!(!sums.is_empty());
    let (fc, alpha) = optimized_ses(&sums, bounds);
    AggregationLevel {
        level: k,
        alpha,
        forecast: fc / k as f64,
    }
}

/// The block-sum forecast used for fitted values: like [`level_forecast`] but defined for
/// prefixes shorter than one block (the last value) and one block (its sum).
fn chunk_forecast(y: &[f64], k: usize, bounds: SearchBounds) -> f64 {
    let sums = block_sums(y, k);
    match sums.len() {
        0 => y[y.len() - 1],
        1 => sums[0],
        _ => optimized_ses(&sums, bounds).0,
    }
}

/// Croston's fitted values from the size and interval estimates after each event.
fn croston_fitted(
    y: &[f64],
    size_path: &[Option<f64>],
    interval_path: &[Option<f64>],
) -> Vec<Option<f64>> {
    let sizes = expand_sizes(size_path, y);
    let intervals = expand_intervals(interval_path, y);
    sizes
        .iter()
        .zip(&intervals)
        .map(|(s, i)| s.zip(*i).map(|(s, i)| s / i))
        .collect()
}

/// Spreads estimates indexed by event count over the periods: period i gets the estimate
/// after the demands before it; before the first demand, the (zero) previous value.
fn expand_sizes(path: &[Option<f64>], y: &[f64]) -> Vec<Option<f64>> {
    let mut out = vec![None; y.len()];
    let mut idx = 0usize;
    for i in 1..y.len() {
        out[i] = if y[i - 1] > 0.0 {
            idx += 1;
            path[idx]
        } else if idx > 0 {
            out[i - 1]
        } else {
            Some(y[i - 1])
        };
    }
    out
}

/// As [`expand_sizes`] for intervals: before the first demand, and where the estimate is
/// zero, the interval is 1.
fn expand_intervals(path: &[Option<f64>], y: &[f64]) -> Vec<Option<f64>> {
    let mut out = vec![None; y.len()];
    let mut idx = 0usize;
    for i in 1..y.len() {
        out[i] = if y[i - 1] != 0.0 {
            idx += 1;
            path[idx].map(|v| if v == 0.0 { 1.0 } else { v })
        } else if idx > 0 {
            out[i - 1]
        } else {
            Some(1.0)
        };
    }
    out
}

/// A zero forecast for a series without demand (fitted zero after the first period).
fn zeros(y: &[f64], h: usize, params: Params) -> Fit {
    let fitted = (0..y.len()).map(|i| (i > 0).then_some(0.0)).collect();
    Fit::plain(vec![0.0; h], fitted, params)
}

/// A fallback fit scaled by `factor`, with the Croston parameters attached.
fn scaled(fit: Fit, factor: f64, params: Params) -> Fit {
    Fit::plain(
        fit.mean.into_iter().map(|v| v * factor).collect(),
        fit.fitted
            .into_iter()
            .map(|v| v.map(|v| v * factor))
            .collect(),
        params,
    )
}

#[cfg(test)]
// Exact comparisons where the arithmetic is exact (zero errors, whole packs).
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn intervals_count_from_the_start() {
        assert_eq!(
            intervals(&[0.0, 0.0, 3.0, 0.0, 1.0, 2.0]),
            vec![3.0, 2.0, 1.0]
        );
        assert!(intervals(&[0.0, 0.0]).is_empty());
    }

    #[test]
    fn block_sums_drop_the_oldest_remainder() {
        assert_eq!(block_sums(&[1.0, 2.0, 3.0, 4.0, 5.0], 2), vec![5.0, 9.0]);
        assert_eq!(block_sums(&[1.0, 2.0], 3), Vec::<f64>::new());
    }

    /// Croston from the event timeline, as statsforecast states it: SES over the sizes
    /// and over the intervals, expanded back to the periods.
    fn croston_by_events(y: &[f64], factor: f64) -> (f64, Vec<Option<f64>>) {
        let (size_fc, size_fitted) = ses_forecast(&sizes(y), 0.1);
        let (interval_fc, interval_fitted) = ses_forecast(&intervals(y), 0.1);
        let fitted = croston_fitted(
            y,
            &with_last(size_fitted, size_fc),
            &with_last(interval_fitted, interval_fc),
        )
        .into_iter()
        .map(|v| v.map(|v| v * factor))
        .collect();
        (factor * ratio(size_fc, interval_fc), fitted)
    }

    #[test]
    fn one_pass_croston_is_the_event_timeline_bit_for_bit() {
        let series: [&[f64]; 7] = [
            &[0.0, 0.0, 7.0],
            &[13.0],
            &[0.0, 13.0, 0.0, 0.0, 0.0],
            &[2.0, 0.0, 0.0, 9.0, 1.0, 0.0, 4.0, 0.0],
            &[1.0, 2.0, 3.0, 4.0],
            &[0.0, 0.0, 0.3, 0.0, 11.7, 0.0, 0.0, 0.0, 2.2, 5.5],
            &[0.0, 6.0],
        ];
        for y in series {
            for factor in [1.0, 0.95] {
                let fit = croston(y, 3, 0.1, factor);
                let (mean, fitted) = croston_by_events(y, factor);
                assert_eq!(fit.mean, vec![mean; 3], "{y:?}");
                assert_eq!(fit.fitted, fitted, "{y:?}");
            }
        }
    }

    #[test]
    fn tsb_decays_after_the_last_demand_and_croston_does_not() {
        let mut y = vec![0.0, 4.0, 0.0, 4.0, 0.0, 4.0];
        let tsb_before = tsb(&y, 0.2, 0.2, 1).unwrap().mean[0];
        let croston_before = croston(&y, 1, 0.1, 1.0).mean[0];
        y.extend([0.0, 0.0, 0.0]);
        let tsb_after = tsb(&y, 0.2, 0.2, 1).unwrap().mean[0];
        let croston_after = croston(&y, 1, 0.1, 1.0).mean[0];
        assert!(tsb_after < tsb_before * 0.6, "{tsb_after} vs {tsb_before}");
        assert_eq!(croston_after, croston_before);
    }
}
