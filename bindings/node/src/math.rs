//! The pure planning math as module-level functions: forecasting (`forecast`,
//! `autoForecast`, `classify`) and replenishment policies (safety stock, reorder point,
//! min/max, periodic review, EOQ/EPQ, order-quantity rounding; the standard normal
//! distribution and loss function; the newsvendor, (s, S) and (r, Q) cost models).
//!
//! Planning figures are statistics: plain JavaScript numbers in and out. Bad input is a
//! `StockbookError` of code `invalid_parameter` (`InvalidParameter`) whose `parameter`
//! names the engine's parameter (`service_level`, `demand.mean`, `series`, …). The two
//! forecasting functions that fit models run on the libuv thread pool and return promises;
//! the closed-form ones answer at once.

use napi::Env;
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use stockbook::planning::forecast as fc;
use stockbook::planning::policy;

use crate::book::thrown;
use crate::convert::{Refusal, int, type_error};
use crate::error::throw;
use crate::job::{Later, spawn_with};

/// A count (`seasonLength`, `window`, …) to JavaScript.
pub(crate) fn count_out(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---- methods ------------------------------------------------------------------------------

/// The forecasting methods that take no settings (`'holt'` fits both a straight and a
/// damped trend and keeps the one with the lower AICc, like `{ holt: {} }`).
#[napi(string_enum = "snake_case")]
pub enum MethodName {
    /// The last value, repeated.
    Naive,
    /// The mean of the whole history.
    HistoricAverage,
    /// Simple exponential smoothing with the constant that minimises the one-step squared
    /// error (golden-section search on [0.01, 0.99]).
    SesOptimized,
    /// Holt's linear trend (ETS A,A,N or A,Ad,N), straight or damped by AICc.
    Holt,
    /// Croston's method: sizes and intervals smoothed separately with α = 0.1.
    CrostonClassic,
    /// Croston with the Syntetos–Boylan approximation: 0.95 × Croston.
    CrostonSba,
    /// Croston with each smoothing constant chosen on [0.1, 0.3]; at most 3,000 values.
    CrostonOptimized,
    /// Aggregate–disaggregate intermittent demand approach; at most 3,000 values.
    Adida,
    /// Intermittent multiple aggregation prediction algorithm; at most 3,000 values.
    Imapa,
}

/// The kind of seasonality of a Holt–Winters model.
#[napi(string_enum = "snake_case")]
pub enum Seasonality {
    /// The seasonal effect is added to the level.
    Additive,
    /// The seasonal effect multiplies the level (needs strictly positive demand).
    Multiplicative,
}

impl From<Seasonality> for fc::Seasonality {
    fn from(s: Seasonality) -> Self {
        match s {
            Seasonality::Additive => fc::Seasonality::Additive,
            Seasonality::Multiplicative => fc::Seasonality::Multiplicative,
        }
    }
}

impl From<fc::Seasonality> for Seasonality {
    fn from(s: fc::Seasonality) -> Self {
        match s {
            fc::Seasonality::Additive => Seasonality::Additive,
            fc::Seasonality::Multiplicative => Seasonality::Multiplicative,
        }
    }
}

/// The form of one ETS component.
#[napi(string_enum = "snake_case")]
pub enum Component {
    /// The component is absent (not allowed for the error).
    None,
    /// Additive.
    Additive,
    /// Multiplicative (needs strictly positive demand; not supported for the trend).
    Multiplicative,
}

impl From<Component> for fc::Component {
    fn from(c: Component) -> Self {
        match c {
            Component::None => fc::Component::None,
            Component::Additive => fc::Component::Additive,
            Component::Multiplicative => fc::Component::Multiplicative,
        }
    }
}

impl From<fc::Component> for Component {
    fn from(c: fc::Component) -> Self {
        match c {
            fc::Component::None => Component::None,
            fc::Component::Additive => Component::Additive,
            fc::Component::Multiplicative => Component::Multiplicative,
        }
    }
}

/// The components of an ETS (error, trend, seasonal) model.
#[napi(object)]
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
    pub season_length: u32,
}

impl From<EtsSpec> for fc::EtsSpec {
    fn from(s: EtsSpec) -> Self {
        fc::EtsSpec {
            error: s.error.into(),
            trend: s.trend.into(),
            season: s.season.into(),
            damped: s.damped,
            season_length: s.season_length as usize,
        }
    }
}

impl From<fc::EtsSpec> for EtsSpec {
    fn from(s: fc::EtsSpec) -> Self {
        EtsSpec {
            error: s.error.into(),
            trend: s.trend.into(),
            season: s.season.into(),
            damped: s.damped,
            season_length: count_out(s.season_length),
        }
    }
}

/// Smoothing constants and initial states of an ETS model, in the error-correction form
/// of Hyndman et al.: `beta` is α·β* of the textbook component form.
#[napi(object)]
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
    /// observation); `seasonLength` values with seasonality, none without.
    pub seasonal: Vec<f64>,
}

