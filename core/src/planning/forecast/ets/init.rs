//! Initial states and the small numerics under them: classical decomposition or a
//! Fourier regression for the season, a linear fit for level and slope.

use super::super::{Component, EtsSpec};
use super::State;
use crate::error::{Error, Result};

/// Population standard deviation (NaN if any value is infinite, which keeps the
/// optimiser going, as in statsforecast).
pub(super) fn std_dev(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt()
}

/// Initial states from the data (statsforecast's `initstate`): seasonal indices from a
/// classical decomposition (a linear-plus-Fourier regression when there are fewer than
/// three seasons), then level and slope from a regression on the first
/// `max(10, 2m)` seasonally adjusted values.
pub(super) fn initial_state(y: &[f64], spec: &EtsSpec) -> Result<State> {
    let n = y.len();
    let (m, season, y_sa) = if spec.season == Component::None {
        (1, Vec::new(), y.to_vec())
    } else {
        let m = spec.season_length;
        if n < 4 {
            return Err(Error::invalid_parameter(
                "series",
                "needs at least 4 values for a seasonal model",
            ));
        }
        let mult = spec.season == Component::Multiplicative;
        let seasonal = if n < 3 * m {
            fourier_seasonal(y, m, mult)
        } else {
            decompose_seasonal(y, m, mult)
        };
        // seasonal[1..m] reversed: the states before the first observation, most recent
        // (position m - 1 of the cycle) first; the state of position 0 is left out here
        // and derived by the caller from the others.
        let mut init: Vec<f64> = seasonal[1..m].iter().rev().copied().collect();
        let y_sa: Vec<f64> = if mult {
            for s in &mut init {
                *s = s.max(1e-2);
            }
            let sum: f64 = init.iter().sum();
            if sum > m as f64 {
                let denom: f64 = init.iter().map(|s| s + 1e-2).sum();
                for s in &mut init {
                    *s /= denom;
                }
            }
            y.iter()
                .zip(&seasonal)
                .map(|(v, s)| v / s.max(1e-2))
                .collect()
        } else {
            y.iter().zip(&seasonal).map(|(v, s)| v - s).collect()
        };
        let target = if mult { m as f64 } else { 0.0 };
        let sum: f64 = init.iter().sum();
        init.push(target - sum);
        (m, init, y_sa)
    };
    let maxn = (2 * m).max(10).min(n);
    let head = &y_sa[..maxn];
    if spec.trend == Component::None {
        let level = head.iter().sum::<f64>() / maxn as f64;
        return Ok(State {
            level,
            slope: 0.0,
            season,
        });
    }
    let (mut level, mut slope) = linear_fit(head);
    // With multiplicative errors a first forecast of exactly zero would divide by zero.
    if (level + slope).abs() < 1e-8 {
        level *= 1.0 + 1e-3;
        slope *= 1.0 - 1e-3;
    }
    Ok(State {
        level,
        slope,
        season,
    })
}

/// Least-squares intercept and slope of `v` against t = 1, 2, ….
pub(super) fn linear_fit(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let t_mean = f64::midpoint(1.0, n);
    let v_mean = v.iter().sum::<f64>() / n;
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    for (i, y) in v.iter().enumerate() {
        let dt = (i + 1) as f64 - t_mean;
        sxy += dt * (y - v_mean);
        sxx += dt * dt;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (v_mean - slope * t_mean, slope)
}

/// Seasonal component of a classical decomposition (statsmodels `seasonal_decompose`):
/// a centred moving average of one season as the trend, the mean detrended value of each
/// position in the cycle, normalised to sum to 0 (additive) or average 1
/// (multiplicative). Returned per observation.
pub(super) fn decompose_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    let filt: Vec<f64> = if m.is_multiple_of(2) {
        let mut f = vec![1.0 / m as f64; m + 1];
        f[0] = 0.5 / m as f64;
        f[m] = 0.5 / m as f64;
        f
    } else {
        vec![1.0 / m as f64; m]
    };
    let half = filt.len() / 2;
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in half..n.saturating_sub(half) {
        let trend: f64 = filt
            .iter()
            .enumerate()
            .map(|(j, w)| w * y[t + j - half])
            .sum();
        let detrended = if mult { y[t] / trend } else { y[t] - trend };
        sums[t % m] += detrended;
        counts[t % m] += 1;
    }
    let mut avg: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, c)| s / *c as f64)
        .collect();
    let overall = avg.iter().sum::<f64>() / m as f64;
    for a in &mut avg {
        if mult {
            *a /= overall;
        } else {
            *a -= overall;
        }
    }
    (0..n).map(|t| avg[t % m]).collect()
}

