//! Demand forecasting over a plain `&[f64]` history, one value per period.
//!
//! Owns the forecasting methods, their result type, the demand classification
//! (Syntetos–Boylan) and the automatic choice of a method by holdout error. Every method
//! follows the definitions of Nixtla statsforecast 2.1.1 so that its numbers can be
//! checked against that library (see `tests/planning_reference.rs`): the same
//! initialisation, the same smoothing recursions, the same optimiser bounds.
//!
//! A forecast carries, besides the point forecasts, the standard deviation of the
//! one-step in-sample errors ([`Accuracy::sigma`]); that is the per-period demand
//! uncertainty that [`crate::planning::policy`] turns into safety stock.

mod auto;
mod ets;
mod intermittent;
mod intervals;
mod simple;

use serde::{Deserialize, Serialize};

use super::check;
use crate::error::Result;

pub use auto::{
    ADI_CUTOFF, AutoForecast, CV2_CUTOFF, Candidate, DemandClass, DemandPattern, auto_forecast,
    auto_forecast_with, classify,
};
pub(crate) use intervals::check_levels;
pub use intervals::{LEVELS_MAX, has_intervals};

/// A forecasting method and its fixed settings.
///
/// Serialised in serde's external tagging with snake_case names, so a binding names a
/// method without settings by a plain string (`"croston_sba"`) and one with settings by a
/// one-key map (`{"ses": {"alpha": 0.3}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Method {
    /// The last value, repeated.
    Naive,
    /// The value one season ago.
    SeasonalNaive {
        /// Periods per season (12 for monthly data with a yearly cycle).
        season_length: usize,
    },
    /// The mean of the whole history.
    HistoricAverage,
    /// The mean of the last `window` values.
    MovingAverage {
        /// How many of the most recent values are averaged.
        window: usize,
    },
    /// Simple exponential smoothing with a fixed smoothing constant; the level starts at
    /// the first value.
    Ses {
        /// Smoothing constant in `(0, 1]`.
        alpha: f64,
    },
    /// Simple exponential smoothing with the constant that minimises the one-step squared
    /// error, found by golden-section search on `[0.01, 0.99]`.
    SesOptimized,
    /// Holt's linear trend as the ETS model A,A,N (or A,Ad,N), fitted by maximum
    /// likelihood.
    Holt {
        /// `true` for a damped trend, `false` for a straight one, absent (`null`) to fit
        /// both and keep the one with the lower AICc.
        damped: Option<bool>,
    },
    /// Holt–Winters as an ETS model fitted by maximum likelihood: A,A,A for additive
    /// seasonality and M,A,M for multiplicative seasonality (statsforecast ties the error
    /// type to the seasonality).
    HoltWinters {
        /// Periods per season, at least 2.
        season_length: usize,
        /// Additive or multiplicative seasonality.
        seasonality: Seasonality,
        /// As for [`Method::Holt`].
        damped: Option<bool>,
    },
    /// Automatic ETS: every admissible error / trend / season combination is fitted and
    /// the one with the lowest AICc is kept (statsforecast's `AutoETS`, model `ZZZ`).
    AutoEts {
        /// Periods per season; 1 for non-seasonal models only.
        season_length: usize,
    },
    /// An ETS model with given smoothing constants and initial states, run without
    /// optimisation (the textbook recursions with the caller's numbers).
    EtsFixed {
        /// The model's components.
        spec: EtsSpec,
        /// Its smoothing constants and initial states.
        params: EtsParams,
    },
    /// Croston's method: sizes and intervals smoothed separately with α = 0.1.
    CrostonClassic,
    /// Croston with the Syntetos–Boylan approximation: 0.95 × Croston.
    CrostonSba,
    /// Croston with each smoothing constant chosen by golden-section search on
    /// `[0.1, 0.3]`. Takes at most 3,000 values: each fitted value re-optimises on the
    /// history before it.
    CrostonOptimized,
    /// Teunter–Syntetos–Babai: demand occurrence smoothed over every period, demand size
    /// over positive demands only, so the forecast decays after the last demand.
    Tsb {
        /// Smoothing constant of demand sizes, in `(0, 1]`.
        alpha_demand: f64,
        /// Smoothing constant of demand occurrence, in `(0, 1]`.
        alpha_probability: f64,
    },
    /// Aggregate–disaggregate intermittent demand approach: non-overlapping blocks of the
    /// mean inter-demand interval are summed, smoothed, and spread back. Takes at most
    /// 3,000 values, as [`Method::CrostonOptimized`].
    Adida,
    /// Intermittent multiple aggregation prediction algorithm: ADIDA averaged over the
    /// block lengths 1 to the mean inter-demand interval. Takes at most 3,000 values, as
    /// [`Method::CrostonOptimized`].
    Imapa,
    /// [`Method::SesOptimized`] with the search interval of the constant given.
    SesOptimizedWith {
        /// Where the constant is searched (default `[0.01, 0.99]`).
        bounds: SearchBounds,
    },
    /// [`Method::Holt`] with the optimiser's bounds given.
    HoltWith {
        /// As for [`Method::Holt`].
        damped: Option<bool>,
        /// Bounds of the smoothing constants.
        bounds: EtsBounds,
    },
    /// [`Method::HoltWinters`] with the optimiser's bounds given.
    HoltWintersWith {
        /// Periods per season, at least 2.
        season_length: usize,
        /// Additive or multiplicative seasonality.
        seasonality: Seasonality,
        /// As for [`Method::Holt`].
        damped: Option<bool>,
        /// Bounds of the smoothing constants.
        bounds: EtsBounds,
    },
    /// [`Method::AutoEts`] with the optimiser's bounds given.
    AutoEtsWith {
        /// Periods per season; 1 for non-seasonal models only.
        season_length: usize,
        /// Bounds of the smoothing constants.
        bounds: EtsBounds,
    },
    /// Holt's linear trend in the textbook component form with fixed smoothing constants
    /// (ℓₜ = αyₜ + (1−α)(ℓₜ₋₁ + φbₜ₋₁), bₜ = β*(ℓₜ − ℓₜ₋₁) + (1−β*)φbₜ₋₁); only the initial
    /// level and slope are estimated, by maximum likelihood as R's `forecast::ets` does
    /// when the smoothing parameters are given. Fitted as the ETS model A,A,N (A,Ad,N with
    /// `phi`), whose β is α·β*.
    HoltFixed {
        /// Level smoothing constant in `(0, 1]`.
        alpha: f64,
        /// Trend smoothing constant of the component form, in `[0, 1]`.
        beta_star: f64,
        /// Damping factor in `(0, 1]`; absent for a straight trend.
        #[serde(default)]
        phi: Option<f64>,
    },
    /// Holt–Winters in the textbook component form with fixed smoothing constants; only the
    /// initial level, slope and seasonal states are estimated (as for
    /// [`Method::HoltFixed`]). Fitted as A,A,A or M,A,M (damped with `phi`).
    HoltWintersFixed {
        /// Periods per season, at least 2.
        season_length: usize,
        /// Additive or multiplicative seasonality.
        seasonality: Seasonality,
        /// Level smoothing constant in `(0, 1]`.
        alpha: f64,
        /// Trend smoothing constant of the component form, in `[0, 1]`.
        beta_star: f64,
        /// Seasonal smoothing constant, in `[0, 1 − α]`.
        gamma: f64,
        /// Damping factor in `(0, 1]`; absent for a straight trend.
        #[serde(default)]
        phi: Option<f64>,
    },
    /// Croston's method with a given smoothing constant (for sizes and intervals alike).
    CrostonWith {
        /// The smoothing constant, in `(0, 1]` (classic Croston and SBA use 0.1).
        alpha: f64,
        /// Apply the Syntetos–Boylan approximation (× 0.95).
        #[serde(default)]
        sba: bool,
    },
    /// [`Method::CrostonOptimized`] with the search interval of the constants given.
    CrostonOptimizedWith {
        /// Where the constants are searched (default `[0.1, 0.3]`).
        bounds: SearchBounds,
    },
    /// [`Method::Adida`] with its aggregation level and/or search interval given.
    AdidaWith {
        /// Block length in periods (default: the mean inter-demand interval, rounded
        /// half to even); the fitted values then use this length throughout.
        #[serde(default)]
        aggregation_level: Option<usize>,
        /// Where the block-sum smoothing constant is searched (default `[0.1, 0.3]`).
        #[serde(default)]
        bounds: Option<SearchBounds>,
    },
    /// [`Method::Imapa`] with its largest aggregation level and/or search interval given.
    ImapaWith {
        /// Largest block length averaged over (default: the mean inter-demand interval,
        /// rounded half to even); the fitted values then use this length throughout.
        #[serde(default)]
        max_aggregation_level: Option<usize>,
        /// Where the block-sum smoothing constants are searched (default `[0.1, 0.3]`).
        #[serde(default)]
        bounds: Option<SearchBounds>,
    },
}

