//! The handle's public methods, by the context they answer for. Reads take the committed
//! state (or a consistent store read) and call the contexts' plain functions; the typed
//! command helpers in [`commands`] are shorthands for [`Stockbook::execute`]; [`call`] is
//! the generic entry point every binding forwards JSON to.
//!
//! [`Stockbook::execute`]: crate::engine::Stockbook::execute

mod call;
mod commands;
mod feed;
mod ledger;
mod orders;
mod planning;
mod queries;
mod supply;
mod verify;

pub use commands::WithMeta;
pub use feed::Feed;
pub use ledger::EventIter;

impl crate::planning::Reader for crate::engine::Stockbook {
    fn with_books<T>(
        &self,
        f: impl FnOnce(crate::planning::Books<'_>) -> T,
    ) -> crate::error::Result<T> {
        let core = self.core()?;
        // The writer swaps the view while it holds the state's write lock: taken under the
        // state's read lock, the two are of one commit.
        let state = core.state.read();
        let view = core.view();
        Ok(f(state.books(&view)))
    }

    fn store_read(&self) -> crate::error::Result<std::sync::Arc<crate::store::backend::StoreRead>> {
        Ok(self.core()?.view())
    }
}
