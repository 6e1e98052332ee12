//! The core's demand forecasting (`stockbook::planning::forecast`) as top-level functions:
//! `forecast`, `autoForecast`, `classify`. Planning figures are statistics, so they cross
//! as `f64` (Kotlin `Double`, Swift `Double`); methods, parameters and results are typed.
//!
//! Period counts (horizon, season length, window) cross as `i32`; a negative one is refused
//! as `invalid_parameter` naming it, as the core refuses a zero one.

use stockbook::planning::forecast as core;

use crate::error::StockbookError;

type Result<T> = std::result::Result<T, StockbookError>;

/// A period count from the host as the core's `usize`.
pub(crate) fn periods(parameter: &str, value: i32) -> Result<usize> {
    usize::try_from(value).map_err(|_| {
        stockbook::Error::InvalidParameter {
            parameter: parameter.to_owned(),
            reason: format!("must not be negative, got {value}"),
        }
        .into()
    })
}

/// A count from the core as `i32` (saturating: series are at most 10,000 long).
pub(crate) fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// A forecasting method and its fixed settings (the core's `Method`).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ForecastMethod {
    /// The last value, repeated.
    Naive,
    /// The value one season ago.
    SeasonalNaive {
        /// Periods per season (12 for monthly data with a yearly cycle).
        season_length: i32,
    },
    /// The mean of the whole history.
    HistoricAverage,
    /// The mean of the last `window` values.
    MovingAverage {
        /// How many of the most recent values are averaged.
        window: i32,
    },
    /// Simple exponential smoothing with a fixed smoothing constant; the level starts at
    /// the first value.
    Ses {
        /// Smoothing constant in `(0, 1]`.
        alpha: f64,
    },
    /// Simple exponential smoothing with the constant that minimises the one-step squared
    /// error (golden-section search on `[0.01, 0.99]`).
    SesOptimized,
    /// Holt's linear trend (ETS A,A,N or A,Ad,N), fitted by maximum likelihood.
    Holt {
        /// `true` for a damped trend, `false` for a straight one, null to fit both and
        /// keep the one with the lower AICc.
        #[uniffi(default)]
        damped: Option<bool>,
    },
    /// Holt–Winters as an ETS model fitted by maximum likelihood (A,A,A for additive
    /// seasonality, M,A,M for multiplicative).
    HoltWinters {
        /// Periods per season, at least 2.
        season_length: i32,
        /// Additive or multiplicative seasonality.
        seasonality: Seasonality,
        /// As for `Holt`.
        #[uniffi(default)]
        damped: Option<bool>,
    },
    /// Automatic ETS: every admissible model fitted, the lowest AICc kept.
    AutoEts {
        /// Periods per season; 1 for non-seasonal models only.
        season_length: i32,
    },
    /// An ETS model with given smoothing constants and initial states, not optimised.
    EtsFixed {
        /// The model's components.
        spec: EtsSpec,
        /// Its smoothing constants and initial states.
        params: EtsParams,
    },
    /// Croston's method (α = 0.1 for sizes and intervals).
    CrostonClassic,
    /// Croston with the Syntetos–Boylan approximation: 0.95 × Croston.
    CrostonSba,
    /// Croston with each constant optimised on `[0.1, 0.3]` (at most 3,000 values).
    CrostonOptimized,
    /// Teunter–Syntetos–Babai: occurrence and size smoothed apart.
    Tsb {
        /// Smoothing constant of demand sizes, in `(0, 1]`.
        alpha_demand: f64,
        /// Smoothing constant of demand occurrence, in `(0, 1]`.
        alpha_probability: f64,
    },
    /// Aggregate–disaggregate intermittent demand approach (at most 3,000 values).
    Adida,
    /// Multiple aggregation (ADIDA averaged over block lengths; at most 3,000 values).
    Imapa,
    /// A method of a newer core that this build of the binding does not know (only ever
    /// answered, never accepted), by its snake_case name.
    Other {
        /// The method's snake_case name.
        name: String,
    },
}