/// A search interval of a smoothing constant, inside `(0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBounds {
    /// Lower end, above zero.
    pub lower: f64,
    /// Upper end, above `lower` and at most 1.
    pub upper: f64,
}

impl SearchBounds {
    fn checked(self) -> Result<SearchBounds> {
        check::finite("bounds.lower", self.lower)?;
        check::finite("bounds.upper", self.upper)?;
        if !(self.lower > 0.0 && self.lower < self.upper && self.upper <= 1.0) {
            return Err(crate::error::Error::invalid_parameter(
                "bounds",
                format!(
                    "must satisfy 0 < lower < upper <= 1, got [{}, {}]",
                    self.lower, self.upper
                ),
            ));
        }
        Ok(self)
    }
}

/// Bounds of the ETS optimiser's smoothing constants, in the order α, β, γ, φ (β in the
/// ETS form α·β*), as statsforecast's `lower` / `upper`. The default is statsforecast's:
/// lower `[1e-4, 1e-4, 1e-4, 0.8]`, upper `[0.9999, 0.9999, 0.9999, 0.98]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EtsBounds {
    /// Lower bounds of α, β, γ, φ.
    pub lower: [f64; 4],
    /// Upper bounds of α, β, γ, φ.
    pub upper: [f64; 4],
}