impl From<EtsParams> for fc::EtsParams {
    fn from(p: EtsParams) -> Self {
        fc::EtsParams {
            alpha: p.alpha,
            beta: p.beta,
            gamma: p.gamma,
            phi: p.phi,
            level: p.level,
            slope: p.slope,
            seasonal: p.seasonal,
        }
    }
}

impl From<fc::EtsParams> for EtsParams {
    fn from(p: fc::EtsParams) -> Self {
        EtsParams {
            alpha: p.alpha,
            beta: p.beta,
            gamma: p.gamma,
            phi: p.phi,
            level: p.level,
            slope: p.slope,
            seasonal: p.seasonal,
        }
    }
}

/// Periods per season.
#[napi(object)]
pub struct SeasonLength {
    /// Periods per season (12 for monthly data with a yearly cycle).
    pub season_length: u32,
}

/// The mean of the last `window` values.
#[napi(object)]
pub struct MovingAverageSettings {
    /// How many of the most recent values are averaged.
    pub window: u32,
}

/// Simple exponential smoothing with a fixed smoothing constant.
#[napi(object)]
pub struct SesSettings {
    /// Smoothing constant in (0, 1].
    pub alpha: f64,
}

/// Holt's linear trend.
#[napi(object)]
pub struct HoltSettings {
    /// `true` for a damped trend, `false` for a straight one, left out to fit both and keep
    /// the one with the lower AICc.
    pub damped: Option<bool>,
}

/// Holt–Winters: A,A,A for additive and M,A,M for multiplicative seasonality.
#[napi(object)]
pub struct HoltWintersSettings {
    /// Periods per season, at least 2.
    pub season_length: u32,
    /// Additive or multiplicative seasonality.
    pub seasonality: Seasonality,
    /// As for `holt`.
    pub damped: Option<bool>,
}

/// An ETS model with given smoothing constants and initial states, run without
/// optimisation.
#[napi(object)]
pub struct EtsFixedSettings {
    /// The model's components.
    pub spec: EtsSpec,
    /// Its smoothing constants and initial states.
    pub params: EtsParams,
}

/// Teunter–Syntetos–Babai.
#[napi(object)]
pub struct TsbSettings {
    /// Smoothing constant of demand sizes, in (0, 1].
    pub alpha_demand: f64,
    /// Smoothing constant of demand occurrence, in (0, 1].
    pub alpha_probability: f64,
}

/// A forecasting method with settings: exactly one of its fields.
#[napi(object)]
pub struct MethodWith {
    /// The value one season ago.
    pub seasonal_naive: Option<SeasonLength>,
    /// The mean of the last `window` values.
    pub moving_average: Option<MovingAverageSettings>,
    /// Simple exponential smoothing with a fixed constant; the level starts at the first
    /// value.
    pub ses: Option<SesSettings>,
    /// Holt's linear trend, fitted by maximum likelihood.
    pub holt: Option<HoltSettings>,
    /// Holt–Winters, fitted by maximum likelihood.
    pub holt_winters: Option<HoltWintersSettings>,
    /// Automatic ETS: every admissible model fitted, the lowest AICc kept.
    pub auto_ets: Option<SeasonLength>,
    /// An ETS model with the caller's constants and initial states.
    pub ets_fixed: Option<EtsFixedSettings>,
    /// Teunter–Syntetos–Babai.
    pub tsb: Option<TsbSettings>,
}

/// A forecasting method: a name (`'naive'`, `'croston_sba'`, …) or an object with one key,
/// the method, holding its settings (`{ ses: { alpha: 0.3 } }`,
/// `{ holtWinters: { seasonLength: 12, seasonality: 'additive' } }`).
pub type MethodIn = Either<MethodName, MethodWith>;

/// A method from JavaScript.
pub(crate) fn method(m: MethodIn) -> Result<fc::Method, Refusal> {
    use fc::Method as M;
    let w = match m {
        Either::A(name) => {
            return Ok(match name {
                MethodName::Naive => M::Naive,
                MethodName::HistoricAverage => M::HistoricAverage,
                MethodName::SesOptimized => M::SesOptimized,
                MethodName::Holt => M::Holt { damped: None },
                MethodName::CrostonClassic => M::CrostonClassic,
                MethodName::CrostonSba => M::CrostonSba,
                MethodName::CrostonOptimized => M::CrostonOptimized,
                MethodName::Adida => M::Adida,
                MethodName::Imapa => M::Imapa,
            });
        }
        Either::B(w) => w,
    };
    let mut found = Vec::with_capacity(1);
    if let Some(s) = w.seasonal_naive {
        found.push(M::SeasonalNaive {
            season_length: s.season_length as usize,
        });
    }
    if let Some(s) = w.moving_average {
        found.push(M::MovingAverage {
            window: s.window as usize,
        });
    }
    if let Some(s) = w.ses {
        found.push(M::Ses { alpha: s.alpha });
    }
    if let Some(s) = w.holt {
        found.push(M::Holt { damped: s.damped });
    }
    if let Some(s) = w.holt_winters {
        found.push(M::HoltWinters {
            season_length: s.season_length as usize,
            seasonality: s.seasonality.into(),
            damped: s.damped,
        });
    }
    if let Some(s) = w.auto_ets {
        found.push(M::AutoEts {
            season_length: s.season_length as usize,
        });
    }
    if let Some(s) = w.ets_fixed {
        found.push(M::EtsFixed {
            spec: s.spec.into(),
            params: s.params.into(),
        });
    }
    if let Some(s) = w.tsb {
        found.push(M::Tsb {
            alpha_demand: s.alpha_demand,
            alpha_probability: s.alpha_probability,
        });
    }
    match (found.pop(), found.is_empty()) {
        (Some(method), true) => Ok(method),
        _ => Err(type_error(
            "method",
            "a method name or an object with exactly one method key",
        )),
    }
}