impl TryFrom<ForecastMethod> for core::Method {
    type Error = StockbookError;
    fn try_from(m: ForecastMethod) -> Result<Self> {
        use ForecastMethod as F;
        Ok(match m {
            F::Naive => core::Method::Naive,
            F::SeasonalNaive { season_length } => core::Method::SeasonalNaive {
                season_length: periods("season_length", season_length)?,
            },
            F::HistoricAverage => core::Method::HistoricAverage,
            F::MovingAverage { window } => core::Method::MovingAverage {
                window: periods("window", window)?,
            },
            F::Ses { alpha } => core::Method::Ses { alpha },
            F::SesOptimized => core::Method::SesOptimized,
            F::Holt { damped } => core::Method::Holt { damped },
            F::HoltWinters {
                season_length,
                seasonality,
                damped,
            } => core::Method::HoltWinters {
                season_length: periods("season_length", season_length)?,
                seasonality: seasonality.into(),
                damped,
            },
            F::AutoEts { season_length } => core::Method::AutoEts {
                season_length: periods("season_length", season_length)?,
            },
            F::EtsFixed { spec, params } => core::Method::EtsFixed {
                spec: spec.try_into()?,
                params: params.into(),
            },
            F::CrostonClassic => core::Method::CrostonClassic,
            F::CrostonSba => core::Method::CrostonSba,
            F::CrostonOptimized => core::Method::CrostonOptimized,
            F::Tsb {
                alpha_demand,
                alpha_probability,
            } => core::Method::Tsb {
                alpha_demand,
                alpha_probability,
            },
            F::Adida => core::Method::Adida,
            F::Imapa => core::Method::Imapa,
            F::Other { name } => {
                return Err(stockbook::Error::InvalidParameter {
                    parameter: "method".to_owned(),
                    reason: format!("{name} is not a method this build of the binding knows"),
                }
                .into());
            }
        })
    }
}

impl From<core::Method> for ForecastMethod {
    fn from(m: core::Method) -> Self {
        use ForecastMethod as F;
        match m {
            core::Method::Naive => F::Naive,
            core::Method::SeasonalNaive { season_length } => F::SeasonalNaive {
                season_length: count(season_length),
            },
            core::Method::HistoricAverage => F::HistoricAverage,
            core::Method::MovingAverage { window } => F::MovingAverage {
                window: count(window),
            },
            core::Method::Ses { alpha } => F::Ses { alpha },
            core::Method::SesOptimized => F::SesOptimized,
            core::Method::Holt { damped } => F::Holt { damped },
            core::Method::HoltWinters {
                season_length,
                seasonality,
                damped,
            } => F::HoltWinters {
                season_length: count(season_length),
                seasonality: seasonality.into(),
                damped,
            },
            core::Method::AutoEts { season_length } => F::AutoEts {
                season_length: count(season_length),
            },
            core::Method::EtsFixed { spec, params } => F::EtsFixed {
                spec: spec.into(),
                params: params.into(),
            },
            core::Method::CrostonClassic => F::CrostonClassic,
            core::Method::CrostonSba => F::CrostonSba,
            core::Method::CrostonOptimized => F::CrostonOptimized,
            core::Method::Tsb {
                alpha_demand,
                alpha_probability,
            } => F::Tsb {
                alpha_demand,
                alpha_probability,
            },
            core::Method::Adida => F::Adida,
            core::Method::Imapa => F::Imapa,
            // `Method` is non-exhaustive: a method added to the core arrives by name.
            other => F::Other {
                name: other.name().to_owned(),
            },
        }
    }
}

/// The kind of seasonality of a Holt–Winters model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Seasonality {
    /// The seasonal effect is added to the level.
    Additive,
    /// The seasonal effect multiplies the level (needs strictly positive demand).
    Multiplicative,
}

same_variants!(Seasonality <=> core::Seasonality { Additive, Multiplicative });

/// The form of one ETS component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EtsComponent {
    /// The component is absent (not allowed for the error).
    None,
    /// Additive.
    Additive,
    /// Multiplicative (needs strictly positive demand; not supported for the trend).
    Multiplicative,
}

same_variants!(EtsComponent <=> core::Component { None, Additive, Multiplicative });

