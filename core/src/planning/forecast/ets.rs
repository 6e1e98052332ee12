//! ETS (error, trend, seasonal) state-space models: Holt, Holt–Winters, automatic ETS and
//! fixed-parameter runs.
//!
//! A port of statsforecast 2.1.1's `ets.py` / `ets.cpp`, itself a mirror of R's
//! `forecast::ets`: the same recursions (error-correction form, β = α·β*, seasonal states
//! most recent first), the same initial states (classical decomposition, or a Fourier
//! regression for short series), the same starting values and bounds, and the same
//! bounded Nelder–Mead on the same likelihood, so that fits land where statsforecast's
//! land. Multiplicative trends are not offered (statsforecast leaves them out by default).

use super::{Component, EtsFit, EtsParams, EtsSpec, Fit, Params, Seasonality};
use crate::error::{Error, Result};
use crate::planning::check;

/// Below this magnitude a divisor counts as zero (statsforecast's `TOL`).
const TOL: f64 = 1e-10;
/// What a division by a near-zero state gives instead of infinity.
const HUGE_N: f64 = 1e10;

/// Nelder–Mead settings of statsforecast's ETS optimiser.
const NM_INIT_STEP: f64 = 0.05;
const NM_ZERO_PERT: f64 = 1e-4;
const NM_ITER_MAX: usize = 1_000;
const NM_TOL_STD: f64 = 1e-4;

/// Bounds of the smoothing constants `[alpha, beta, gamma, phi]` during optimisation.
///
/// As in statsforecast, choosing a model's starting values narrows the upper bounds of β
/// (to the starting α) and γ (to 1 − starting α), and the narrowed bounds carry over to
/// the models fitted after it in the same call; a faithful port keeps that, so automatic
/// selection compares the same candidates statsforecast compares.
#[derive(Debug, Clone)]
struct Bounds {
    lower: [f64; 4],
    upper: [f64; 4],
}

impl Bounds {
    fn new() -> Self {
        Bounds {
            lower: [1e-4, 1e-4, 1e-4, 0.8],
            upper: [0.9999, 0.9999, 0.9999, 0.98],
        }
    }
}

/// The state of the model between two periods.
#[derive(Debug, Clone, PartialEq)]
struct State {
    level: f64,
    slope: f64,
    /// Most recent first; `season[m - 1]` applies to the next period.
    season: Vec<f64>,
}

/// Smoothing constants as the recursion uses them: β = 0 without trend, γ = 0 without
/// season, φ = 1 without damping.
#[derive(Debug, Clone, Copy)]
struct Smoothing {
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
}

/// The outcome of running the recursion over the series.
struct Run {
    /// `n ln SSE (+ 2 Σ ln|ŷ|)`: minus twice the log-likelihood up to a constant.
    lik: f64,
    /// One-step forecasts, one per observation.
    one_step: Vec<f64>,
    /// The state after the last observation.
    last: State,
}

/// The one-step forecast from a state.
fn one_step(spec: &EtsSpec, st: &State, phi: f64) -> f64 {
    let mut f = match spec.trend {
        Component::None => st.level,
        _ => st.level + phi * st.slope,
    };
    let m = st.season.len();
    match spec.season {
        Component::Additive => f += st.season[m - 1],
        Component::Multiplicative => f *= st.season[m - 1],
        Component::None => {}
    }
    f
}

/// Moves the state past observation `y` (statsforecast's `Update`, operation for
/// operation, so that optimiser paths agree).
fn update(spec: &EtsSpec, st: &mut State, sm: Smoothing, obs: f64) {
    let old_level = st.level;
    // `base` is the level before this observation's error is applied (statsforecast `q`).
    let (base, phi_b) = if spec.trend == Component::None {
        (old_level, 0.0)
    } else {
        let phi_b = sm.phi * st.slope;
        (old_level + phi_b, phi_b)
    };
    let m = st.season.len();
    let old_s = if m > 0 { st.season[m - 1] } else { 0.0 };
    // The observation with its seasonal effect taken out (statsforecast `p`).
    let deseasonalised = match spec.season {
        Component::None => obs,
        Component::Additive => obs - old_s,
        Component::Multiplicative => {
            if old_s.abs() < TOL {
                HUGE_N
            } else {
                obs / old_s
            }
        }
    };
    let level = base + sm.alpha * (deseasonalised - base);
    if spec.trend != Component::None {
        let growth = level - old_level;
        st.slope = phi_b + (sm.beta / sm.alpha) * (growth - phi_b);
    }
    if spec.season != Component::None {
        // The observation against the level (statsforecast `t`).
        let seasonal_obs = if spec.season == Component::Multiplicative {
            if base.abs() < TOL { HUGE_N } else { obs / base }
        } else {
            obs - base
        };
        let new_s = old_s + sm.gamma * (seasonal_obs - old_s);
        st.season.rotate_right(1);
        st.season[0] = new_s;
    }
    st.level = level;
}

