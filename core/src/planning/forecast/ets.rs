//! ETS (error, trend, seasonal) state-space models: Holt, Holt–Winters, automatic ETS and
//! fixed-parameter runs.
//!
//! A port of statsforecast 2.1.1's `ets.py` / `ets.cpp`, itself a mirror of R's
//! `forecast::ets`: the same recursions (error-correction form, β = α·β*, seasonal states
//! most recent first), the same initial states (classical decomposition, or a Fourier
//! regression for short series), the same starting values and bounds, and the same
//! bounded Nelder–Mead on the same likelihood, so that fits land where statsforecast's
//! land. Multiplicative trends are not offered (statsforecast leaves them out by default).

mod init;
mod optimize;
mod variance;

pub(super) use variance::variances;

use super::{
    Component, EtsBounds, EtsFit, EtsParams, EtsSpec, Fit, ModelState, Params, Seasonality,
};
use crate::error::{Error, Result};
use crate::planning::check;
use init::initial_state;
use optimize::nelder_mead;

/// Below this magnitude a divisor counts as zero (statsforecast's `TOL`).
const TOL: f64 = 1e-10;
/// What a division by a near-zero state gives instead of infinity.
const HUGE_N: f64 = 1e10;

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

impl From<EtsBounds> for Bounds {
    fn from(b: EtsBounds) -> Self {
        Bounds {
            lower: b.lower,
            upper: b.upper,
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
    /// Sum of squared one-step errors (relative errors under a multiplicative error).
    sse: f64,
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
fn update_state(spec: &EtsSpec, st: &mut State, sm: Smoothing, obs: f64) {
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
        update_state(spec, &mut st, sm, obs);
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
        sse,
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
pub(super) fn holt(y: &[f64], damped: Option<bool>, h: usize, bounds: EtsBounds) -> Result<Fit> {
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
    select(y, &candidates_for(damped, spec), h, bounds)
}

/// Holt–Winters: A,A,A or M,A,M, damped and/or not.
pub(super) fn holt_winters(
    y: &[f64],
    m: usize,
    seasonality: Seasonality,
    damped: Option<bool>,
    h: usize,
    bounds: EtsBounds,
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
    select(y, &candidates_for(damped, spec), h, bounds)
}

/// Automatic ETS over every admissible model (statsforecast `AutoETS(model="ZZZ")`).
pub(super) fn auto(y: &[f64], m: usize, h: usize, bounds: EtsBounds) -> Result<Fit> {
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
    select(y, &cands, h, bounds)
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
    Ok(finish(fit, &r, sm, y.len(), h))
}

/// The fit of a model: forecasts from its last state, its one-step fitted values, and
/// the state itself with statsforecast's error variance σ² = SSE / (n − k − 1), k the
/// number of parameters counted with the variance.
fn finish(fit: EtsFit, r: &Run, sm: Smoothing, n: usize, h: usize) -> Fit {
    let spec = fit.spec;
    let dof = n as i64 - fit.n_params as i64 - 1;
    let state = ModelState {
        spec,
        params: state_params(&spec, sm, &r.last),
        sigma2: (dof > 0).then(|| r.sse / dof as f64),
    };
    Fit {
        mean: forecast_from(&spec, &r.last, sm.phi, h),
        fitted: r.one_step.iter().copied().map(Some).collect(),
        params: Params::Ets(fit),
        state: Some(state),
    }
}

/// Smoothing constants and a state as [`EtsParams`], each present exactly when the model
/// has the feature.
fn state_params(spec: &EtsSpec, sm: Smoothing, st: &State) -> EtsParams {
    let has_trend = spec.trend != Component::None;
    let has_season = spec.season != Component::None;
    EtsParams {
        alpha: sm.alpha,
        beta: has_trend.then_some(sm.beta),
        gamma: has_season.then_some(sm.gamma),
        phi: spec.damped.then_some(sm.phi),
        level: st.level,
        slope: has_trend.then_some(st.slope),
        seasonal: if has_season {
            st.season.clone()
        } else {
            Vec::new()
        },
    }
}

/// Moves a model state past `obs` and forecasts `h` periods from there.
pub(super) fn update(state: &ModelState, obs: &[f64], h: usize) -> Result<(Vec<f64>, ModelState)> {
    let spec = &state.spec;
    validate_spec(spec)?;
    if spec.error == Component::Multiplicative {
        require_positive(obs, "a multiplicative error")?;
    }
    if spec.season == Component::Multiplicative {
        require_positive(obs, "multiplicative seasonality")?;
    }
    let (sm, mut st) = validate_params(spec, &state.params)?;
    if let Some(s2) = state.sigma2 {
        check::non_negative("state.sigma2", s2)?;
    }
    for &v in obs {
        update_state(spec, &mut st, sm, v);
    }
    let mean = forecast_from(spec, &st, sm.phi, h);
    if let Some(bad) = mean.iter().find(|v| !v.is_finite()) {
        return Err(Error::invalid_parameter(
            "state",
            format!("the state gives a non-finite forecast ({bad})"),
        ));
    }
    Ok((
        mean,
        ModelState {
            spec: *spec,
            params: state_params(spec, sm, &st),
            sigma2: state.sigma2,
        },
    ))
}

/// Smoothing constants of the textbook component form of Holt–Winters.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextbookSmoothing {
    pub alpha: f64,
    pub beta_star: f64,
    pub gamma: f64,
    pub phi: Option<f64>,
}

impl TextbookSmoothing {
    /// Checks the constants and turns them into the ETS form (β = α·β*).
    fn ets(self, seasonal: bool) -> Result<Smoothing> {
        check::finite("alpha", self.alpha)?;
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            return Err(Error::invalid_parameter(
                "alpha",
                format!("must be in (0, 1], got {}", self.alpha),
            ));
        }
        check::in_range("beta_star", self.beta_star, 0.0, 1.0)?;
        if seasonal {
            check::in_range("gamma", self.gamma, 0.0, 1.0 - self.alpha)?;
        }
        if let Some(phi) = self.phi {
            check::finite("phi", phi)?;
            if !(phi > 0.0 && phi <= 1.0) {
                return Err(Error::invalid_parameter(
                    "phi",
                    format!("must be in (0, 1], got {phi}"),
                ));
            }
        }
        Ok(Smoothing {
            alpha: self.alpha,
            beta: self.alpha * self.beta_star,
            gamma: if seasonal { self.gamma } else { 0.0 },
            phi: self.phi.unwrap_or(1.0),
        })
    }
}

/// Holt with fixed textbook constants; the initial level and slope estimated.
pub(super) fn holt_fixed(
    y: &[f64],
    alpha: f64,
    beta_star: f64,
    phi: Option<f64>,
    h: usize,
) -> Result<Fit> {
    let sm = TextbookSmoothing {
        alpha,
        beta_star,
        gamma: 0.0,
        phi,
    }
    .ets(false)?;
    let spec = EtsSpec {
        error: Component::Additive,
        trend: Component::Additive,
        season: Component::None,
        damped: phi.is_some(),
        season_length: 1,
    };
    // Two states and the variance, and more than four points beyond them.
    check::series(y, 3 + 4)?;
    fit_states(y, &spec, sm, h)
}

/// Holt–Winters with fixed textbook constants; the initial states estimated.
pub(super) fn holt_winters_fixed(
    y: &[f64],
    m: usize,
    seasonality: Seasonality,
    smoothing: TextbookSmoothing,
    h: usize,
) -> Result<Fit> {
    if m < 2 {
        return Err(Error::invalid_parameter(
            "season_length",
            format!("must be at least 2 for Holt-Winters, got {m}"),
        ));
    }
    let sm = smoothing.ets(true)?;
    let comp = match seasonality {
        Seasonality::Additive => Component::Additive,
        Seasonality::Multiplicative => {
            require_positive(y, "multiplicative seasonality")?;
            Component::Multiplicative
        }
    };
    let spec = EtsSpec {
        error: comp,
        trend: Component::Additive,
        season: comp,
        damped: smoothing.phi.is_some(),
        season_length: m,
    };
    // R's "tiny data" limit with the smoothing constants given: more than 4 points beyond
    // the level, slope and seasonal parameters; and more than one season.
    check::series(y, (m + 1).max(8))?;
    fit_states(y, &spec, sm, h)
}

/// Fits the initial states of a model whose smoothing constants are fixed, by the same
/// Nelder–Mead on the same likelihood as a full fit, from the same starting states.
/// Parameters are counted as R's `forecast::ets` counts them when smoothing constants
/// are given: the free states and the variance only.
fn fit_states(y: &[f64], spec: &EtsSpec, sm: Smoothing, h: usize) -> Result<Fit> {
    let init = initial_state(y, spec)?;
    let mut x0 = vec![init.level];
    if spec.trend != Component::None {
        x0.push(init.slope);
    }
    x0.extend_from_slice(&init.season[..init.season.len().saturating_sub(1)]);
    if x0.len() + 1 >= y.len() {
        return Err(Error::invalid_parameter(
            "series",
            format!(
                "too short to estimate {} initial states: {} values",
                x0.len(),
                y.len()
            ),
        ));
    }
    let lower = vec![f64::NEG_INFINITY; x0.len()];
    let upper = vec![f64::INFINITY; x0.len()];
    let decode_states = |x: &[f64]| {
        let mut full = vec![sm.alpha];
        if spec.trend != Component::None {
            full.push(sm.beta);
        }
        if spec.season != Component::None {
            full.push(sm.gamma);
        }
        if spec.damped {
            full.push(sm.phi);
        }
        let n_smooth = full.len();
        full.extend_from_slice(x);
        decode(spec, &full, n_smooth).1
    };
    let objective = |x: &[f64]| {
        let st = decode_states(x);
        if spec.season == Component::Multiplicative && st.season.iter().any(|s| *s < 0.0) {
            return f64::INFINITY;
        }
        let lik = run(y, spec, sm, &st).lik.max(-1e10);
        if lik.is_nan() { f64::INFINITY } else { lik }
    };
    let best = nelder_mead(objective, &x0, &lower, &upper);
    let st = decode_states(&best);
    let r = run(y, spec, sm, &st);
    let params = state_params(spec, sm, &st);
    let fit = ets_fit(*spec, params, r.lik, y.len(), x0.len() + 1);
    Ok(finish(fit, &r, sm, y.len(), h))
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
fn select(y: &[f64], cands: &[EtsSpec], h: usize, bounds: EtsBounds) -> Result<Fit> {
    // statsforecast's exact test for a constant series.
    #[allow(clippy::float_cmp)]
    let is_constant = y.iter().all(|v| *v == y[0]);
    if is_constant {
        return Ok(constant(y, h));
    }
    let mut bounds = Bounds::from(bounds);
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
    Ok(finish(fit, &r, sm, y.len(), h))
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
    finish(fit, &r, sm, y.len(), h)
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
