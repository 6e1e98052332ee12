//! Forecast variances of ETS models: a port of statsforecast 2.1.1's
//! `_compute_pred_intervals` (itself R `forecast`'s `class1`/`class2`/`class3`, Hyndman et
//! al. 2008, ch. 6), kept operation for operation so the intervals agree with
//! statsforecast's, including two of its departures from the book:
//!
//! * class 1 seasonal formulas use one `hm = ⌊(h − 1)/m⌋` for the whole horizon (the
//!   book's `h_m` varies with the step);
//! * M,A,A uses `c_j = α·β·j + γ·d_j` (the book's is `α + β·j + γ·d_j`), and class 3
//!   leaves the mean matrix at the last state for every step.
//!
//! Classes 4 and 5 (additive error with multiplicative seasonality) are simulated by
//! statsforecast with its random generator; they have no intervals here.

use super::super::{Component, ModelState};
use crate::error::{Error, Result};

/// The forecast variance of each step of `mean`, the forecasts from `state`.
pub(in crate::planning::forecast) fn variances(
    state: &ModelState,
    mean: &[f64],
) -> Result<Vec<f64>> {
    use Component::{Additive as A, Multiplicative as M, None as N};
    let spec = &state.spec;
    let p = &state.params;
    let sigma = state.sigma2.ok_or_else(|| {
        Error::invalid_parameter(
            "levels",
            "the fit leaves no degree of freedom for the error variance, so no intervals",
        )
    })?;
    let h = mean.len();
    let m = if spec.season == Component::None {
        1
    } else {
        spec.season_length
    };
    let alpha = p.alpha;
    // statsforecast reads NaN for absent parameters; each formula below only uses the
    // parameters its model has.
    let beta = p.beta.unwrap_or(f64::NAN);
    let gamma = p.gamma.unwrap_or(f64::NAN);
    let phi = p.phi.unwrap_or(f64::NAN);
    let hm = ((h - 1) / m) as f64;
    let steps: Vec<f64> = (1..=h).map(|k| k as f64).collect();
    let exp1 =
        |s: f64| alpha * alpha + alpha * beta * s + (1.0 / 6.0) * beta * beta * s * (2.0 * s - 1.0);
    let exp2 = |s: f64| (beta * phi * s) / (1.0 - phi).powi(2);
    let exp3 = 2.0 * alpha * (1.0 - phi) + beta * phi;
    let exp4 =
        |s: f64| (beta * phi * (1.0 - phi.powf(s))) / ((1.0 - phi).powi(2) * (1.0 - phi * phi));
    let exp5 =
        |s: f64| 2.0 * alpha * (1.0 - phi * phi) + beta * phi * (1.0 + 2.0 * phi - phi.powf(s));
    let class1 =
        |f: &dyn Fn(f64) -> f64| -> Vec<f64> { steps.iter().map(|s| sigma * f(*s)).collect() };
    let out = match (spec.error, spec.trend, spec.season, spec.damped) {
        (A, N, N, false) => class1(&|s| 1.0 + alpha * alpha * (s - 1.0)),
        (A, A, N, false) => class1(&|s| 1.0 + (s - 1.0) * exp1(s)),
        (A, A, N, true) => {
            class1(&|s| 1.0 + alpha * alpha * (s - 1.0) + exp2(s) * exp3 - exp4(s) * exp5(s))
        }
        (A, N, A, false) => {
            class1(&|s| 1.0 + alpha * alpha * (s - 1.0) + gamma * hm * (2.0 * alpha + gamma))
        }
        (A, A, A, false) => {
            let exp6 = 2.0 * alpha + gamma + beta * m as f64 * (hm + 1.0);
            class1(&|s| 1.0 + (s - 1.0) * exp1(s) + gamma * hm * exp6)
        }
        (A, A, A, true) => {
            let mf = m as f64;
            let exp7 = (2.0 * beta * gamma * phi) / ((1.0 - phi) * (1.0 - phi.powf(mf)));
            let exp8 = hm * (1.0 - phi.powf(mf)) - phi.powf(mf) * (1.0 - phi.powf(mf * hm));
            class1(&|s| {
                1.0 + alpha * alpha * (s - 1.0) + exp2(s) * exp3 - exp4(s) * exp5(s)
                    + gamma * hm * (2.0 * alpha + gamma)
                    + exp7 * exp8
            })
        }
        (M, N, N, false) => class2(mean, sigma, &vec![alpha; h]),
        (M, A, N, false) => {
            let c: Vec<f64> = steps.iter().map(|s| alpha + beta * s).collect();
            class2(mean, sigma, &c)
        }
        (M, A, N, true) => {
            let c: Vec<f64> = (1..=h).map(|k| alpha + beta * phi_sum(phi, k)).collect();
            class2(mean, sigma, &c)
        }
        (M, N, A, false) => {
            let c: Vec<f64> = (1..=h).map(|k| alpha + gamma * season_step(k, m)).collect();
            class2(mean, sigma, &c)
        }
        (M, A, A, false) => {
            let c: Vec<f64> = (1..=h)
                .map(|k| alpha * beta * k as f64 + gamma * season_step(k, m))
                .collect();
            class2(mean, sigma, &c)
        }
        (M, A, A, true) => {
            let c: Vec<f64> = (1..=h)
                .map(|k| alpha + beta * phi_sum(phi, k) + gamma * season_step(k, m))
                .collect();
            class2(mean, sigma, &c)
        }
        (M, _, M, _) => class3(state, sigma, h),
        _ => {
            return Err(Error::invalid_parameter(
                "levels",
                format!(
                    "the ETS model {} has no analytic prediction intervals (statsforecast \
                     simulates them)",
                    spec.code()
                ),
            ));
        }
    };
    Ok(out)
}