/// Runs the model over `y` from `init` (statsforecast's `Calc`).
fn run(y: &[f64], spec: &EtsSpec, sm: Smoothing, init: &State) -> Run {
    let mut st = init.clone();
    let mut one_step_fc = Vec::with_capacity(y.len());
    let mut sse = 0.0;
    let mut log_abs_fc = 0.0;
    for &obs in y {
        let f = one_step(spec, &st, sm.phi);
        let e = match spec.error {
            Component::Multiplicative => {
                let f0 = if f.abs() < TOL { f + TOL } else { f };
                (obs - f) / f0
            }
            _ => obs - f,
        };
        update(spec, &mut st, sm, obs);
        sse += e * e;
        let val = f.abs();
        log_abs_fc += if val > 0.0 {
            val.ln()
        } else {
            (val + 1e-8).ln()
        };
        one_step_fc.push(f);
    }
    let n = y.len() as f64;
    let mut lik = if sse > 0.0 {
        n * sse.ln()
    } else {
        n * (sse + 1e-8).ln()
    };
    if spec.error == Component::Multiplicative {
        lik += 2.0 * log_abs_fc;
    }
    Run {
        lik,
        one_step: one_step_fc,
        last: st,
    }
}

/// Point forecasts `h` periods past a state (statsforecast's `Forecast`).
fn forecast_from(spec: &EtsSpec, st: &State, phi: f64, h: usize) -> Vec<f64> {
    let m = st.season.len();
    let mut out = Vec::with_capacity(h);
    let mut phistar = phi;
    for i in 0..h {
        let mut f = match spec.trend {
            Component::None => st.level,
            _ => st.level + phistar * st.slope,
        };
        if m > 0 {
            let j = (m - 1) - (i % m);
            match spec.season {
                Component::Additive => f += st.season[j],
                Component::Multiplicative => f *= st.season[j],
                Component::None => {}
            }
        }
        out.push(f);
        if (phi - 1.0).abs() < TOL {
            phistar += 1.0;
        } else {
            phistar += phi.powf((i + 1) as f64);
        }
    }
    out
}

/// Holt's linear trend: A,A,N and/or A,Ad,N.
pub(super) fn holt(y: &[f64], damped: Option<bool>, h: usize) -> Result<Fit> {
    let spec = |d| EtsSpec {
        error: Component::Additive,
        trend: Component::Additive,
        season: Component::None,
        damped: d,
        season_length: 1,
    };
    // statsforecast's "tiny data" limit: more than 4 points beyond the 4 (or 5, damped
    // stated) parameters of the model.
    let npars = 4 + usize::from(damped == Some(true));
    check::series(y, npars + 5)?;
    select(y, &candidates_for(damped, spec), h)
}

/// Holt–Winters: A,A,A or M,A,M, damped and/or not.
pub(super) fn holt_winters(
    y: &[f64],
    m: usize,
    seasonality: Seasonality,
    damped: Option<bool>,
    h: usize,
) -> Result<Fit> {
    if m < 2 {
        return Err(Error::invalid_parameter(
            "season_length",
            format!("must be at least 2 for Holt-Winters, got {m}"),
        ));
    }
    let npars = 6 + usize::from(damped == Some(true));
    check::series(y, (npars + 5).max(m + 1))?;
    let comp = match seasonality {
        Seasonality::Additive => Component::Additive,
        Seasonality::Multiplicative => {
            require_positive(y, "multiplicative seasonality")?;
            Component::Multiplicative
        }
    };
    let spec = |d| EtsSpec {
        error: comp,
        trend: Component::Additive,
        season: comp,
        damped: d,
        season_length: m,
    };
    select(y, &candidates_for(damped, spec), h)
}

