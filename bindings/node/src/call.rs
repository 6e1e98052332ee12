//! The binding's generic entry: one call as JSON text (`{"op", "args", "meta"?, "kind"?}`,
//! the core's form) in, its answer as JSON text out. `call` runs on the libuv thread pool
//! and settles a promise; `callSync` answers a query on the calling thread (the cheap
//! in-memory reads); `calculate` answers a stateless calculation. Neither throws nor rejects for an engine refusal: the
//! answer is then `!` followed by the error's JSON ([`crate::error::json`]), from which
//! `lib.js` builds the error object: a native `Error` costs a stack capture on the main
//! thread per refusal, a burst of refusals many.

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use stockbook as sb;

use crate::book::Stockbook;
use crate::error;

/// The answer of `result` as the JavaScript side reads it.
fn encode(result: sb::Result<String>) -> String {
    match result {
        Ok(answer) => answer,
        Err(err) => error::json(&err),
    }
}

/// The JSON of an answer's value: serde writes the answer `{"op":"<op>","value":<value>}`
/// (the tag first), so the value is that text less its known head and its closing brace.
fn answer_value(answer: &sb::Answer) -> String {
    let text = match serde_json::to_string(answer) {
        Ok(text) => text,
        Err(e) => {
            return error::json(&sb::Error::Internal {
                message: format!("an answer did not serialise: {e}"),
            });
        }
    };
    let value = text
        .strip_prefix("{\"op\":\"")
        .and_then(|rest| rest.split_once("\",\"value\":"))
        .and_then(|(_, rest)| rest.strip_suffix('}'));
    match value {
        Some(value) => value.to_owned(),
        // Not the expected form: read it properly.
        None => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(mut tagged)) => tagged
                .remove("value")
                .unwrap_or(serde_json::Value::Null)
                .to_string(),
            _ => text,
        },
    }
}

/// A call to run on the thread pool.
pub struct Pending {
    book: sb::Stockbook,
    call: String,
}

impl Task for Pending {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        Ok(encode(self.book.call_json(&self.call)))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

#[napi]
impl Stockbook {
    /// Performs one call on the thread pool (internal; see the module docs).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call(&self, call: String) -> AsyncTask<Pending> {
        AsyncTask::new(Pending {
            book: self.book().clone(),
            call,
        })
    }

    /// Performs one query on the calling thread (internal; see the module docs). A query is
    /// read straight into its type: the core's reading of a call tracks each field's path to
    /// name it in a refusal, which costs more than the read itself; any call that does not
    /// read so goes the core's way, which names the field.
    #[napi]
    pub fn call_sync(&self, call: String) -> String {
        if let Ok(query) = serde_json::from_str::<sb::Query>(&call) {
            return match self.book().query(&query) {
                Ok(answer) => answer_value(&answer),
                Err(err) => error::json(&err),
            };
        }
        encode(self.book().call_json(&call))
    }
}

#[napi]
impl Stockbook {
    /// Answers an in-memory query of one text field on the calling thread, without JSON on
    /// the way in (internal: the generated hot reads). `?` when `op` does not take exactly
    /// this field: the caller then asks in JSON.
    #[napi]
    pub fn read1(&self, op: String, k1: String, v1: String) -> String {
        self.read_texts(&op, &[(&k1, &v1)])
    }

    /// As `read1`, for a query of two text fields (`available(sku, location)`).
    #[napi]
    pub fn read2(&self, op: String, k1: String, v1: String, k2: String, v2: String) -> String {
        self.read_texts(&op, &[(&k1, &v1), (&k2, &v2)])
    }
}

impl Stockbook {
    fn read_texts(&self, op: &str, fields: &[(&str, &str)]) -> String {
        match sb::Query::from_texts(op, fields) {
            Some(query) => match self.book().query(&query) {
                Ok(answer) => answer_value(&answer),
                Err(err) => error::json(&err),
            },
            None => "?".to_owned(),
        }
    }
}

/// A calculation to run on the thread pool (the slow ones: fitting forecasts).
pub struct Calculating {
    call: String,
}

impl Task for Calculating {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        Ok(encode(sb::calculate_json(&self.call)))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Performs one stateless calculation (`{"op", "args"}`) on the calling thread (internal).
#[napi]
pub fn calculate(call: String) -> String {
    encode(sb::calculate_json(&call))
}

/// As [`calculate`], on the thread pool (internal).
#[napi(ts_return_type = "Promise<string>")]
pub fn calculate_async(call: String) -> AsyncTask<Calculating> {
    AsyncTask::new(Calculating { call })
}
