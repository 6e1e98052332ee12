//! An event of the log as a CloudEvents 1.0 record in its JSON format (the structured
//! content mode): the envelope's sequence is the id, its commit time the time, the event
//! kind the type, and the event's own fields the data.

use serde::{Deserialize, Serialize};

use crate::event::Envelope;
use crate::model::{Timestamp, civil_from_days};

/// The CloudEvents version of every record.
pub const SPEC_VERSION: &str = "1.0";

/// The prefix of every record's `type` (`stockbook.moved`).
pub const TYPE_PREFIX: &str = "stockbook.";

/// The scheme of every record's `source` (`stockbook://warehouse-east`).
pub const SOURCE_SCHEME: &str = "stockbook://";

/// One event of the log as a CloudEvents 1.0 record ([`cloud_event`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CloudEvent {
    /// The CloudEvents version: `"1.0"`.
    pub specversion: String,
    /// `stockbook.` and the event kind (`stockbook.moved`).
    #[serde(rename = "type")]
    pub kind: String,
    /// `stockbook://` and the book's name (or the source the caller gave).
    pub source: String,
    /// The event's sequence number, in decimal: unique within the source.
    pub id: String,
    /// When the event was committed (the engine clock), RFC 3339 in UTC to the
    /// millisecond.
    pub time: String,
    /// `application/json`.
    pub datacontenttype: String,
    /// The item the event concerns, when it concerns one (lets a consumer filter without
    /// reading the data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The event's fields, as the log's JSON form has them under the event kind.
    pub data: serde_json::Value,
}

/// `envelope` as a CloudEvents 1.0 record from `source` (without the scheme: the book's
/// name, `stockbook://` is put in front).
pub fn cloud_event(envelope: &Envelope, source: &str) -> CloudEvent {
    let kind = envelope.event.name();
    // The log's JSON form of an event is `{kind: fields}`: the data is the fields.
    let data = match serde_json::to_value(&envelope.event) {
        Ok(serde_json::Value::Object(mut tagged)) => {
            tagged.remove(kind).unwrap_or(serde_json::Value::Null)
        }
        Ok(_) | Err(_) => serde_json::Value::Null,
    };
    CloudEvent {
        specversion: SPEC_VERSION.to_owned(),
        kind: format!("{TYPE_PREFIX}{kind}"),
        source: format!("{SOURCE_SCHEME}{source}"),
        id: envelope.seq.to_string(),
        time: rfc3339(envelope.recorded_at),
        datacontenttype: "application/json".to_owned(),
        subject: envelope.event.sku().map(str::to_owned),
        data,
    }
}

/// `t` (ms since the epoch) as RFC 3339 in UTC with milliseconds
/// (`2026-01-01T00:00:00.000Z`).
pub fn rfc3339(instant: Timestamp) -> String {
    const DAY_MS: i64 = 86_400_000;
    let (year, month, day) = civil_from_days(instant.div_euclid(DAY_MS));
    let of_day = instant.rem_euclid(DAY_MS);
    let hour = of_day / 3_600_000;
    let minute = of_day / 60_000 % 60;
    let second = of_day / 1000 % 60;
    let milli = of_day % 1000;
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z")
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn rfc3339_reference_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_767_225_600_000), "2026-01-01T00:00:00.000Z");
        // 2024-02-29T23:59:59.999Z: a leap day, the last millisecond.
        assert_eq!(rfc3339(1_709_251_199_999), "2024-02-29T23:59:59.999Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
        // 2000-03-01T12:34:56.789Z (951914096789 ms).
        assert_eq!(rfc3339(951_914_096_789), "2000-03-01T12:34:56.789Z");
    }
}