/// Automatic ETS over every admissible model (statsforecast `AutoETS(model="ZZZ")`).
pub(super) fn auto(y: &[f64], m: usize, h: usize) -> Result<Fit> {
    if m == 0 {
        return Err(Error::invalid_parameter(
            "season_length",
            "must be at least 1",
        ));
    }
    check::series(y, 7)?;
    // Seasonal models need more than one season of data; otherwise non-seasonal only.
    let seasonal = m > 1 && y.len() > m;
    let positive = y.iter().all(|v| *v > 0.0);
    let mut cands = Vec::new();
    for error in [Component::Additive, Component::Multiplicative] {
        for trend in [Component::None, Component::Additive] {
            for season in [
                Component::None,
                Component::Additive,
                Component::Multiplicative,
            ] {
                for damped in [true, false] {
                    if trend == Component::None && damped {
                        continue;
                    }
                    // statsforecast's `restrict`: additive errors with multiplicative
                    // seasonality are numerically unstable.
                    if error == Component::Additive && season == Component::Multiplicative {
                        continue;
                    }
                    if !positive
                        && (error == Component::Multiplicative
                            || season == Component::Multiplicative)
                    {
                        continue;
                    }
                    if season != Component::None && !seasonal {
                        continue;
                    }
                    let season_length = if season == Component::None { 1 } else { m };
                    cands.push(EtsSpec {
                        error,
                        trend,
                        season,
                        damped,
                        season_length,
                    });
                }
            }
        }
    }
    select(y, &cands, h)
}

/// A fixed-parameter run: no optimisation.
pub(super) fn fixed(y: &[f64], spec: &EtsSpec, params: &EtsParams, h: usize) -> Result<Fit> {
    validate_spec(spec)?;
    if spec.error == Component::Multiplicative {
        require_positive(y, "a multiplicative error")?;
    }
    if spec.season == Component::Multiplicative {
        require_positive(y, "multiplicative seasonality")?;
    }
    let (sm, init) = validate_params(spec, params)?;
    let r = run(y, spec, sm, &init);
    // Counted as statsforecast counts an estimated model, so criteria are comparable.
    let n_params = smoothing_count(spec) + state_count(spec) + 1;
    let fit = ets_fit(*spec, params.clone(), r.lik, y.len(), n_params);
    Ok(Fit {
        mean: forecast_from(spec, &r.last, sm.phi, h),
        fitted: r.one_step.into_iter().map(Some).collect(),
        params: Params::Ets(fit),
    })
}

/// The damped and/or undamped variants of a model, damped first (statsforecast's order,
/// which decides ties).
fn candidates_for(damped: Option<bool>, spec: impl Fn(bool) -> EtsSpec) -> Vec<EtsSpec> {
    match damped {
        Some(d) => vec![spec(d)],
        None => vec![spec(true), spec(false)],
    }
}

/// Fits every candidate and forecasts with the one of lowest AICc.
fn select(y: &[f64], cands: &[EtsSpec], h: usize) -> Result<Fit> {
    // statsforecast's exact test for a constant series.
    #[allow(clippy::float_cmp)]
    let is_constant = y.iter().all(|v| *v == y[0]);
    if is_constant {
        return Ok(constant(y, h));
    }
    let mut bounds = Bounds::new();
    let mut best: Option<(EtsFit, Run, Smoothing)> = None;
    for spec in cands {
        let Some((fit, r, sm)) = fit_model(y, spec, &mut bounds)? else {
            continue;
        };
        if fit.aicc.is_nan() {
            continue;
        }
        if best.as_ref().is_none_or(|(b, _, _)| fit.aicc < b.aicc) {
            best = Some((fit, r, sm));
        }
    }
    let Some((fit, r, sm)) = best else {
        return Err(Error::invalid_parameter(
            "series",
            format!(
                "too short to fit an ETS model: {} values for up to {} parameters",
                y.len(),
                max_params(cands)
            ),
        ));
    };
    Ok(Fit {
        mean: forecast_from(&fit.spec, &r.last, sm.phi, h),
        fitted: r.one_step.into_iter().map(Some).collect(),
        params: Params::Ets(fit),
    })
}