impl Default for EtsBounds {
    fn default() -> Self {
        EtsBounds {
            lower: [1e-4, 1e-4, 1e-4, 0.8],
            upper: [0.9999, 0.9999, 0.9999, 0.98],
        }
    }
}

impl EtsBounds {
    fn checked(self) -> Result<EtsBounds> {
        for (i, name) in ["alpha", "beta", "gamma", "phi"].into_iter().enumerate() {
            let (lo, up) = (self.lower[i], self.upper[i]);
            check::finite("bounds.lower", lo)?;
            check::finite("bounds.upper", up)?;
            if !(lo > 0.0 && lo <= up && up <= 1.0) {
                return Err(crate::error::Error::invalid_parameter(
                    "bounds",
                    format!("{name} must satisfy 0 < lower <= upper <= 1, got [{lo}, {up}]"),
                ));
            }
        }
        Ok(self)
    }
}

impl Method {
    /// The method's snake_case name, as serialised.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Naive => "naive",
            Method::SeasonalNaive { .. } => "seasonal_naive",
            Method::HistoricAverage => "historic_average",
            Method::MovingAverage { .. } => "moving_average",
            Method::Ses { .. } => "ses",
            Method::SesOptimized => "ses_optimized",
            Method::Holt { .. } => "holt",
            Method::HoltWinters { .. } => "holt_winters",
            Method::AutoEts { .. } => "auto_ets",
            Method::EtsFixed { .. } => "ets_fixed",
            Method::CrostonClassic => "croston_classic",
            Method::CrostonSba => "croston_sba",
            Method::CrostonOptimized => "croston_optimized",
            Method::Tsb { .. } => "tsb",
            Method::Adida => "adida",
            Method::Imapa => "imapa",
            Method::SesOptimizedWith { .. } => "ses_optimized_with",
            Method::HoltWith { .. } => "holt_with",
            Method::HoltWintersWith { .. } => "holt_winters_with",
            Method::AutoEtsWith { .. } => "auto_ets_with",
            Method::HoltFixed { .. } => "holt_fixed",
            Method::HoltWintersFixed { .. } => "holt_winters_fixed",
            Method::CrostonWith { .. } => "croston_with",
            Method::CrostonOptimizedWith { .. } => "croston_optimized_with",
            Method::AdidaWith { .. } => "adida_with",
            Method::ImapaWith { .. } => "imapa_with",
        }
    }
}