/// A method to JavaScript: its name when it has no settings, else `{ method: settings }`.
// The catch-all arm is for core methods added after this binding.
#[allow(unreachable_patterns, clippy::match_wildcard_for_single_variants)]
pub(crate) fn method_out(m: fc::Method) -> Either<String, MethodWith> {
    use fc::Method as M;
    let mut w = MethodWith {
        seasonal_naive: None,
        moving_average: None,
        ses: None,
        holt: None,
        holt_winters: None,
        auto_ets: None,
        ets_fixed: None,
        tsb: None,
    };
    match m {
        M::SeasonalNaive { season_length } => {
            w.seasonal_naive = Some(SeasonLength {
                season_length: count_out(season_length),
            });
        }
        M::MovingAverage { window } => {
            w.moving_average = Some(MovingAverageSettings {
                window: count_out(window),
            });
        }
        M::Ses { alpha } => w.ses = Some(SesSettings { alpha }),
        M::Holt { damped } => w.holt = Some(HoltSettings { damped }),
        M::HoltWinters {
            season_length,
            seasonality,
            damped,
        } => {
            w.holt_winters = Some(HoltWintersSettings {
                season_length: count_out(season_length),
                seasonality: seasonality.into(),
                damped,
            });
        }
        M::AutoEts { season_length } => {
            w.auto_ets = Some(SeasonLength {
                season_length: count_out(season_length),
            });
        }
        M::EtsFixed { spec, params } => {
            w.ets_fixed = Some(EtsFixedSettings {
                spec: spec.into(),
                params: params.into(),
            });
        }
        M::Tsb {
            alpha_demand,
            alpha_probability,
        } => {
            w.tsb = Some(TsbSettings {
                alpha_demand,
                alpha_probability,
            });
        }
        other => return Either::A(other.name().to_owned()),
    }
    Either::B(w)
}

// ---- forecast records ---------------------------------------------------------------------

/// One aggregation level of ADIDA or IMAPA.
#[napi(object, object_from_js = false)]
pub struct AggregationLevel {
    /// Block length in periods.
    pub level: u32,
    /// Smoothing constant found for the block sums.
    pub alpha: f64,
    /// Per-period forecast from this level (block forecast divided by the level).
    pub forecast: f64,
}