fn max_params(cands: &[EtsSpec]) -> usize {
    cands
        .iter()
        .map(|s| smoothing_count(s) + state_count(s))
        .max()
        .unwrap_or(0)
}

/// A constant series: statsforecast fits simple exponential smoothing with α = 0.9999
/// whatever model was asked for; the level is the constant.
fn constant(y: &[f64], h: usize) -> Fit {
    let spec = EtsSpec {
        error: Component::Additive,
        trend: Component::None,
        season: Component::None,
        damped: false,
        season_length: 1,
    };
    let params = EtsParams {
        alpha: 0.9999,
        beta: None,
        gamma: None,
        phi: None,
        level: y[0],
        slope: None,
        seasonal: Vec::new(),
    };
    let sm = Smoothing {
        alpha: 0.9999,
        beta: 0.0,
        gamma: 0.0,
        phi: 1.0,
    };
    let init = State {
        level: y[0],
        slope: 0.0,
        season: Vec::new(),
    };
    let r = run(y, &spec, sm, &init);
    // alpha (held fixed but counted by statsforecast), level, variance.
    let fit = ets_fit(spec, params, r.lik, y.len(), 3);
    Fit {
        mean: forecast_from(&spec, &r.last, 1.0, h),
        fitted: r.one_step.into_iter().map(Some).collect(),
        params: Params::Ets(fit),
    }
}

/// Number of smoothing constants the optimiser estimates.
fn smoothing_count(spec: &EtsSpec) -> usize {
    1 + usize::from(spec.trend != Component::None)
        + usize::from(spec.season != Component::None)
        + usize::from(spec.damped)
}

/// Number of free initial states (the last seasonal state follows from the others).
fn state_count(spec: &EtsSpec) -> usize {
    1 + usize::from(spec.trend != Component::None)
        + if spec.season == Component::None {
            0
        } else {
            spec.season_length - 1
        }
}

/// Information criteria from `lik` (minus twice the log-likelihood up to a constant).
fn ets_fit(spec: EtsSpec, params: EtsParams, lik: f64, n: usize, n_params: usize) -> EtsFit {
    let np = n_params as f64;
    let nf = n as f64;
    let aic = lik + 2.0 * np;
    let bic = lik + nf.ln() * np;
    // n - np - 1 in whole numbers, so the zero test is exact.
    let dof = n as i64 - n_params as i64 - 1;
    let aicc = if dof == 0 {
        f64::INFINITY
    } else {
        aic + 2.0 * np * (np + 1.0) / dof as f64
    };
    EtsFit {
        spec,
        params,
        loglik: -0.5 * lik,
        aic,
        aicc,
        bic,
        n_params,
    }
}