/// The kind of seasonality of a Holt–Winters model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Seasonality {
    /// The seasonal effect is added to the level.
    Additive,
    /// The seasonal effect multiplies the level (needs strictly positive demand).
    Multiplicative,
}

/// The form of one ETS component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// The component is absent (not allowed for the error).
    None,
    /// Additive.
    Additive,
    /// Multiplicative (needs strictly positive demand; not supported for the trend).
    Multiplicative,
}

impl Component {
    fn letter(self) -> char {
        match self {
            Component::None => 'N',
            Component::Additive => 'A',
            Component::Multiplicative => 'M',
        }
    }
}

/// The components of an ETS (error, trend, seasonal) model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EtsSpec {
    /// Additive or multiplicative error.
    pub error: Component,
    /// No trend or an additive trend.
    pub trend: Component,
    /// No, additive or multiplicative seasonality.
    pub season: Component,
    /// Whether the trend is damped (only with a trend).
    pub damped: bool,
    /// Periods per season: at least 2 with seasonality, 1 without.
    pub season_length: usize,
}

impl EtsSpec {
    /// The model in statsforecast's four-letter notation: error, trend, season, then `D`
    /// for a damped trend or `N` (`"MAMN"`, `"AADN"`).
    pub fn code(&self) -> String {
        let mut s = String::with_capacity(4);
        s.push(self.error.letter());
        s.push(self.trend.letter());
        s.push(self.season.letter());
        s.push(if self.damped { 'D' } else { 'N' });
        s
    }
}

/// Smoothing constants and initial states of an ETS model, in the error-correction form
/// of Hyndman et al.: `beta` is α·β* of the textbook component form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EtsParams {
    /// Level smoothing constant.
    pub alpha: f64,
    /// Trend smoothing constant (ETS form, α·β*); present exactly when there is a trend.
    pub beta: Option<f64>,
    /// Seasonal smoothing constant; present exactly when there is seasonality.
    pub gamma: Option<f64>,
    /// Damping factor; present exactly when the trend is damped.
    pub phi: Option<f64>,
    /// Initial level.
    pub level: f64,
    /// Initial trend (slope); present exactly when there is a trend.
    pub slope: Option<f64>,
    /// Initial seasonal states, most recent first (the last one applies to the first
    /// observation); `season_length` values with seasonality, none without.
    pub seasonal: Vec<f64>,
}

/// A fitted ETS model: its components, parameters and information criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EtsFit {
    /// The model that was fitted (for a choice between models, the chosen one).
    pub spec: EtsSpec,
    /// Smoothing constants and initial states.
    pub params: EtsParams,
    /// Log-likelihood, up to the constant statsforecast also leaves out:
    /// `-0.5 * (n ln SSE + 2 Σ ln|ŷ|)`, the second term for multiplicative errors only.
    pub loglik: f64,
    /// Akaike information criterion.
    pub aic: f64,
    /// AIC corrected for small samples; the criterion models are chosen by.
    pub aicc: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Number of estimated parameters, the error variance included.
    pub n_params: usize,
}