/// The parameters a method used, fitted or given; `kind` names their form.
#[napi(
    discriminant = "kind",
    discriminant_case = "snake_case",
    object_from_js = false
)]
pub enum ForecastParams {
    /// The method has no parameters beyond those of its method.
    None,
    /// Simple exponential smoothing.
    Ses {
        /// The smoothing constant used.
        alpha: f64,
    },
    /// An ETS model.
    Ets {
        /// The model that was fitted.
        spec: EtsSpec,
        /// Smoothing constants and initial states.
        params: EtsParams,
        /// Log-likelihood, up to the constant statsforecast also leaves out.
        loglik: f64,
        /// Akaike information criterion.
        aic: f64,
        /// AIC corrected for small samples.
        aicc: f64,
        /// Bayesian information criterion.
        bic: f64,
        /// Number of estimated parameters, the error variance included.
        n_params: u32,
    },
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

/// Parameters of a form newer than this binding: the form's name and the parameters as
/// the engine serialises them, with camelCase keys. TypeScript sees none.
#[napi(object, object_from_js = false)]
pub struct OtherParams {
    /// The form's name.
    #[napi(ts_type = "never")]
    pub kind: String,
    /// The parameters.
    #[napi(ts_type = "Record<string, unknown>")]
    pub data: serde_json::Value,
}

// The catch-all arm is for core forms added after this binding.
#[allow(unreachable_patterns, clippy::match_wildcard_for_single_variants)]
fn params_out(p: fc::Params) -> Either<ForecastParams, OtherParams> {
    Either::A(match p {
        fc::Params::None => ForecastParams::None,
        fc::Params::Ses { alpha } => ForecastParams::Ses { alpha },
        fc::Params::Ets(fit) => ForecastParams::Ets {
            spec: fit.spec.into(),
            params: fit.params.into(),
            loglik: fit.loglik,
            aic: fit.aic,
            aicc: fit.aicc,
            bic: fit.bic,
            n_params: count_out(fit.n_params),
        },
        fc::Params::Croston {
            alpha_demand,
            alpha_interval,
            factor,
        } => ForecastParams::Croston {
            alpha_demand,
            alpha_interval,
            factor,
        },
        fc::Params::Tsb {
            alpha_demand,
            alpha_probability,
        } => ForecastParams::Tsb {
            alpha_demand,
            alpha_probability,
        },
        fc::Params::Aggregation { levels } => ForecastParams::Aggregation {
            levels: levels
                .into_iter()
                .map(|l| AggregationLevel {
                    level: count_out(l.level),
                    alpha: l.alpha,
                    forecast: l.forecast,
                })
                .collect(),
        },
        other => {
            // Internally tagged by `kind`: keep the rest as data.
            let mut data = serde_json::to_value(&other).unwrap_or_default();
            let kind = data
                .as_object_mut()
                .and_then(|o| o.remove("kind"))
                .and_then(|k| k.as_str().map(str::to_owned))
                .unwrap_or_default();
            return Either::B(OtherParams {
                kind,
                data: crate::records::camel_keys(data),
            });
        }
    })
}

/// In-sample accuracy of the one-step-ahead fitted values.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Accuracy {
    /// Root mean square of the one-step in-sample errors, taken about zero: the standard
    /// deviation of demand around the forecast that safety stock must cover.
    pub sigma: f64,
    /// Mean absolute one-step error.
    pub mae: f64,
    /// Mean absolute scaled error: `mae` over the mean absolute change between consecutive
    /// values; `null` for a constant series.
    pub mase: Option<f64>,
    /// How many periods have a fitted value and so enter the measures.
    pub n: u32,
}

/// The result of a forecast.
#[napi(object, object_from_js = false)]
pub struct Forecast {
    /// The method as asked for (for `autoForecast`, the winner).
    #[napi(ts_type = "MethodName | MethodWith")]
    pub method: Either<String, MethodWith>,
    /// Point forecasts for the next `horizon` periods.
    pub mean: Vec<f64>,
    /// One-step-ahead in-sample forecasts, one per observation; `null` where the method has
    /// none (the first period, or the first season).
    #[napi(ts_type = "Array<number | null>")]
    pub fitted: Vec<Option<f64>>,
    /// The parameters used.
    #[napi(ts_type = "ForecastParams")]
    pub params: Either<ForecastParams, OtherParams>,
    /// One-step in-sample error measures.
    pub accuracy: Accuracy,
}

impl From<fc::Forecast> for Forecast {
    fn from(f: fc::Forecast) -> Self {
        Forecast {
            method: method_out(f.method),
            mean: f.mean,
            fitted: f.fitted,
            params: params_out(f.params),
            accuracy: Accuracy {
                sigma: f.accuracy.sigma,
                mae: f.accuracy.mae,
                mase: f.accuracy.mase,
                n: count_out(f.accuracy.n),
            },
        }
    }
}

/// The Syntetos–Boylan demand pattern.
#[napi(string_enum = "snake_case")]
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

impl From<fc::DemandPattern> for DemandPattern {
    fn from(p: fc::DemandPattern) -> Self {
        match p {
            fc::DemandPattern::Smooth => DemandPattern::Smooth,
            fc::DemandPattern::Erratic => DemandPattern::Erratic,
            fc::DemandPattern::Intermittent => DemandPattern::Intermittent,
            fc::DemandPattern::Lumpy => DemandPattern::Lumpy,
            fc::DemandPattern::NoDemand => DemandPattern::NoDemand,
        }
    }
}

/// The classification of a demand series.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct DemandClass {
    /// The pattern.
    pub pattern: DemandPattern,
    /// Average inter-demand interval in periods, the first interval counted from the start
    /// of the series; `null` without demand.
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the positive demand sizes (population variance
    /// over squared mean); `null` without demand.
    pub cv2: Option<f64>,
    /// Number of periods with demand.
    pub demand_periods: u32,
}

impl From<fc::DemandClass> for DemandClass {
    fn from(c: fc::DemandClass) -> Self {
        DemandClass {
            pattern: c.pattern.into(),
            adi: c.adi,
            cv2: c.cv2,
            demand_periods: count_out(c.demand_periods),
        }
    }
}

/// How one candidate did on the holdout.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Candidate {
    /// The candidate method.
    #[napi(ts_type = "MethodName | MethodWith")]
    pub method: Either<String, MethodWith>,
    /// Mean absolute error over the holdout.
    pub mae: f64,
    /// `mae` over the in-sample MAE of the (seasonal) naive method on the training part;
    /// `null` when that scale is zero (a constant training part).
    pub mase: Option<f64>,
}