/// φ + φ² + … + φᵏ, summed in that order.
fn phi_sum(phi: f64, k: usize) -> f64 {
    let mut sum = 0.0;
    for j in 1..=k {
        sum += phi.powf(j as f64);
    }
    sum
}

/// 1 when step `k` ends a whole number of seasons, else 0.
fn season_step(k: usize, m: usize) -> f64 {
    if k.is_multiple_of(m) { 1.0 } else { 0.0 }
}

/// Class 2 (statsforecast `_compute_sigmah`): θ₁ = μ₁², θₖ = μₖ² + σ² Σⱼ cⱼ² θₖ₋ⱼ,
/// variance (1 + σ²) θₖ − μₖ².
fn class2(pf: &[f64], sigma: f64, cvals: &[f64]) -> Vec<f64> {
    let h = pf.len();
    let mut theta = vec![0.0; h];
    theta[0] = pf[0] * pf[0];
    for k in 1..h {
        // cvals[:k]**2 @ theta[:k][::-1]
        let mut sum = 0.0;
        for j in 0..k {
            sum += cvals[j] * cvals[j] * theta[k - 1 - j];
        }
        theta[k] = pf[k] * pf[k] + sigma * sum;
    }
    theta
        .iter()
        .zip(pf)
        .map(|(t, f)| (1.0 + sigma) * t - f * f)
        .collect()
}

/// A dense row-major matrix, just enough for class 3.
#[derive(Clone)]
struct Mat {
    rows: usize,
    cols: usize,
    v: Vec<f64>,
}

impl Mat {
    fn zeros(rows: usize, cols: usize) -> Mat {
        Mat {
            rows,
            cols,
            v: vec![0.0; rows * cols],
        }
    }
    fn from(rows: usize, cols: usize, v: Vec<f64>) -> Mat {
        debug_assert_eq!(v.len(), rows * cols);
        Mat { rows, cols, v }
    }
    fn at(&self, r: usize, c: usize) -> f64 {
        self.v[r * self.cols + c]
    }
    fn set(&mut self, r: usize, c: usize, x: f64) {
        self.v[r * self.cols + c] = x;
    }
    fn t(&self) -> Mat {
        let mut o = Mat::zeros(self.cols, self.rows);
        for r in 0..self.rows {
            for c in 0..self.cols {
                o.set(c, r, self.at(r, c));
            }
        }
        o
    }
    fn mul(&self, b: &Mat) -> Mat {
        debug_assert_eq!(self.cols, b.rows);
        let mut o = Mat::zeros(self.rows, b.cols);
        for r in 0..self.rows {
            for k in 0..self.cols {
                let a = self.at(r, k);
                if a == 0.0 {
                    continue;
                }
                for c in 0..b.cols {
                    o.v[r * b.cols + c] += a * b.at(k, c);
                }
            }
        }
        o
    }
    fn add(&self, b: &Mat) -> Mat {
        Mat::from(
            self.rows,
            self.cols,
            self.v.iter().zip(&b.v).map(|(x, y)| x + y).collect(),
        )
    }
    fn scale(&self, s: f64) -> Mat {
        Mat::from(self.rows, self.cols, self.v.iter().map(|x| x * s).collect())
    }
    fn kron(&self, b: &Mat) -> Mat {
        let mut o = Mat::zeros(self.rows * b.rows, self.cols * b.cols);
        for r in 0..self.rows {
            for c in 0..self.cols {
                let a = self.at(r, c);
                for br in 0..b.rows {
                    for bc in 0..b.cols {
                        o.set(r * b.rows + br, c * b.cols + bc, a * b.at(br, bc));
                    }
                }
            }
        }
        o
    }
}