/// The components of an ETS (error, trend, seasonal) model.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EtsSpec {
    /// Additive or multiplicative error.
    pub error: EtsComponent,
    /// No trend or an additive trend.
    pub trend: EtsComponent,
    /// No, additive or multiplicative seasonality.
    pub season: EtsComponent,
    /// Whether the trend is damped (only with a trend).
    #[uniffi(default = false)]
    pub damped: bool,
    /// Periods per season: at least 2 with seasonality, 1 without.
    #[uniffi(default = 1)]
    pub season_length: i32,
}

impl TryFrom<EtsSpec> for core::EtsSpec {
    type Error = StockbookError;
    fn try_from(s: EtsSpec) -> Result<Self> {
        Ok(core::EtsSpec {
            error: s.error.into(),
            trend: s.trend.into(),
            season: s.season.into(),
            damped: s.damped,
            season_length: periods("season_length", s.season_length)?,
        })
    }
}

impl From<core::EtsSpec> for EtsSpec {
    fn from(s: core::EtsSpec) -> Self {
        EtsSpec {
            error: s.error.into(),
            trend: s.trend.into(),
            season: s.season.into(),
            damped: s.damped,
            season_length: count(s.season_length),
        }
    }
}

/// Smoothing constants and initial states of an ETS model (error-correction form: `beta`
/// is α·β* of the textbook component form).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EtsParams {
    /// Level smoothing constant.
    pub alpha: f64,
    /// Initial level.
    pub level: f64,
    /// Trend smoothing constant; present exactly when there is a trend.
    #[uniffi(default)]
    pub beta: Option<f64>,
    /// Seasonal smoothing constant; present exactly when there is seasonality.
    #[uniffi(default)]
    pub gamma: Option<f64>,
    /// Damping factor; present exactly when the trend is damped.
    #[uniffi(default)]
    pub phi: Option<f64>,
    /// Initial trend (slope); present exactly when there is a trend.
    #[uniffi(default)]
    pub slope: Option<f64>,
    /// Initial seasonal states, most recent first; `season_length` values with
    /// seasonality, none without.
    #[uniffi(default)]
    pub seasonal: Vec<f64>,
}

