//! The workspace's `uniffi-bindgen`: generates the Kotlin and Swift sources of
//! `stockbook-ffi` from the built library (`bindings/kotlin/generate.sh` runs it), so the
//! generator's version always matches the `uniffi` the library was built with.

fn main() {
    uniffi::uniffi_bindgen_main();
}