/// Fits one model by Nelder–Mead on the likelihood. `None` when the model has too many
/// parameters for the series (statsforecast gives it an infinite AIC and moves on).
fn fit_model(
    y: &[f64],
    spec: &EtsSpec,
    bounds: &mut Bounds,
) -> Result<Option<(EtsFit, Run, Smoothing)>> {
    let m = if spec.season == Component::None {
        1
    } else {
        spec.season_length
    };
    let has_trend = spec.trend != Component::None;
    let has_season = spec.season != Component::None;
    // Starting values (statsforecast's `initparam`), which also narrow the bounds.
    let (lo, up) = (&mut bounds.lower, &mut bounds.upper);
    let mut alpha0 = lo[0] + 0.2 * (up[0] - lo[0]) / m as f64;
    if !(0.0..=1.0).contains(&alpha0) {
        alpha0 = lo[0] + 2e-3;
    }
    let mut x0 = vec![alpha0];
    let mut lower = vec![lo[0]];
    let mut upper = vec![up[0]];
    if has_trend {
        up[1] = up[1].min(alpha0);
        let mut beta0 = lo[1] + 0.1 * (up[1] - lo[1]);
        if beta0 < 0.0 || beta0 > alpha0 {
            beta0 = alpha0 - 1e-3;
        }
        x0.push(beta0);
        lower.push(lo[1]);
        upper.push(up[1]);
    }
    if has_season {
        up[2] = up[2].min(1.0 - alpha0);
        let mut gamma0 = lo[2] + 0.05 * (up[2] - lo[2]);
        if gamma0 < 0.0 || gamma0 > 1.0 - alpha0 {
            gamma0 = 1.0 - alpha0 - 1e-3;
        }
        x0.push(gamma0);
        lower.push(lo[2]);
        upper.push(up[2]);
    }
    if spec.damped {
        let mut phi0 = lo[3] + 0.99 * (up[3] - lo[3]);
        if !(0.0..=1.0).contains(&phi0) {
            phi0 = up[3] - 1e-3;
        }
        x0.push(phi0);
        lower.push(lo[3]);
        upper.push(up[3]);
    }
    let n_smooth = x0.len();
    let init = initial_state(y, spec)?;
    x0.push(init.level);
    if has_trend {
        x0.push(init.slope);
    }
    // The free seasonal states: all but the oldest, which makes them sum to 0 (or m).
    x0.extend_from_slice(&init.season[..init.season.len().saturating_sub(1)]);
    lower.resize(x0.len(), f64::NEG_INFINITY);
    upper.resize(x0.len(), f64::INFINITY);
    if x0.len() + 1 >= y.len() {
        return Ok(None);
    }
    let objective = |x: &[f64]| {
        let (sm, st) = decode(spec, x, n_smooth);
        if spec.season == Component::Multiplicative && st.season.iter().any(|s| *s < 0.0) {
            return f64::INFINITY;
        }
        let lik = run(y, spec, sm, &st).lik.max(-1e10);
        // statsforecast turns NaN into -inf, which the minimiser would then prefer; a
        // NaN here means the parameters broke the recursion, so rank them worst.
        if lik.is_nan() { f64::INFINITY } else { lik }
    };
    let best = nelder_mead(objective, &x0, &lower, &upper);
    let (sm, st) = decode(spec, &best, n_smooth);
    let r = run(y, spec, sm, &st);
    let params = EtsParams {
        alpha: sm.alpha,
        beta: has_trend.then_some(sm.beta),
        gamma: has_season.then_some(sm.gamma),
        phi: spec.damped.then_some(sm.phi),
        level: st.level,
        slope: has_trend.then_some(st.slope),
        seasonal: st.season,
    };
    let fit = ets_fit(*spec, params, r.lik, y.len(), x0.len() + 1);
    Ok(Some((fit, r, sm)))
}

/// Splits an optimiser vector into smoothing constants and the initial state, deriving
/// the oldest seasonal state so the seasonal states sum to 0 (additive) or m
/// (multiplicative).
fn decode(spec: &EtsSpec, x: &[f64], n_smooth: usize) -> (Smoothing, State) {
    let has_trend = spec.trend != Component::None;
    let mut j = 1;
    let alpha = x[0];
    let beta = if has_trend {
        j += 1;
        x[j - 1]
    } else {
        0.0
    };
    let gamma = if spec.season == Component::None {
        0.0
    } else {
        j += 1;
        x[j - 1]
    };
    let phi = if spec.damped {
        j += 1;
        x[j - 1]
    } else {
        1.0
    };
    debug_assert_eq!(j, n_smooth);
    let level = x[n_smooth];
    let slope = if has_trend { x[n_smooth + 1] } else { 0.0 };
    let s_start = n_smooth + 1 + usize::from(has_trend);
    let mut season: Vec<f64> = x[s_start..].to_vec();
    if spec.season != Component::None {
        let target = if spec.season == Component::Multiplicative {
            spec.season_length as f64
        } else {
            0.0
        };
        let sum: f64 = season.iter().sum();
        season.push(target - sum);
    }
    (
        Smoothing {
            alpha,
            beta,
            gamma,
            phi,
        },
        State {
            level,
            slope,
            season,
        },
    )
}