/// The result of `autoForecast`.
#[napi(object, object_from_js = false)]
pub struct AutoForecast {
    /// The demand classification that chose the candidates.
    pub class: DemandClass,
    /// Periods held out at the end of the series for scoring.
    pub holdout: u32,
    /// Every candidate that could be fitted on the training part, in the order tried.
    pub candidates: Vec<Candidate>,
    /// The winner refitted on the whole series.
    pub forecast: Forecast,
}

impl From<fc::AutoForecast> for AutoForecast {
    fn from(a: fc::AutoForecast) -> Self {
        AutoForecast {
            class: a.class.into(),
            holdout: count_out(a.holdout),
            candidates: a
                .candidates
                .into_iter()
                .map(|c| Candidate {
                    method: method_out(c.method),
                    mae: c.mae,
                    mase: c.mase,
                })
                .collect(),
            forecast: a.forecast.into(),
        }
    }
}

// ---- forecasting functions ----------------------------------------------------------------

/// Forecasts `horizon` periods of `series` with `method`, on the thread pool.
///
/// `series` holds one demand value per period, oldest first; values must be finite and
/// not negative, at most 10,000 of them. Each method needs a minimum length (two values
/// at least, so that there is one in-sample error). Numbers follow Nixtla statsforecast.
/// A series or setting the method cannot take is `InvalidParameter` (`parameter` names
/// it); a `method` that is neither a name nor an object with exactly one method key is a
/// `TypeError`.
#[napi(ts_return_type = "Promise<Forecast>")]
pub fn forecast(
    series: Vec<f64>,
    #[napi(ts_arg_type = "MethodName | MethodWith")] method: MethodIn,
    horizon: f64,
) -> napi::Result<Later<Forecast>> {
    let args = self::method(method).and_then(|m| Ok((m, int(horizon, "horizon")?)));
    spawn_with(args, move |(m, horizon)| {
        fc::forecast(&series, &m, horizon).map(Forecast::from)
    })
}

/// Classifies `series`, scores the methods suited to its class on a holdout of the last
/// `min(horizon, n / 4)` periods (at least one) by MASE, and forecasts `horizon` periods
/// with the best one refitted on the whole series; on the thread pool. `seasonLength` is 1
/// without seasonality. Needs at least 4 values.
#[napi(ts_return_type = "Promise<AutoForecast>")]
pub fn auto_forecast(
    series: Vec<f64>,
    season_length: f64,
    horizon: f64,
) -> napi::Result<Later<AutoForecast>> {
    let args = int(season_length, "seasonLength")
        .and_then(|s| Ok((s, int(horizon, "horizon")?)))
        .map_err(Refusal::from);
    spawn_with(args, move |(season_length, horizon)| {
        fc::auto_forecast(&series, season_length, horizon).map(AutoForecast::from)
    })
}

/// Classifies a demand series by Syntetos–Boylan (ADI cut-off 1.32, CV² cut-off 0.49).
#[napi]
pub fn classify(env: Env, series: Vec<f64>) -> napi::Result<DemandClass> {
    throw(&env, fc::classify(&series)).map(DemandClass::from)
}

// ---- policies -----------------------------------------------------------------------------

/// Demand per period.
#[napi(object, object_to_js = false)]
pub struct Demand {
    /// Mean demand per period.
    pub mean: f64,
    /// Standard deviation of demand per period (a forecast's `accuracy.sigma`).
    pub std_dev: f64,
}

impl From<Demand> for policy::Demand {
    fn from(d: Demand) -> Self {
        policy::Demand {
            mean: d.mean,
            std_dev: d.std_dev,
        }
    }
}

/// Replenishment lead time in periods, with its variability.
#[napi(object, object_to_js = false)]
pub struct LeadTime {
    /// Mean lead time; must be above zero.
    pub mean: f64,
    /// Standard deviation of the lead time; zero for a fixed lead time.
    pub std_dev: f64,
}

/// A lead time in periods: a number (fixed) or `{ mean, stdDev }`.
pub type LeadTimeIn = Either<f64, LeadTime>;

fn lead_time(l: LeadTimeIn) -> policy::LeadTime {
    match l {
        Either::A(periods) => policy::LeadTime::fixed(periods),
        Either::B(l) => policy::LeadTime {
            mean: l.mean,
            std_dev: l.std_dev,
        },
    }
}

/// How a fill-rate (P2) target becomes a safety factor for an (s, Q) policy.
#[napi(string_enum = "snake_case")]
pub enum FillRateFormula {
    /// Silver, Pyke & Peterson's rule G(k) = Q(1 − P2)/σ_L: counts the shortage of every
    /// cycle from zero, which overstates it (slightly) for small Q/σ_L.
    Approximate,
    /// The exact backorder expression 1 − σ_L[G(k) − G(k + Q/σ_L)]/Q = P2 (Axsäter).
    Exact,
}

impl From<FillRateFormula> for policy::FillRateFormula {
    fn from(f: FillRateFormula) -> Self {
        match f {
            FillRateFormula::Approximate => policy::FillRateFormula::Approximate,
            FillRateFormula::Exact => policy::FillRateFormula::Exact,
        }
    }
}

