//! The standard normal distribution: density, distribution function, quantile and the
//! first- and second-order loss functions, to about 1e-15.
//!
//! Written here rather than taken from a crate to keep the engine free of numeric
//! dependencies. `erfc` uses a positive-term series below 2 and a continued fraction
//! above, so tails keep their relative accuracy; the quantile starts from Acklam's
//! rational approximation (relative error 1.15e-9) and is polished by two Halley steps on
//! that `erfc`.

use std::f64::consts::{FRAC_2_SQRT_PI, PI, SQRT_2};

use super::Demand;
use crate::error::Result;
use crate::planning::check;

/// 1/√(2π).
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// The standard normal density φ(x).
pub fn normal_pdf(x: f64) -> f64 {
    FRAC_1_SQRT_2PI * (-0.5 * x * x).exp()
}

/// The standard normal distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / SQRT_2)
}

/// The upper tail 1 − Φ(x), computed directly so it keeps its precision for large x.
pub(crate) fn normal_sf(x: f64) -> f64 {
    0.5 * erfc(x / SQRT_2)
}

/// The standard normal quantile Φ⁻¹(p) for p strictly between 0 and 1.
pub fn normal_quantile(p: f64) -> Result<f64> {
    check::open_unit("p", p)?;
    Ok(quantile(p))
}

/// The standard normal loss function G(k) = E[(Z − k)⁺] = φ(k) − k(1 − Φ(k)): the
/// expected shortage per unit of standard deviation when the safety factor is k.
pub fn standard_normal_loss(k: f64) -> f64 {
    normal_pdf(k) - k * normal_sf(k)
}

/// The second-order loss function G₂(k) = E[((Z − k)⁺)²] / 2
/// = ((k² + 1)(1 − Φ(k)) − kφ(k)) / 2, whose integral form ∫ₖ^∞ G(t) dt it equals.
pub(crate) fn standard_normal_second_loss(k: f64) -> f64 {
    0.5 * ((k * k + 1.0) * normal_sf(k) - k * normal_pdf(k))
}

/// Φ⁻¹ for p in (0, 1), unchecked.
pub(crate) fn quantile(p: f64) -> f64 {
    debug_assert!(p > 0.0 && p < 1.0);
    let mut x = acklam(p);
    for _ in 0..2 {
        // Φ(x) − p, taken from the upper tail above the median so that 1 − p (exact
        // there) is compared with a tail probability instead of two numbers near 1.
        let e = if p < 0.5 {
            normal_cdf(x) - p
        } else {
            (1.0 - p) - normal_sf(x)
        };
        let u = e * (2.0 * PI).sqrt() * (0.5 * x * x).exp();
        if !u.is_finite() {
            break;
        }
        x -= u / (1.0 + 0.5 * x * u);
    }
    x
}

/// Acklam's rational approximation of Φ⁻¹.
fn acklam(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

/// The complementary error function.
fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 2.0 {
        return 1.0 - erf_series(x);
    }
    if x > 27.5 {
        // e^{-x²} underflows: erfc(27.5) < 1e-330.
        return 0.0;
    }
    erfc_continued_fraction(x)
}

/// erf(x) = (2/√π) e^{−x²} Σₖ 2ᵏ x^{2k+1} / (1·3···(2k+1)): every term positive, so no
/// cancellation (the alternating Taylor series loses digits near 2).
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for k in 1..200 {
        term *= 2.0 * x2 / f64::from(2 * k + 1);
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
    }
    FRAC_2_SQRT_PI * (-x2).exp() * sum
}

/// erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + 2/(x + …))))) for x ≥ 2, by the
/// modified Lentz method.
// f, c, d, a: the names of Lentz's algorithm.
#[allow(clippy::many_single_char_names)]
fn erfc_continued_fraction(x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..500 {
        let a = f64::from(k) / 2.0;
        d = x + a * d;
        if d == 0.0 {
            d = TINY;
        }
        c = x + a / c;
        if c == 0.0 {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (f * PI.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_meets_known_values() {
        // Reference values computed with mpmath at 30 digits.
        let cases = [
            (0.0, 1.0),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_13),
            (1.999_999, 0.004_677_755_648_073_952),
            (2.0, 0.004_677_734_981_047_266),
            (3.0, 2.209_049_699_858_544e-5),
            (5.0, 1.537_459_794_428_034_8e-12),
            (10.0, 2.088_487_583_762_545e-45),
        ];
        for (x, want) in cases {
            let got = erfc(x);
            assert!(
                ((got - want) / want).abs() < 2e-14,
                "erfc({x}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        for i in 1..1000 {
            let p = f64::from(i) / 1000.0;
            let x = quantile(p);
            assert!(
                (normal_cdf(x) - p).abs() < 2e-16 * p.max(1e-3) * 1e3,
                "p={p}"
            );
        }
        for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-5] {
            let x = quantile(p);
            // exp(-x²/2) carries a relative error of about x²·ε, 1.5e-13 at p = 1e-300.
            assert!(((normal_cdf(x) - p) / p).abs() < 1e-12, "p={p}, x={x}");
            let y = quantile(1.0 - p.max(1e-16));
            assert!(y > 0.0);
        }
    }

    #[test]
    fn loss_function_identities() {
        for k in [-3.0, -1.0, -0.2, 0.0, 0.7, 2.0, 4.0] {
            // G(-k) = G(k) + k.
            assert!((standard_normal_loss(-k) - standard_normal_loss(k) - k).abs() < 1e-14);
            // G is the derivative of -G₂: compare a central difference.
            let h = 1e-5;
            let d = -(standard_normal_second_loss(k + h) - standard_normal_second_loss(k - h))
                / (2.0 * h);
            assert!((d - standard_normal_loss(k)).abs() < 1e-8, "k={k}");
        }
    }
}

/// Lead-time demand of an (r, Q) model: mean λL, standard deviation σ√L.
#[derive(Clone, Copy)]
pub(crate) struct LeadDemand {
    pub(crate) mu: f64,
    pub(crate) sigma: f64,
}

impl LeadDemand {
    pub(crate) fn new(demand: Demand, lead_time: f64) -> LeadDemand {
        LeadDemand {
            mu: demand.mean * lead_time,
            sigma: demand.std_dev * lead_time.sqrt(),
        }
    }

    /// n(x) = E[(D − x)⁺].
    pub(crate) fn loss(self, x: f64) -> f64 {
        if self.sigma > 0.0 {
            self.sigma * standard_normal_loss((x - self.mu) / self.sigma)
        } else {
            (self.mu - x).max(0.0)
        }
    }

    /// n⁽²⁾(x) = E[((D − x)⁺)²]/2.
    pub(crate) fn second_loss(self, x: f64) -> f64 {
        if self.sigma > 0.0 {
            self.sigma * self.sigma * standard_normal_second_loss((x - self.mu) / self.sigma)
        } else {
            0.5 * (self.mu - x).max(0.0).powi(2)
        }
    }

    /// The newsvendor cost g(y) = h·E[(y − D)⁺] + p·E[(D − y)⁺].
    pub(super) fn newsvendor_cost(self, y: f64, h: f64, p: f64) -> f64 {
        let short = self.loss(y);
        h * (short + y - self.mu) + p * short
    }

    /// The minimiser of g: the p/(h+p) quantile.
    pub(super) fn newsvendor_level(self, h: f64, p: f64) -> f64 {
        if self.sigma > 0.0 {
            self.mu + self.sigma * quantile(p / (p + h))
        } else {
            self.mu
        }
    }
}
