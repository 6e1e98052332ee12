//! Placeholder: the kotlin binding is being written.