/// One aggregation level of ADIDA or IMAPA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AggregationLevel {
    /// Block length in periods.
    pub level: usize,
    /// Smoothing constant found for the block sums.
    pub alpha: f64,
    /// Per-period forecast from this level (block forecast divided by the level).
    pub forecast: f64,
}

/// The parameters a method used, fitted or given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Params {
    /// The method has no parameters beyond those in its [`Method`].
    None,
    /// Simple exponential smoothing.
    Ses {
        /// The smoothing constant used.
        alpha: f64,
    },
    /// An ETS model.
    Ets(EtsFit),
    /// Croston-type methods.
    Croston {
        /// Smoothing constant of demand sizes.
        alpha_demand: f64,
        /// Smoothing constant of inter-demand intervals.
        alpha_interval: f64,
        /// Bias correction factor applied to the ratio (1, or 0.95 for SBA).
        factor: f64,
    },
    /// Teunter–Syntetos–Babai.
    Tsb {
        /// Smoothing constant of demand sizes.
        alpha_demand: f64,
        /// Smoothing constant of demand occurrence.
        alpha_probability: f64,
    },
    /// ADIDA (one level) and IMAPA (several levels, averaged).
    Aggregation {
        /// The levels used.
        levels: Vec<AggregationLevel>,
    },
}

/// In-sample accuracy of the one-step-ahead fitted values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Accuracy {
    /// Root mean square of the one-step in-sample errors `y[t] - fitted[t]`, taken about
    /// zero so that a biased method is charged for its bias: the standard deviation of
    /// demand around the forecast that safety stock must cover (statsforecast's `sigma`).
    pub sigma: f64,
    /// Mean absolute one-step error.
    pub mae: f64,
    /// Mean absolute scaled error: `mae` over the mean absolute change between
    /// consecutive values; `None` for a constant series, where that scale is zero.
    pub mase: Option<f64>,
    /// How many periods have a fitted value and so enter the measures.
    pub n: usize,
}

/// A prediction interval at one level: for each horizon step, the bounds between which
/// the demand falls with that probability under the model's normal errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// The level in percent, in `(0, 100)` (80: the 10 % and 90 % quantiles).
    pub level: f64,
    /// Lower bound per horizon step.
    pub lower: Vec<f64>,
    /// Upper bound per horizon step.
    pub upper: Vec<f64>,
}

/// The state an exponential-smoothing model ends in after its last observation: enough to
/// forecast, give intervals and take in new observations without refitting
/// ([`update_forecast`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelState {
    /// The model (simple exponential smoothing is A,N,N).
    pub spec: EtsSpec,
    /// Its smoothing constants (ETS form) and its states after the last observation:
    /// level, slope and seasonal states (most recent first).
    pub params: EtsParams,
    /// Variance of the one-step errors (relative errors under a multiplicative error),
    /// which the prediction intervals scale; `None` when the fit left no degree of
    /// freedom for it.
    pub sigma2: Option<f64>,
}

/// The result of a forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Forecast {
    /// The method as asked for.
    pub method: Method,
    /// Point forecasts for the next `horizon` periods.
    pub mean: Vec<f64>,
    /// One-step-ahead in-sample forecasts, one per observation; `None` where the method
    /// has none (the first period, or the first season).
    pub fitted: Vec<Option<f64>>,
    /// The parameters used.
    pub params: Params,
    /// One-step in-sample error measures.
    pub accuracy: Accuracy,
    /// Prediction intervals, one per level asked for, in the order asked (none unless
    /// levels were asked for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<Interval>,
    /// The final state of an exponential-smoothing model (SES, Holt, Holt–Winters, ETS),
    /// from which [`update_forecast`] goes on; absent for the other methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ModelState>,
}

/// A forecast from a model state moved past new observations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StateForecast {
    /// Point forecasts for the next `horizon` periods after the new observations.
    pub mean: Vec<f64>,
    /// Prediction intervals, one per level asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<Interval>,
    /// The state after the new observations (the error variance is the fit's, unchanged).
    pub state: ModelState,
}