/// Demand over an interval (lead time, or review period plus lead time).
#[napi(object, object_from_js = false)]
pub struct IntervalDemand {
    /// Mean demand over the interval.
    pub mean: f64,
    /// Its standard deviation.
    pub std_dev: f64,
}

impl From<policy::IntervalDemand> for IntervalDemand {
    fn from(d: policy::IntervalDemand) -> Self {
        IntervalDemand {
            mean: d.mean,
            std_dev: d.std_dev,
        }
    }
}

/// A safety stock and the reorder point it gives.
#[napi(object, object_from_js = false)]
pub struct SafetyStock {
    /// Safety factor: safety stock in standard deviations of lead-time demand. Negative
    /// when a fill-rate target is met by the order quantity alone.
    pub k: f64,
    /// Safety stock, `k × leadTimeDemand.stdDev`; negative with a negative `k` (not
    /// clamped: clamping would overshoot the target).
    pub safety_stock: f64,
    /// Reorder point, `leadTimeDemand.mean + safetyStock`.
    pub reorder_point: f64,
    /// Demand over the lead time.
    pub lead_time_demand: IntervalDemand,
}

impl From<policy::SafetyStock> for SafetyStock {
    fn from(s: policy::SafetyStock) -> Self {
        SafetyStock {
            k: s.k,
            safety_stock: s.safety_stock,
            reorder_point: s.reorder_point,
            lead_time_demand: s.lead_time_demand.into(),
        }
    }
}

/// An order quantity and its cost per unit of the demand rate's time.
#[napi(object, object_from_js = false)]
pub struct Eoq {
    /// The economic quantity.
    pub quantity: f64,
    /// Ordering plus holding cost per unit time at that quantity.
    pub cost: f64,
}

impl From<policy::Eoq> for Eoq {
    fn from(e: policy::Eoq) -> Self {
        Eoq {
            quantity: e.quantity,
            cost: e.cost,
        }
    }
}

/// A min/max policy: order up to `max` when the inventory position falls to `min`.
#[napi(object, object_from_js = false)]
pub struct MinMax {
    /// The reorder point.
    pub min: f64,
    /// The order-up-to level, `min` plus the order quantity.
    pub max: f64,
    /// The safety stock inside `min`.
    pub safety_stock: SafetyStock,
}

/// An (R, S) periodic-review policy: every R periods, order up to S.
#[napi(object, object_from_js = false)]
pub struct PeriodicReview {
    /// The order-up-to level S.
    pub order_up_to: f64,
    /// Safety factor.
    pub k: f64,
    /// Safety stock, `k × protectionDemand.stdDev`.
    pub safety_stock: f64,
    /// Demand over the protection interval, review period plus lead time.
    pub protection_demand: IntervalDemand,
}

/// Demand over a lead time of random length: mean d·L and standard deviation
/// √(L·σ_d² + d²·σ_L²) (the variance of a random sum of independent periods). `demand` is
/// per period and `leadTime` in the same periods.
#[napi]
pub fn lead_time_demand(
    env: Env,
    demand: Demand,
    #[napi(ts_arg_type = "number | LeadTime")] lead_time: LeadTimeIn,
) -> napi::Result<IntervalDemand> {
    let result = policy::lead_time_demand(demand.into(), self::lead_time(lead_time));
    throw(&env, result).map(IntervalDemand::from)
}

/// Safety stock and reorder point for a cycle service level (P1, the probability of no
/// stockout in a replenishment cycle, strictly between 0 and 1): k = Φ⁻¹(P1).
#[napi]
pub fn safety_stock_cycle(
    env: Env,
    service_level: f64,
    demand: Demand,
    #[napi(ts_arg_type = "number | LeadTime")] lead_time: LeadTimeIn,
) -> napi::Result<SafetyStock> {
    let result =
        policy::safety_stock_cycle(service_level, demand.into(), self::lead_time(lead_time));
    throw(&env, result).map(SafetyStock::from)
}

/// Safety stock and reorder point of an (s, Q) policy for a fill-rate target (P2, the
/// fraction of demand met from stock), by `formula`. A large order quantity can meet the
/// target with stock to spare, which gives a negative k and a negative safety stock: that
/// is the answer, and it is returned as is.
#[napi]
pub fn safety_stock_fill_rate(
    env: Env,
    fill_rate: f64,
    order_quantity: f64,
    demand: Demand,
    #[napi(ts_arg_type = "number | LeadTime")] lead_time: LeadTimeIn,
    formula: FillRateFormula,
) -> napi::Result<SafetyStock> {
    let result = policy::safety_stock_fill_rate(
        fill_rate,
        order_quantity,
        demand.into(),
        self::lead_time(lead_time),
        formula.into(),
    );
    throw(&env, result).map(SafetyStock::from)
}

