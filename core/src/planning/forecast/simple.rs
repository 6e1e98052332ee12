//! Benchmarks and simple exponential smoothing.
//!
//! Naive, seasonal naive, historic and moving averages, and SES with a fixed or
//! golden-section-optimised constant. The SES helpers here are shared with the
//! intermittent-demand methods, which smooth sizes, intervals and block sums with them.

use super::{Component, EtsParams, EtsSpec, Fit, ModelState, Params, SearchBounds};
use crate::error::{Error, Result};
use crate::planning::check;

/// Repeats the last value; the fitted value of each period is the one before it.
pub(super) fn naive(y: &[f64], h: usize) -> Fit {
    let last = y[y.len() - 1];
    let fitted = std::iter::once(None)
        .chain(y[..y.len() - 1].iter().map(|v| Some(*v)))
        .collect();
    Fit::plain(vec![last; h], fitted, Params::None)
}

/// Repeats the last season; the fitted value of each period is the one a season before.
pub(super) fn seasonal_naive(y: &[f64], m: usize, h: usize) -> Result<Fit> {
    if m == 0 {
        return Err(Error::invalid_parameter(
            "season_length",
            "must be at least 1",
        ));
    }
    // One full season to repeat plus one period with an in-sample error.
    check::series(y, m.saturating_add(1))?;
    let n = y.len();
    let last_season = &y[n - m..];
    let mean = (0..h).map(|i| last_season[i % m]).collect();
    let fitted = (0..n).map(|t| t.checked_sub(m).map(|s| y[s])).collect();
    Ok(Fit::plain(mean, fitted, Params::None))
}

/// The mean of the whole history, also as every fitted value (as statsforecast does: it
/// is not a one-step forecast, so its in-sample error is slightly optimistic).
pub(super) fn historic_average(y: &[f64], h: usize) -> Fit {
    let avg = mean(y);
    Fit::plain(vec![avg; h], vec![Some(avg); y.len()], Params::None)
}

/// The mean of the last `window` values. statsforecast gives no fitted values here; the
/// natural one-step ones (the mean of the `window` values before each period) are used.
pub(super) fn moving_average(y: &[f64], window: usize, h: usize) -> Result<Fit> {
    if window == 0 {
        return Err(Error::invalid_parameter("window", "must be at least 1"));
    }
    check::series(y, window.saturating_add(1))?;
    let n = y.len();
    let avg = mean(&y[n - window..]);
    let fitted = (0..n)
        .map(|t| t.checked_sub(window).map(|s| mean(&y[s..t])))
        .collect();
    Ok(Fit::plain(vec![avg; h], fitted, Params::None))
}

/// SES with a given constant.
pub(super) fn ses_fixed(y: &[f64], alpha: f64, h: usize) -> Result<Fit> {
    check::finite("alpha", alpha)?;
    if !(alpha > 0.0 && alpha <= 1.0) {
        return Err(Error::invalid_parameter(
            "alpha",
            format!("must be in (0, 1], got {alpha}"),
        ));
    }
    Ok(ses_fit(y, alpha, h))
}

/// statsforecast's search interval of the optimised SES constant.
pub(super) const SES_BOUNDS: SearchBounds = SearchBounds {
    lower: 0.01,
    upper: 0.99,
};

/// SES with the constant minimising the one-step squared error within `bounds`.
pub(super) fn ses_optimized(y: &[f64], h: usize, bounds: SearchBounds) -> Fit {
    let alpha = golden_section_ses(y, bounds.lower, bounds.upper);
    ses_fit(y, alpha, h)
}

/// SES with `alpha`: forecasts, fitted values and its final state as the ETS model A,N,N
/// (the level is the forecast), with statsforecast's σ² = SSE / (n − 1).
fn ses_fit(y: &[f64], alpha: f64, h: usize) -> Fit {
    let (fc, fitted) = ses_forecast(y, alpha);
    let sse: f64 = y
        .iter()
        .zip(&fitted)
        .filter_map(|(v, f)| f.map(|f| (v - f) * (v - f)))
        .sum();
    let state = ModelState {
        spec: EtsSpec {
            error: Component::Additive,
            trend: Component::None,
            season: Component::None,
            damped: false,
            season_length: 1,
        },
        params: EtsParams {
            alpha,
            beta: None,
            gamma: None,
            phi: None,
            level: fc,
            slope: None,
            seasonal: Vec::new(),
        },
        sigma2: (y.len() > 1).then(|| sse / (y.len() - 1) as f64),
    };
    Fit {
        mean: vec![fc; h],
        fitted,
        params: Params::Ses { alpha },
        state: Some(state),
    }
}