/// Seasonal component for short series: the data less (or over) a straight line fitted
/// together with one Fourier pair of the season's frequency.
pub(super) fn fourier_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    let freq = 2.0 * std::f64::consts::PI / m as f64;
    // With m = 2 the sine term is zero at every integer t and is left out.
    let with_sin = m != 2;
    let cols = if with_sin { 4 } else { 3 };
    let rows: Vec<Vec<f64>> = (1..=n)
        .map(|t| {
            let tf = t as f64;
            let mut row = vec![1.0, tf, (freq * tf).cos()];
            if with_sin {
                row.push((freq * tf).sin());
            }
            row
        })
        .collect();
    let coef = least_squares(&rows, y, cols);
    (1..=n)
        .map(|t| {
            let line = coef[0] + coef[1] * t as f64;
            if mult {
                y[t - 1] / line
            } else {
                y[t - 1] - line
            }
        })
        .collect()
}

/// Least squares by the normal equations with partial pivoting; a column that adds
/// nothing (zero pivot) gets coefficient 0.
pub(super) fn least_squares(rows: &[Vec<f64>], y: &[f64], cols: usize) -> Vec<f64> {
    // The normal equations as an augmented matrix [XᵀX | Xᵀy].
    let mut aug = vec![vec![0.0; cols + 1]; cols];
    for (x, yv) in rows.iter().zip(y) {
        for (i, aug_row) in aug.iter_mut().enumerate() {
            for (j, cell) in aug_row.iter_mut().take(cols).enumerate() {
                *cell += x[i] * x[j];
            }
            aug_row[cols] += x[i] * yv;
        }
    }
    let scale = aug
        .iter()
        .flat_map(|row| row[..cols].iter())
        .fold(0.0_f64, |acc, v| acc.max(v.abs()));
    let mut pivot_row_of = vec![None; cols];
    let mut next = 0;
    for col in 0..cols {
        let best = (next..cols).max_by(|i, j| aug[*i][col].abs().total_cmp(&aug[*j][col].abs()));
        let Some(best) = best else { break };
        if aug[best][col].abs() <= 1e-12 * scale {
            continue;
        }
        aug.swap(next, best);
        let pivot = aug[next].clone();
        for (idx, row) in aug.iter_mut().enumerate() {
            if idx != next {
                let factor = row[col] / pivot[col];
                for (cell, pv) in row.iter_mut().zip(&pivot).skip(col) {
                    *cell -= factor * pv;
                }
            }
        }
        pivot_row_of[col] = Some(next);
        next += 1;
    }
    pivot_row_of
        .iter()
        .enumerate()
        .map(|(col, pr)| pr.map_or(0.0, |r| aug[r][cols] / aug[r][col]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_recovers_a_pure_additive_season() {
        let pattern = [3.0, -1.0, -2.0, 0.0];
        let y: Vec<f64> = (0..16)
            .map(|t| 10.0 + 0.5 * t as f64 + pattern[t % 4])
            .collect();
        let s = decompose_seasonal(&y, 4, false);
        for t in 0..16 {
            assert!((s[t] - pattern[t % 4]).abs() < 1e-12, "{t}: {}", s[t]);
        }
    }

    #[test]
    fn least_squares_fits_an_exact_line() {
        let rows: Vec<Vec<f64>> = (1..=6).map(|t| vec![1.0, f64::from(t)]).collect();
        let y: Vec<f64> = (1..=6).map(|t| 2.0 + 3.0 * f64::from(t)).collect();
        let c = least_squares(&rows, &y, 2);
        assert!(
            (c[0] - 2.0).abs() < 1e-9 && (c[1] - 3.0).abs() < 1e-9,
            "{c:?}"
        );
    }
}