/// What a method computes before the shared error measures are added.
struct Fit {
    mean: Vec<f64>,
    fitted: Vec<Option<f64>>,
    params: Params,
    /// The final state, for the exponential-smoothing methods.
    state: Option<ModelState>,
}

impl Fit {
    /// A fit without a model state.
    fn plain(mean: Vec<f64>, fitted: Vec<Option<f64>>, params: Params) -> Fit {
        Fit {
            mean,
            fitted,
            params,
            state: None,
        }
    }
}

/// Forecasts `horizon` periods of `series` with `method`.
///
/// `series` holds one demand value per period, oldest first; values must be finite and
/// non-negative, at most 10,000 of them. Each method needs a minimum length (two values
/// at least, so that there is one in-sample error); a shorter series is refused.
pub fn forecast(series: &[f64], method: &Method, horizon: usize) -> Result<Forecast> {
    forecast_with(series, method, horizon, &[])
}

/// [`forecast`] with prediction intervals at `levels` (percentages in `(0, 100)`), as
/// statsforecast 2.1.1 gives them: normal quantiles times each model's forecast standard
/// deviation. Methods statsforecast gives no intervals for ([`has_intervals`] is false:
/// moving average, the Croston family, TSB, ADIDA, IMAPA) refuse levels with
/// [`crate::Error::InvalidParameter`] on `levels`; so do ETS models with additive errors
/// and multiplicative seasonality (statsforecast simulates those).
pub fn forecast_with(
    series: &[f64],
    method: &Method,
    horizon: usize,
    levels: &[f64],
) -> Result<Forecast> {
    check::horizon(horizon)?;
    check::series(series, 2)?;
    intervals::check_levels(levels)?;
    if !levels.is_empty() && !has_intervals(method) {
        return Err(crate::error::Error::invalid_parameter(
            "levels",
            format!(
                "{} has no prediction intervals (statsforecast gives none for it)",
                method.name()
            ),
        ));
    }
    let fit = match method {
        Method::Naive => simple::naive(series, horizon),
        Method::SeasonalNaive { season_length } => {
            simple::seasonal_naive(series, *season_length, horizon)?
        }
        Method::HistoricAverage => simple::historic_average(series, horizon),
        Method::MovingAverage { window } => simple::moving_average(series, *window, horizon)?,
        Method::Ses { alpha } => simple::ses_fixed(series, *alpha, horizon)?,
        Method::SesOptimized => simple::ses_optimized(series, horizon, simple::SES_BOUNDS),
        Method::SesOptimizedWith { bounds } => {
            simple::ses_optimized(series, horizon, bounds.checked()?)
        }
        Method::Holt { damped } => ets::holt(series, *damped, horizon, EtsBounds::default())?,
        Method::HoltWith { damped, bounds } => {
            ets::holt(series, *damped, horizon, bounds.checked()?)?
        }
        Method::HoltWinters {
            season_length,
            seasonality,
            damped,
        } => ets::holt_winters(
            series,
            *season_length,
            *seasonality,
            *damped,
            horizon,
            EtsBounds::default(),
        )?,
        Method::HoltWintersWith {
            season_length,
            seasonality,
            damped,
            bounds,
        } => ets::holt_winters(
            series,
            *season_length,
            *seasonality,
            *damped,
            horizon,
            bounds.checked()?,
        )?,
        Method::AutoEts { season_length } => {
            ets::auto(series, *season_length, horizon, EtsBounds::default())?
        }
        Method::AutoEtsWith {
            season_length,
            bounds,
        } => ets::auto(series, *season_length, horizon, bounds.checked()?)?,
        Method::EtsFixed { spec, params } => ets::fixed(series, spec, params, horizon)?,
        Method::HoltFixed {
            alpha,
            beta_star,
            phi,
        } => ets::holt_fixed(series, *alpha, *beta_star, *phi, horizon)?,
        Method::HoltWintersFixed {
            season_length,
            seasonality,
            alpha,
            beta_star,
            gamma,
            phi,
        } => ets::holt_winters_fixed(
            series,
            *season_length,
            *seasonality,
            ets::TextbookSmoothing {
                alpha: *alpha,
                beta_star: *beta_star,
                gamma: *gamma,
                phi: *phi,
            },
            horizon,
        )?,
        Method::CrostonClassic => intermittent::croston(series, horizon, CROSTON_ALPHA, 1.0),
        Method::CrostonSba => intermittent::croston(series, horizon, CROSTON_ALPHA, 0.95),
        Method::CrostonWith { alpha, sba } => {
            check::finite("alpha", *alpha)?;
            if !(*alpha > 0.0 && *alpha <= 1.0) {
                return Err(crate::error::Error::invalid_parameter(
                    "alpha",
                    format!("must be in (0, 1], got {alpha}"),
                ));
            }
            let factor = if *sba { 0.95 } else { 1.0 };
            intermittent::croston(series, horizon, *alpha, factor)
        }
        Method::CrostonOptimized => {
            check::quadratic_series(series, method.name())?;
            intermittent::croston_optimized(series, horizon, intermittent::SEARCH_BOUNDS)
        }
        Method::CrostonOptimizedWith { bounds } => {
            let bounds = bounds.checked()?;
            check::quadratic_series(series, method.name())?;
            intermittent::croston_optimized(series, horizon, bounds)
        }
        Method::Tsb {
            alpha_demand,
            alpha_probability,
        } => intermittent::tsb(series, *alpha_demand, *alpha_probability, horizon)?,
        Method::Adida => {
            check::quadratic_series(series, method.name())?;
            intermittent::adida(series, horizon, None, intermittent::SEARCH_BOUNDS)
        }
        Method::AdidaWith {
            aggregation_level,
            bounds,
        } => {
            let bounds = search_bounds(*bounds)?;
            let level = aggregation_level_checked(*aggregation_level, series)?;
            check::quadratic_series(series, method.name())?;
            intermittent::adida(series, horizon, level, bounds)
        }
        Method::Imapa => {
            check::quadratic_series(series, method.name())?;
            intermittent::imapa(series, horizon, None, intermittent::SEARCH_BOUNDS)
        }
        Method::ImapaWith {
            max_aggregation_level,
            bounds,
        } => {
            let bounds = search_bounds(*bounds)?;
            let level = aggregation_level_checked(*max_aggregation_level, series)?;
            check::quadratic_series(series, method.name())?;
            intermittent::imapa(series, horizon, level, bounds)
        }
    };
    debug_assert_eq!(fit.mean.len(), horizon);
    debug_assert_eq!(fit.fitted.len(), series.len());
    if let Some(bad) = fit.mean.iter().find(|v| !v.is_finite()) {
        // The recursions cannot produce this from finite input within the parameter
        // bounds; refuse rather than hand a NaN to a replenishment decision.
        return Err(crate::error::Error::invalid_parameter(
            "series",
            format!(
                "{} gave a non-finite forecast ({bad}) for this series",
                method.name()
            ),
        ));
    }
    let accuracy = accuracy(series, &fit.fitted)?;
    let intervals = if levels.is_empty() {
        Vec::new()
    } else {
        let variances = intervals::variances(method, series, &fit)?;
        intervals::at_levels(&fit.mean, &variances, levels)
    };
    Ok(Forecast {
        method: method.clone(),
        mean: fit.mean,
        fitted: fit.fitted,
        params: fit.params,
        accuracy,
        intervals,
        state: fit.state,
    })
}

