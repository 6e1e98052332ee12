//! Integration: handing the log to the world outside the book. Each event as a
//! [CloudEvents](https://cloudevents.io) 1.0 JSON record ([`cloud_event`]), the shape that
//! Kafka, NATS and webhook consumers expect.
//!
//! Below the command layer: it reads events and knows nothing of the engine.

pub mod cloudevents;

pub use cloudevents::{CloudEvent, cloud_event};