/// Arithmetic mean of a non-empty slice.
pub(super) fn mean(x: &[f64]) -> f64 {
    debug_assert!(!x.is_empty());
    x.iter().sum::<f64>() / x.len() as f64
}

/// SES one step past the end of `x`, and the in-sample one-step forecasts.
///
/// The level starts at the first value, so the first period has no forecast of its own
/// (`None`) and the second is forecast by the first value. `x` must not be empty.
pub(super) fn ses_forecast(x: &[f64], alpha: f64) -> (f64, Vec<Option<f64>>) {
    debug_assert!(!x.is_empty());
    let complement = 1.0 - alpha;
    let mut fitted = Vec::with_capacity(x.len());
    fitted.push(None);
    // The level before x[i] mixes x[i-1] into the level before x[i-1]; the level before
    // x[0] is x[0] itself (statsforecast's `ses_forecast`, operation for operation).
    let mut level = x[0];
    for i in 1..x.len() {
        level = alpha * x[i - 1] + complement * level;
        fitted.push(Some(level));
    }
    let forecast = if x.len() == 1 {
        x[0]
    } else {
        alpha * x[x.len() - 1] + complement * level
    };
    (forecast, fitted)
}

/// Sum of squared one-step SES errors, skipping the first point (it is the start level).
pub(super) fn ses_sse(alpha: f64, x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let complement = 1.0 - alpha;
    let mut forecast = x[0];
    let mut sse = 0.0;
    for i in 1..x.len() {
        forecast = alpha * x[i - 1] + complement * forecast;
        let err = x[i] - forecast;
        sse += err * err;
    }
    sse
}

/// The SES constant in `[lower, upper]` minimising [`ses_sse`], by golden-section search
/// to a bracket of 1e-12, stopping early at an exact tie of the two inner points (as a
/// series with one point, or no change after its first demand, gives): the midpoint of
/// the bracket is returned.
// a, b (bracket) and c, d (inner points) are the algorithm's textbook names.
#[allow(clippy::many_single_char_names)]
pub(super) fn golden_section_ses(x: &[f64], lower: f64, upper: f64) -> f64 {
    // Bounded loop: the bracket shrinks by 1/φ each step, so ~60 steps reach 1e-12 from a
    // unit bracket; the cap only guards against a pathological objective.
    const STEPS_MAX: usize = 200;
    let gr = f64::midpoint(5.0_f64.sqrt(), 1.0);
    let (mut a, mut b) = (lower, upper);
    let mut c = b - (b - a) / gr;
    let mut d = a + (b - a) / gr;
    let mut fc = ses_sse(c, x);
    let mut fd = ses_sse(d, x);
    for _ in 0..STEPS_MAX {
        if (b - a).abs() < 1e-12 {
            break;
        }
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - (b - a) / gr;
            fc = ses_sse(c, x);
        } else if fd < fc {
            a = c;
            c = d;
            fc = fd;
            d = a + (b - a) / gr;
            fd = ses_sse(d, x);
        } else {
            break;
        }
    }
    f64::midpoint(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ses_fitted_follows_the_recursion() {
        let y = [10.0, 12.0, 11.0, 15.0];
        let (fc, fitted) = ses_forecast(&y, 0.5);
        assert_eq!(fitted, vec![None, Some(10.0), Some(11.0), Some(11.0)]);
        assert!((fc - 13.0).abs() < 1e-12);
    }

    #[test]
    fn golden_section_finds_the_sse_minimum() {
        let y = [3.0, 5.0, 4.0, 8.0, 6.0, 9.0, 7.0, 12.0, 10.0, 11.0];
        let a = golden_section_ses(&y, 0.01, 0.99);
        // Compare with a fine grid: no grid point may beat the search result.
        let best = ses_sse(a, &y);
        for i in 1..=980 {
            let g = 0.01 + f64::from(i) * 0.001;
            assert!(
                ses_sse(g.min(0.99), &y) >= best - 1e-9,
                "grid {g} beats {a}"
            );
        }
    }

    #[test]
    fn golden_section_stops_at_a_tie() {
        // One point: every alpha gives SSE 0, so the search stops at the midpoint.
        assert!((golden_section_ses(&[4.0], 0.1, 0.3) - 0.2).abs() < 1e-15);
    }
}
