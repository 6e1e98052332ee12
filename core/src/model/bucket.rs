//! The calendar periods demand is counted in: days, ISO weeks and months, in UTC. A model
//! type because both the log (a recorded forecast names its bucket) and planning use it.

use serde::{Deserialize, Serialize};

use super::{DAY_MS, Timestamp};

/// The length of a period of demand.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// A calendar day (UTC).
    Day,
    /// An ISO week, Monday 00:00 UTC to the next Monday.
    #[default]
    Week,
    /// A calendar month (UTC).
    Month,
}

impl Bucket {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }

    /// The nominal length in days (a month is a twelfth of the Gregorian year,
    /// 30.436875 days): how lead times in days become periods.
    pub fn days(self) -> f64 {
        match self {
            Bucket::Day => 1.0,
            Bucket::Week => 7.0,
            Bucket::Month => 365.2425 / 12.0,
        }
    }

    /// The running number of the bucket holding `t` (days, weeks or months since the
    /// epoch's bucket).
    pub(crate) fn ordinal(self, t: Timestamp) -> i64 {
        let day = t.div_euclid(DAY_MS);
        match self {
            Bucket::Day => day,
            // 1970-01-01 was a Thursday: shift by three days so weeks start on Monday.
            Bucket::Week => (day + 3).div_euclid(7),
            Bucket::Month => {
                let (y, m, _) = civil_from_days(day);
                y * 12 + i64::from(m) - 1
            }
        }
    }

    /// The first instant of the bucket numbered `ordinal`.
    pub(crate) fn start_of_ordinal(self, ordinal: i64) -> Timestamp {
        let day = match self {
            Bucket::Day => ordinal,
            Bucket::Week => ordinal.saturating_mul(7).saturating_sub(3),
            Bucket::Month => {
                days_from_civil(ordinal.div_euclid(12), ordinal.rem_euclid(12) as u32 + 1, 1)
            }
        };
        day.saturating_mul(DAY_MS)
    }

    /// The first instant of the bucket holding `t`.
    pub fn start_of(self, t: Timestamp) -> Timestamp {
        self.start_of_ordinal(self.ordinal(t))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day number (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for day in [-800_000_i64, -1, 0, 1, 59, 10_956, 20_454, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(
            days_from_civil(2024, 2, 29) + 1,
            days_from_civil(2024, 3, 1)
        );
    }

    #[test]
    fn buckets_start_where_the_calendar_says() {
        // 2026-01-01T12:00Z is a Thursday.
        let t = 20_454 * DAY_MS + DAY_MS / 2;
        assert_eq!(Bucket::Day.start_of(t), 20_454 * DAY_MS);
        // The week starts on Monday 2025-12-29.
        assert_eq!(Bucket::Week.start_of(t), 20_451 * DAY_MS);
        assert_eq!(civil_from_days(20_451), (2025, 12, 29));
        assert_eq!(Bucket::Month.start_of(t), 20_454 * DAY_MS);
        // 2026-03-15 → 2026-03-01; the next month starts 2026-04-01.
        let march = days_from_civil(2026, 3, 15) * DAY_MS;
        let o = Bucket::Month.ordinal(march);
        assert_eq!(
            Bucket::Month.start_of(march),
            days_from_civil(2026, 3, 1) * DAY_MS
        );
        assert_eq!(
            Bucket::Month.start_of_ordinal(o + 1),
            days_from_civil(2026, 4, 1) * DAY_MS
        );
        // Before the epoch too.
        assert_eq!(Bucket::Week.start_of(-1), -3 * DAY_MS);
        assert_eq!(
            Bucket::Month.start_of(-1),
            days_from_civil(1969, 12, 1) * DAY_MS
        );
    }
}