/// Class 3 (multiplicative error and seasonality), statsforecast's `_class3models`.
// h, m, p and n are the book's and statsforecast's names.
#[allow(clippy::many_single_char_names)]
fn class3(state: &ModelState, sigma: f64, h: usize) -> Vec<f64> {
    let spec = &state.spec;
    let p = &state.params;
    let m = spec.season_length;
    let trend = spec.trend != Component::None;
    let (alpha, beta, gamma) = (p.alpha, p.beta.unwrap_or(0.0), p.gamma.unwrap_or(0.0));
    let (h1, f1, g1, lb) = if trend {
        let f = if spec.damped {
            p.phi.unwrap_or(1.0)
        } else {
            1.0
        };
        (
            Mat::from(1, 2, vec![1.0, 1.0]),
            Mat::from(2, 2, vec![1.0, 1.0, 0.0, f]),
            Mat::from(2, 2, vec![alpha, alpha, beta, beta]),
            vec![p.level, p.slope.unwrap_or(0.0)],
        )
    } else {
        (
            Mat::from(1, 1, vec![1.0]),
            Mat::from(1, 1, vec![1.0]),
            Mat::from(1, 1, vec![alpha]),
            vec![p.level],
        )
    };
    let mut h2 = Mat::zeros(1, m);
    h2.set(0, m - 1, 1.0);
    let mut f2 = Mat::zeros(m, m);
    f2.set(0, m - 1, 1.0);
    for i in 1..m {
        f2.set(i, i - 1, 1.0);
    }
    let mut g2 = Mat::zeros(m, m);
    g2.set(0, m - 1, gamma);
    // Mh: (level, slope) times the seasonal states, outer product.
    let mh = Mat::from(lb.len(), 1, lb.clone()).mul(&Mat::from(1, m, p.seasonal.clone()));
    let n = mh.rows * mh.cols;
    let mut vh = Mat::zeros(n, n);
    let h21 = h2.kron(&h1);
    let f21 = f2.kron(&f1);
    let g21 = g2.kron(&g1);
    let k = g2.kron(&f1).add(&f2.kron(&g1));
    let (h21t, f21t, g21t, kt) = (h21.t(), f21.t(), g21.t(), k.t());
    // statsforecast never moves Mh inside the loop, so μ is the same at every step.
    let mu = h1.mul(&mh.mul(&h2.t())).at(0, 0);
    // vec(Mh) vec(Mh)ᵀ, with Mh flattened row by row as numpy does.
    let vv = Mat::from(n, 1, mh.v.clone()).mul(&Mat::from(1, n, mh.v.clone()));
    let mut var = Vec::with_capacity(h);
    for _ in 0..h {
        var.push((1.0 + sigma) * h21.mul(&vh.mul(&h21t)).at(0, 0) + sigma * mu * mu);
        let e1 = f21.mul(&vh.mul(&f21t));
        let e2 = f21.mul(&vh.mul(&g21t));
        let e3 = g21.mul(&vh.mul(&f21t));
        let e4 = k.mul(&vh.add(&vv).mul(&kt));
        let e5 = g21
            .scale(sigma)
            .mul(&vh.scale(3.0).add(&vv.scale(2.0)).mul(&g21t));
        vh = e1.add(&e2.add(&e3).add(&e4).add(&e5).scale(sigma));
    }
    var
}
