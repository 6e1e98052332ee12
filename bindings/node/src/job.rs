//! Running engine calls off the JavaScript thread.
//!
//! Every write and every slow read becomes a [`Job`]: napi's `AsyncTask` runs it on the
//! libuv thread pool and settles a promise with its result, or rejects it with the engine
//! error as a `StockbookError` object. One generic task type keeps every async method a
//! one-liner.

use napi::bindgen_prelude::{AsyncTask, ToNapiValue, TypeName};
use napi::{Env, Task};
use stockbook as sb;

use crate::convert::Refusal;
use crate::error;

type Work<T> = Box<dyn FnOnce() -> sb::Result<T> + Send>;

/// A promise of a `T`: what every async method returns. (Methods spell their return type
/// `napi::Result<Later<T>>`: napi-derive recognises a fallible method by the name `Result`.)
pub type Later<T> = AsyncTask<Job<T>>;

/// An engine call to run on the libuv thread pool, yielding a `T` for JavaScript.
pub struct Job<T> {
    work: Option<Work<T>>,
}

impl<T: ToNapiValue + TypeName + Send + 'static> Task for Job<T> {
    /// Engine errors travel as values so that `resolve`, which has the `Env`, can build
    /// the JavaScript error object.
    type Output = sb::Result<T>;
    type JsValue = T;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::from_reason("job ran twice"))?;
        Ok(work())
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<T> {
        error::throw(&env, output)
    }
}

/// Runs `work` on the thread pool.
pub fn spawn<T, F>(work: F) -> Later<T>
where
    T: ToNapiValue + TypeName + Send + 'static,
    F: FnOnce() -> sb::Result<T> + Send + 'static,
{
    AsyncTask::new(Job {
        work: Some(Box::new(work)),
    })
}

/// Runs `work` on arguments that may have failed to convert: a wrong JavaScript type is a
/// `TypeError` (which `lib.js` turns into a rejection); a value the engine refuses rejects
/// the promise like any engine error.
pub fn spawn_with<A, T, F>(args: Result<A, Refusal>, work: F) -> napi::Result<Later<T>>
where
    A: Send + 'static,
    T: ToNapiValue + TypeName + Send + 'static,
    F: FnOnce(A) -> sb::Result<T> + Send + 'static,
{
    match args {
        Ok(args) => Ok(spawn(move || work(args))),
        Err(Refusal::Engine(err)) => Ok(spawn(move || Err(err))),
        Err(Refusal::Type(err)) => Err(err),
    }
}