/// Bounded Nelder–Mead as statsforecast runs it: adaptive coefficients, a first simplex
/// of 5 % steps (1e-4 from zero), every trial point clamped into the box, stop when the
/// spread of the simplex values falls below 1e-4 or after 1,000 iterations.
fn nelder_mead(
    mut f: impl FnMut(&[f64]) -> f64,
    x: &[f64],
    lower: &[f64],
    upper: &[f64],
) -> Vec<f64> {
    let n = x.len();
    let clamp = |v: &mut [f64]| {
        for (i, vi) in v.iter_mut().enumerate() {
            *vi = vi.max(lower[i]).min(upper[i]);
        }
    };
    let nf = n as f64;
    let (refl, expand, contract, shrink) =
        (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let mut x0 = x.to_vec();
    clamp(&mut x0);
    let mut simplex: Vec<Vec<f64>> = vec![x0; n + 1];
    for (i, row) in simplex.iter_mut().enumerate().take(n) {
        let v = row[i];
        let v = if v == 0.0 {
            NM_ZERO_PERT
        } else {
            v * (1.0 + NM_INIT_STEP)
        };
        row[i] = v.max(lower[i]).min(upper[i]);
    }
    let mut fs: Vec<f64> = simplex.iter().map(|r| f(r)).collect();
    let mut best_idx = 0;
    let mut order: Vec<usize> = (0..=n).collect();
    let mut centroid = vec![0.0; n];
    let mut trial = vec![0.0; n];
    for _ in 0..NM_ITER_MAX {
        order.sort_by(|a, b| {
            fs[*a]
                .partial_cmp(&fs[*b])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        best_idx = order[0];
        let worst = order[n];
        let second_worst = order[n - 1];
        if std_dev(&fs) < NM_TOL_STD {
            break;
        }
        for (c, col) in centroid.iter_mut().enumerate() {
            let sum: f64 = simplex.iter().map(|r| r[c]).sum();
            *col = (sum - simplex[worst][c]) / nf;
        }
        let point = |coef: f64, out: &mut Vec<f64>, base: &[f64]| {
            for i in 0..n {
                out[i] = centroid[i] + coef * (base[i] - centroid[i]);
            }
        };
        // Reflection.
        let mut xr = vec![0.0; n];
        for i in 0..n {
            xr[i] = centroid[i] + refl * (centroid[i] - simplex[worst][i]);
        }
        clamp(&mut xr);
        let fr = f(&xr);
        if fs[best_idx] <= fr && fr < fs[second_worst] {
            simplex[worst] = xr;
            fs[worst] = fr;
            continue;
        }
        // Expansion.
        if fr < fs[best_idx] {
            point(expand, &mut trial, &xr);
            clamp(&mut trial);
            let fe = f(&trial);
            if fe < fr {
                simplex[worst].copy_from_slice(&trial);
                fs[worst] = fe;
            } else {
                simplex[worst] = xr;
                fs[worst] = fr;
            }
            continue;
        }
        // Contraction, outside or inside.
        if fs[second_worst] <= fr && fr < fs[worst] {
            point(contract, &mut trial, &xr);
            clamp(&mut trial);
            let fc = f(&trial);
            if fc <= fr {
                simplex[worst].copy_from_slice(&trial);
                fs[worst] = fc;
                continue;
            }
        } else {
            point(-contract, &mut trial, &xr);
            clamp(&mut trial);
            let fc = f(&trial);
            if fc < fs[worst] {
                simplex[worst].copy_from_slice(&trial);
                fs[worst] = fc;
                continue;
            }
        }
        // Shrink towards the best point.
        let best = simplex[best_idx].clone();
        for (j, row) in simplex.iter_mut().enumerate() {
            if j == best_idx {
                continue;
            }
            for i in 0..n {
                row[i] = best[i] + shrink * (row[i] - best[i]);
            }
            clamp(row);
            fs[j] = f(row);
        }
    }
    simplex.swap_remove(best_idx)
}

/// Population standard deviation (NaN if any value is infinite, which keeps the
/// optimiser going, as in statsforecast).
fn std_dev(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt()
}

/// Initial states from the data (statsforecast's `initstate`): seasonal indices from a
/// classical decomposition (a linear-plus-Fourier regression when there are fewer than
/// three seasons), then level and slope from a regression on the first
/// `max(10, 2m)` seasonally adjusted values.
fn initial_state(y: &[f64], spec: &EtsSpec) -> Result<State> {
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
fn linear_fit(v: &[f64]) -> (f64, f64) {
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
fn decompose_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    let filt: Vec<f64> = if m % 2 == 0 {
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
fn fourier_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
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
fn least_squares(rows: &[Vec<f64>], y: &[f64], cols: usize) -> Vec<f64> {
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

/// Every value strictly positive, or an error naming what needs it.
fn require_positive(y: &[f64], what: &str) -> Result<()> {
    match y.iter().position(|v| *v <= 0.0) {
        Some(i) => Err(Error::invalid_parameter(
            "series",
            format!(
                "{what} needs every value above zero; value at index {i} is {}",
                y[i]
            ),
        )),
        None => Ok(()),
    }
}

/// Checks the components of a caller-given model.
fn validate_spec(spec: &EtsSpec) -> Result<()> {
    if spec.error == Component::None {
        return Err(Error::invalid_parameter(
            "spec.error",
            "must be additive or multiplicative",
        ));
    }
    if spec.trend == Component::Multiplicative {
        return Err(Error::invalid_parameter(
            "spec.trend",
            "must be none or additive",
        ));
    }
    if spec.damped && spec.trend == Component::None {
        return Err(Error::invalid_parameter(
            "spec.damped",
            "a damped model needs a trend",
        ));
    }
    if spec.season != Component::None && spec.season_length < 2 {
        return Err(Error::invalid_parameter(
            "spec.season_length",
            format!(
                "must be at least 2 with seasonality, got {}",
                spec.season_length
            ),
        ));
    }
    Ok(())
}

/// Checks caller-given parameters against the model and turns them into recursion inputs.
fn validate_params(spec: &EtsSpec, p: &EtsParams) -> Result<(Smoothing, State)> {
    check::finite("params.alpha", p.alpha)?;
    if !(p.alpha > 0.0 && p.alpha <= 1.0) {
        return Err(Error::invalid_parameter(
            "params.alpha",
            format!("must be in (0, 1], got {}", p.alpha),
        ));
    }
    let has_trend = spec.trend != Component::None;
    let has_season = spec.season != Component::None;
    let beta = present("params.beta", p.beta, has_trend, "a trend")?;
    let gamma = present("params.gamma", p.gamma, has_season, "seasonality")?;
    let phi = present("params.phi", p.phi, spec.damped, "a damped trend")?;
    let slope = present("params.slope", p.slope, has_trend, "a trend")?;
    if let Some(b) = beta {
        check::in_range("params.beta", b, 0.0, 1.0)?;
    }
    if let Some(g) = gamma {
        check::in_range("params.gamma", g, 0.0, 1.0)?;
    }
    if let Some(f) = phi {
        check::finite("params.phi", f)?;
        if !(f > 0.0 && f <= 1.0) {
            return Err(Error::invalid_parameter(
                "params.phi",
                format!("must be in (0, 1], got {f}"),
            ));
        }
    }
    check::finite("params.level", p.level)?;
    if let Some(s) = slope {
        check::finite("params.slope", s)?;
    }
    let m_expected = if has_season { spec.season_length } else { 0 };
    if p.seasonal.len() != m_expected {
        return Err(Error::invalid_parameter(
            "params.seasonal",
            format!(
                "needs {m_expected} values for this model, got {}",
                p.seasonal.len()
            ),
        ));
    }
    for s in &p.seasonal {
        check::finite("params.seasonal", *s)?;
    }
    let sm = Smoothing {
        alpha: p.alpha,
        beta: beta.unwrap_or(0.0),
        gamma: gamma.unwrap_or(0.0),
        phi: phi.unwrap_or(1.0),
    };
    let st = State {
        level: p.level,
        slope: slope.unwrap_or(0.0),
        season: p.seasonal.clone(),
    };
    Ok((sm, st))
}

/// An optional parameter that must be given exactly when the model has the feature.
fn present(name: &str, v: Option<f64>, needed: bool, feature: &str) -> Result<Option<f64>> {
    match (v, needed) {
        (Some(_), true) | (None, false) => Ok(v),
        (None, true) => Err(Error::invalid_parameter(
            name,
            format!("is required by a model with {feature}"),
        )),
        (Some(_), false) => Err(Error::invalid_parameter(
            name,
            format!("is only allowed for a model with {feature}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_minimises_a_bounded_quadratic() {
        let f = |x: &[f64]| (x[0] - 0.3).powi(2) + 10.0 * (x[1] + 2.0).powi(2);
        let x = nelder_mead(f, &[0.5, 1.0], &[0.0, -1.0], &[1.0, 5.0]);
        // x[1] is held at its lower bound -1; x[0] reaches 0.3 within the stopping rule.
        assert!((x[0] - 0.3).abs() < 0.05, "{x:?}");
        assert!((x[1] + 1.0).abs() < 1e-3, "{x:?}");
    }

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