impl From<EtsParams> for core::EtsParams {
    fn from(p: EtsParams) -> Self {
        core::EtsParams {
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

impl From<core::EtsParams> for EtsParams {
    fn from(p: core::EtsParams) -> Self {
        EtsParams {
            alpha: p.alpha,
            level: p.level,
            beta: p.beta,
            gamma: p.gamma,
            phi: p.phi,
            slope: p.slope,
            seasonal: p.seasonal,
        }
    }
}

/// A fitted ETS model: its components, parameters and information criteria.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EtsFit {
    /// The model fitted (for a choice between models, the chosen one).
    pub spec: EtsSpec,
    /// Smoothing constants and initial states.
    pub params: EtsParams,
    /// Log-likelihood (up to the constant statsforecast also leaves out).
    pub loglik: f64,
    /// Akaike information criterion.
    pub aic: f64,
    /// AIC corrected for small samples; models are chosen by it.
    pub aicc: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Number of estimated parameters, the error variance included.
    pub n_params: i32,
}

/// One aggregation level of ADIDA or IMAPA.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AggregationLevel {
    /// Block length in periods.
    pub level: i32,
    /// Smoothing constant found for the block sums.
    pub alpha: f64,
    /// Per-period forecast from this level.
    pub forecast: f64,
}

/// The parameters a method used, fitted or given.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ForecastParams {
    /// The method has no parameters beyond those of its `ForecastMethod`.
    None,
    /// Simple exponential smoothing.
    Ses {
        /// The smoothing constant used.
        alpha: f64,
    },
    /// An ETS model.
    Ets {
        /// The fitted (or given) model.
        fit: EtsFit,
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
    /// Parameters of a kind this build of the binding does not know, by the core's name
    /// of the kind.
    Other {
        /// The snake_case kind.
        kind: String,
    },
}

impl From<core::Params> for ForecastParams {
    fn from(p: core::Params) -> Self {
        match p {
            core::Params::None => ForecastParams::None,
            core::Params::Ses { alpha } => ForecastParams::Ses { alpha },
            core::Params::Ets(fit) => ForecastParams::Ets {
                fit: EtsFit {
                    spec: fit.spec.into(),
                    params: fit.params.into(),
                    loglik: fit.loglik,
                    aic: fit.aic,
                    aicc: fit.aicc,
                    bic: fit.bic,
                    n_params: count(fit.n_params),
                },
            },
            core::Params::Croston {
                alpha_demand,
                alpha_interval,
                factor,
            } => ForecastParams::Croston {
                alpha_demand,
                alpha_interval,
                factor,
            },
            core::Params::Tsb {
                alpha_demand,
                alpha_probability,
            } => ForecastParams::Tsb {
                alpha_demand,
                alpha_probability,
            },
            core::Params::Aggregation { levels } => ForecastParams::Aggregation {
                levels: levels
                    .into_iter()
                    .map(|l| AggregationLevel {
                        level: count(l.level),
                        alpha: l.alpha,
                        forecast: l.forecast,
                    })
                    .collect(),
            },
            // `Params` is non-exhaustive: a kind added to the core arrives by its serde tag.
            other => ForecastParams::Other {
                kind: serde_json::to_value(&other)
                    .ok()
                    .and_then(|v| v.get("kind")?.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            },
        }
    }
}

/// In-sample accuracy of the one-step-ahead fitted values.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Accuracy {
    /// Root mean square of the one-step in-sample errors, about zero: the per-period
    /// demand uncertainty that safety stock must cover.
    pub sigma: f64,
    /// Mean absolute one-step error.
    pub mae: f64,
    /// Mean absolute scaled error (`mae` over the mean absolute change between consecutive
    /// values); null for a constant series.
    pub mase: Option<f64>,
    /// How many periods have a fitted value and so enter the measures.
    pub n: i32,
}

impl From<core::Accuracy> for Accuracy {
    fn from(a: core::Accuracy) -> Self {
        Accuracy {
            sigma: a.sigma,
            mae: a.mae,
            mase: a.mase,
            n: count(a.n),
        }
    }
}

/// The result of `forecast`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Forecast {
    /// The method as asked for.
    pub method: ForecastMethod,
    /// Point forecasts for the next `horizon` periods.
    pub mean: Vec<f64>,
    /// One-step-ahead in-sample forecasts, one per observation; null where the method has
    /// none (the first period, or the first season).
    pub fitted: Vec<Option<f64>>,
    /// The parameters used.
    pub params: ForecastParams,
    /// One-step in-sample error measures.
    pub accuracy: Accuracy,
}

impl From<core::Forecast> for Forecast {
    fn from(f: core::Forecast) -> Self {
        Forecast {
            method: f.method.into(),
            mean: f.mean,
            fitted: f.fitted,
            params: f.params.into(),
            accuracy: f.accuracy.into(),
        }
    }
}

/// The Syntetos–Boylan demand pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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

same_variants!(DemandPattern <=> core::DemandPattern {
    Smooth, Erratic, Intermittent, Lumpy, NoDemand
});

/// The classification of a demand series.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DemandClass {
    /// The pattern.
    pub pattern: DemandPattern,
    /// Average inter-demand interval in periods (the first counted from the start of the
    /// series); null without demand.
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the positive demand sizes (population variance
    /// over squared mean); null without demand.
    pub cv2: Option<f64>,
    /// Number of periods with demand.
    pub demand_periods: i32,
}

impl From<core::DemandClass> for DemandClass {
    fn from(c: core::DemandClass) -> Self {
        DemandClass {
            pattern: c.pattern.into(),
            adi: c.adi,
            cv2: c.cv2,
            demand_periods: count(c.demand_periods),
        }
    }
}

/// How one candidate method of `autoForecast` did on the holdout.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Candidate {
    /// The candidate method.
    pub method: ForecastMethod,
    /// Mean absolute error over the holdout.
    pub mae: f64,
    /// `mae` over the in-sample MAE of the (seasonal) naive method on the training part;
    /// null when that scale is zero.
    pub mase: Option<f64>,
}