/// Moves a model state past `observations` (oldest first) by the model's own recursion,
/// without refitting anything, and forecasts `horizon` periods from there with intervals
/// at `levels`. Feeding observations one call at a time gives the same state as feeding
/// them at once, and the same as fitting the model with these parameters on the longer
/// series. `observations` may be empty (forecast from the state as it is).
pub fn update_forecast(
    state: &ModelState,
    observations: &[f64],
    horizon: usize,
    levels: &[f64],
) -> Result<StateForecast> {
    check::horizon(horizon)?;
    intervals::check_levels(levels)?;
    if !observations.is_empty() {
        check::series(observations, 1)?;
    }
    let (mean, state) = ets::update(state, observations, horizon)?;
    let intervals = if levels.is_empty() {
        Vec::new()
    } else {
        let variances = ets::variances(&state, &mean)?;
        intervals::at_levels(&mean, &variances, levels)
    };
    Ok(StateForecast {
        mean,
        intervals,
        state,
    })
}

/// Smoothing constant of classic Croston and SBA.
const CROSTON_ALPHA: f64 = 0.1;

/// Checked bounds, or the default search interval.
fn search_bounds(bounds: Option<SearchBounds>) -> Result<SearchBounds> {
    bounds.map_or(Ok(intermittent::SEARCH_BOUNDS), SearchBounds::checked)
}