/// Reorder point for a given safety stock: mean lead-time demand plus safety stock.
#[napi]
pub fn reorder_point(
    env: Env,
    demand: Demand,
    #[napi(ts_arg_type = "number | LeadTime")] lead_time: LeadTimeIn,
    safety_stock: f64,
) -> napi::Result<f64> {
    let result = policy::reorder_point(demand.into(), self::lead_time(lead_time), safety_stock);
    throw(&env, result)
}

/// Min/max levels for a cycle service level: min is the reorder point, max is min plus
/// the order quantity (typically the `eoq`).
#[napi]
pub fn min_max(
    env: Env,
    service_level: f64,
    demand: Demand,
    #[napi(ts_arg_type = "number | LeadTime")] lead_time: LeadTimeIn,
    order_quantity: f64,
) -> napi::Result<MinMax> {
    let result = policy::min_max(
        service_level,
        demand.into(),
        self::lead_time(lead_time),
        order_quantity,
    );
    throw(&env, result).map(|m| MinMax {
        min: m.min,
        max: m.max,
        safety_stock: m.safety_stock.into(),
    })
}

/// An (R, S) periodic-review policy for a cycle service level: stock must cover the
/// review period plus the lead time, so S = d(R + L) + k·√((R + L)σ_d² + d²σ_L²).
#[napi]
pub fn periodic_review(
    env: Env,
    service_level: f64,
    demand: Demand,
    #[napi(ts_arg_type = "number | LeadTime")] lead_time: LeadTimeIn,
    review_period: f64,
) -> napi::Result<PeriodicReview> {
    let result = policy::periodic_review(
        service_level,
        demand.into(),
        self::lead_time(lead_time),
        review_period,
    );
    throw(&env, result).map(|p| PeriodicReview {
        order_up_to: p.order_up_to,
        k: p.k,
        safety_stock: p.safety_stock,
        protection_demand: p.protection_demand.into(),
    })
}