/// The result of `autoForecast`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AutoForecast {
    /// The demand classification that chose the candidates (`class` in the core).
    pub demand_class: DemandClass,
    /// Periods held out at the end of the series for scoring.
    pub holdout: i32,
    /// Every candidate that could be fitted on the training part, in the order tried.
    pub candidates: Vec<Candidate>,
    /// The winner refitted on the whole series.
    pub forecast: Forecast,
}

impl From<core::AutoForecast> for AutoForecast {
    fn from(a: core::AutoForecast) -> Self {
        AutoForecast {
            demand_class: a.class.into(),
            holdout: count(a.holdout),
            candidates: a
                .candidates
                .into_iter()
                .map(|c| Candidate {
                    method: c.method.into(),
                    mae: c.mae,
                    mase: c.mase,
                })
                .collect(),
            forecast: a.forecast.into(),
        }
    }
}

/// Forecasts `horizon` periods of `series` (one demand value per period, oldest first;
/// finite and not negative, at most 10,000) with `method`. Numbers follow Nixtla
/// statsforecast.
#[uniffi::export]
pub fn forecast(series: Vec<f64>, method: ForecastMethod, horizon: i32) -> Result<Forecast> {
    let method = core::Method::try_from(method)?;
    let horizon = periods("horizon", horizon)?;
    Ok(core::forecast(&series, &method, horizon)?.into())
}

/// Classifies `series` (Syntetos–Boylan), scores the methods suited to its class on a
/// holdout of its last periods by MASE, and forecasts `horizon` periods with the best one
/// refitted on the whole series. `season_length` is 1 without seasonality.
#[uniffi::export]
pub fn auto_forecast(series: Vec<f64>, season_length: i32, horizon: i32) -> Result<AutoForecast> {
    let season_length = periods("season_length", season_length)?;
    let horizon = periods("horizon", horizon)?;
    Ok(core::auto_forecast(&series, season_length, horizon)?.into())
}

/// Classifies a demand series by Syntetos–Boylan (ADI cut-off 1.32, CV² cut-off 0.49).
#[uniffi::export]
pub fn classify(series: Vec<f64>) -> Result<DemandClass> {
    Ok(core::classify(&series)?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_crosses_both_ways() {
        let spec = EtsSpec {
            error: EtsComponent::Additive,
            trend: EtsComponent::Additive,
            season: EtsComponent::Multiplicative,
            damped: true,
            season_length: 4,
        };
        let params = EtsParams {
            alpha: 0.3,
            level: 10.0,
            beta: Some(0.1),
            gamma: Some(0.2),
            phi: Some(0.9),
            slope: Some(1.0),
            seasonal: vec![1.0, 1.1, 0.9, 1.0],
        };
        let methods = [
            ForecastMethod::Naive,
            ForecastMethod::SeasonalNaive { season_length: 12 },
            ForecastMethod::HistoricAverage,
            ForecastMethod::MovingAverage { window: 3 },
            ForecastMethod::Ses { alpha: 0.5 },
            ForecastMethod::SesOptimized,
            ForecastMethod::Holt { damped: Some(true) },
            ForecastMethod::HoltWinters {
                season_length: 4,
                seasonality: Seasonality::Multiplicative,
                damped: None,
            },
            ForecastMethod::AutoEts { season_length: 7 },
            ForecastMethod::EtsFixed { spec, params },
            ForecastMethod::CrostonClassic,
            ForecastMethod::CrostonSba,
            ForecastMethod::CrostonOptimized,
            ForecastMethod::Tsb {
                alpha_demand: 0.1,
                alpha_probability: 0.2,
            },
            ForecastMethod::Adida,
            ForecastMethod::Imapa,
        ];
        for m in methods {
            let core = core::Method::try_from(m.clone()).unwrap();
            assert_eq!(ForecastMethod::from(core), m);
        }
        let negative = core::Method::try_from(ForecastMethod::MovingAverage { window: -1 });
        assert_eq!(negative.unwrap_err().facts()["parameter"], "window");
        let other = core::Method::try_from(ForecastMethod::Other { name: "x".into() });
        assert_eq!(other.unwrap_err().code(), "invalid_parameter");
    }
}