/// A given aggregation level: at least 1 and at most the series length.
fn aggregation_level_checked(level: Option<usize>, series: &[f64]) -> Result<Option<usize>> {
    match level {
        Some(k) if k == 0 || k > series.len() => Err(crate::error::Error::invalid_parameter(
            "aggregation_level",
            format!("must be 1 to the series length {}, got {k}", series.len()),
        )),
        other => Ok(other),
    }
}

/// The one-step in-sample error measures of `fitted` against `series`.
fn accuracy(series: &[f64], fitted: &[Option<f64>]) -> Result<Accuracy> {
    let mut n = 0usize;
    let mut sse = 0.0;
    let mut sae = 0.0;
    for (y, f) in series.iter().zip(fitted) {
        if let Some(f) = f {
            let e = y - f;
            sse += e * e;
            sae += e.abs();
            n += 1;
        }
    }
    if n == 0 || !sse.is_finite() {
        return Err(crate::error::Error::invalid_parameter(
            "series",
            "too short for an in-sample error: no period has a one-step forecast",
        ));
    }
    let mae = sae / n as f64;
    let scale = naive_scale(series);
    Ok(Accuracy {
        sigma: (sse / n as f64).sqrt(),
        mae,
        mase: (scale > 0.0).then(|| mae / scale),
        n,
    })
}

/// Mean absolute change between consecutive values: the in-sample error of the naive
/// method, which MASE divides by.
fn naive_scale(series: &[f64]) -> f64 {
    if series.len() < 2 {
        return 0.0;
    }
    let sum: f64 = series.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
    sum / (series.len() - 1) as f64
}

/// Rounds half to even, as numpy and Python's `round` do (2.5 → 2, 3.5 → 4).
fn round_half_even(x: f64) -> f64 {
    x.round_ties_even()
}

#[cfg(test)]
// The values compared are small integers and halves, exactly representable.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn round_half_even_matches_numpy() {
        assert_eq!(round_half_even(2.5), 2.0);
        assert_eq!(round_half_even(3.5), 4.0);
        assert_eq!(round_half_even(3.4285), 3.0);
        assert_eq!(round_half_even(1.5), 2.0);
        assert_eq!(round_half_even(0.5), 0.0);
        assert_eq!(round_half_even(2.6), 3.0);
    }

    #[test]
    fn method_names_are_their_serde_names() {
        let methods = [
            Method::Naive,
            Method::CrostonSba,
            Method::SesOptimized,
            Method::Ses { alpha: 0.5 },
            Method::Holt { damped: None },
            Method::Tsb {
                alpha_demand: 0.1,
                alpha_probability: 0.2,
            },
        ];
        for m in methods {
            let json = serde_json::to_value(&m).unwrap();
            let name = match &json {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Object(o) => o.keys().next().unwrap().clone(),
                other => panic!("unexpected {other}"),
            };
            assert_eq!(name, m.name());
            let back: Method = serde_json::from_value(json).unwrap();
            assert_eq!(back, m);
        }
        let parsed: Method = serde_json::from_str("\"croston_sba\"").unwrap();
        assert_eq!(parsed, Method::CrostonSba);
    }
}