/// The economic order quantity √(2Kλ/h) and its cost √(2Kλh), for a fixed cost per order
/// K, a holding cost per unit per unit time h and a demand rate λ.
#[napi]
pub fn eoq(env: Env, fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> napi::Result<Eoq> {
    throw(&env, policy::eoq(fixed_cost, holding_cost, demand_rate)).map(Eoq::from)
}

/// The economic production quantity: the EOQ when the batch arrives at a finite
/// production rate μ above the demand rate λ, √(2Kλ/(h(1 − λ/μ))).
#[napi]
pub fn epq(
    env: Env,
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> napi::Result<Eoq> {
    let result = policy::epq(fixed_cost, holding_cost, demand_rate, production_rate);
    throw(&env, result).map(Eoq::from)
}

/// Rounds an order quantity to what a supplier accepts: nothing stays nothing; anything
/// else is raised to the `minimum` order quantity, then up to a whole number of packs of
/// `packSize` (a quantity within 1e-9 of a whole number of packs counts as that number).
#[napi]
pub fn round_order_quantity(
    env: Env,
    quantity: f64,
    minimum: f64,
    pack_size: f64,
) -> napi::Result<f64> {
    throw(
        &env,
        policy::round_order_quantity(quantity, minimum, pack_size),
    )
}

// ---- the standard normal distribution -----------------------------------------------------

/// The standard normal density φ(x).
#[napi]
pub fn normal_pdf(x: f64) -> f64 {
    policy::normal_pdf(x)
}

/// The standard normal distribution function Φ(x).
#[napi]
pub fn normal_cdf(x: f64) -> f64 {
    policy::normal_cdf(x)
}

/// The standard normal quantile Φ⁻¹(p), for `p` strictly between 0 and 1.
#[napi]
pub fn normal_quantile(env: Env, p: f64) -> napi::Result<f64> {
    throw(&env, policy::normal_quantile(p))
}

/// The standard normal loss function G(k) = E[(Z − k)⁺] = φ(k) − k(1 − Φ(k)): the
/// expected shortage per unit of standard deviation when the safety factor is k.
#[napi]
pub fn standard_normal_loss(k: f64) -> f64 {
    policy::standard_normal_loss(k)
}

// ---- cost models: newsvendor, (s, S), (r, Q) ----------------------------------------------

/// Cost rates of an inventory model.
#[napi(object, object_to_js = false)]
pub struct InventoryCosts {
    /// Holding cost per unit per unit time (per period for periodic models).
    pub holding: f64,
    /// Stockout (backorder) cost per unit per unit time.
    pub stockout: f64,
    /// Fixed cost per order.
    pub fixed: f64,
}

impl From<InventoryCosts> for policy::InventoryCosts {
    fn from(c: InventoryCosts) -> Self {
        policy::InventoryCosts {
            holding: c.holding,
            stockout: c.stockout,
            fixed: c.fixed,
        }
    }
}

/// A newsvendor (base-stock) solution.
#[napi(object, object_from_js = false)]
pub struct Newsvendor {
    /// The optimal stock level S*.
    pub level: f64,
    /// Expected holding plus stockout cost at S*.
    pub cost: f64,
}

impl From<policy::Newsvendor> for Newsvendor {
    fn from(n: policy::Newsvendor) -> Self {
        Newsvendor {
            level: n.level,
            cost: n.cost,
        }
    }
}

/// An (s, S) policy and its expected cost per period.
#[napi(object, object_from_js = false)]
pub struct SsPolicy {
    /// Reorder point s: order when the inventory position is at or below it.
    pub reorder_point: i64,
    /// Order-up-to level S.
    pub order_up_to: i64,
    /// Expected cost per period.
    pub cost: f64,
}

/// An (r, Q) policy and its expected cost per unit time.
#[napi(object, object_from_js = false)]
pub struct RqPolicy {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// Expected cost per unit time.
    pub cost: f64,
}

impl From<policy::RqPolicy> for RqPolicy {
    fn from(p: policy::RqPolicy) -> Self {
        RqPolicy {
            reorder_point: p.reorder_point,
            order_quantity: p.order_quantity,
            cost: p.cost,
        }
    }
}

/// Newsvendor with normal demand: S* = μ + σΦ⁻¹(p/(p + h)), cost (h + p)σφ(Φ⁻¹(p/(p + h))).
#[napi]
pub fn newsvendor_normal(
    env: Env,
    holding_cost: f64,
    stockout_cost: f64,
    demand: Demand,
) -> napi::Result<Newsvendor> {
    let result = policy::newsvendor_normal(holding_cost, stockout_cost, demand.into());
    throw(&env, result).map(Newsvendor::from)
}

/// Newsvendor with Poisson demand of mean λ: the smallest S with F(S) ≥ p/(p + h), and the
/// expected cost h·E[(S − D)⁺] + p·E[(D − S)⁺] there.
#[napi]
pub fn newsvendor_poisson(
    env: Env,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> napi::Result<Newsvendor> {
    let result = policy::newsvendor_poisson(holding_cost, stockout_cost, demand_mean);
    throw(&env, result).map(Newsvendor::from)
}

/// Expected cost per period of a periodic-review (s, S) policy with Poisson demand of mean
/// `demandMean` per period and no lead time (Zheng & Federgruen's renewal expression);
/// `orderUpTo` must exceed `reorderPoint`, both whole units.
#[napi]
pub fn s_s_cost_poisson(
    env: Env,
    reorder_point: f64,
    order_up_to: f64,
    costs: InventoryCosts,
    demand_mean: f64,
) -> napi::Result<f64> {
    let s = int(reorder_point, "reorderPoint").map_err(|r| thrown(env, r.into()))?;
    let big_s = int(order_up_to, "orderUpTo").map_err(|r| thrown(env, r.into()))?;
    throw(
        &env,
        policy::s_s_cost_poisson(s, big_s, costs.into(), demand_mean),
    )
}

/// The optimal (s, S) policy for Poisson demand per period, by Zheng & Federgruen's exact
/// search (1991).
#[napi]
pub fn s_s_optimal_poisson(
    env: Env,
    costs: InventoryCosts,
    demand_mean: f64,
) -> napi::Result<SsPolicy> {
    let result = policy::s_s_optimal_poisson(costs.into(), demand_mean);
    throw(&env, result).map(|p| SsPolicy {
        reorder_point: p.reorder_point,
        order_up_to: p.order_up_to,
        cost: p.cost,
    })
}

/// Expected cost per unit time of a continuous-review (r, Q) policy with normal demand
/// (closed form through the second-order loss function). `demand` is per unit time,
/// `leadTime` in the same unit.
#[napi]
pub fn r_q_cost(
    env: Env,
    reorder_point: f64,
    order_quantity: f64,
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> napi::Result<f64> {
    let result = policy::r_q_cost(
        reorder_point,
        order_quantity,
        costs.into(),
        demand.into(),
        lead_time,
    );
    throw(&env, result)
}

/// The (r, Q) policy of the expected-inventory-level approximation: alternate
/// r = μ + σΦ⁻¹(1 − Qh/(pλ)) and Q = √(2λ(K + p·n(r))/h) from the EOQ until both move less
/// than 1e-6. The cost is the approximation's own.
#[napi]
pub fn r_q_eil(
    env: Env,
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> napi::Result<RqPolicy> {
    let result = policy::r_q_eil(costs.into(), demand.into(), lead_time);
    throw(&env, result).map(RqPolicy::from)
}

/// The optimal integer (r, Q) policy with Poisson demand of rate λ and lead time L
/// (Federgruen & Zheng 1992).
#[napi]
pub fn r_q_poisson(
    env: Env,
    costs: InventoryCosts,
    demand_rate: f64,
    lead_time: f64,
) -> napi::Result<RqPolicy> {
    let result = policy::r_q_poisson(costs.into(), demand_rate, lead_time);
    throw(&env, result).map(RqPolicy::from)
}
