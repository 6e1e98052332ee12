//! The setters of the input types, written once: `setters!` gives each optional field of
//! an input a `fn field(mut self, value) -> Self` in one style (C-BUILDER), documented
//! with the field's own doc. Text takes `impl Into<String>`, quantities `impl Into<Qty>`,
//! lists any iterator; an optional field's setter takes the value, never an `Option`.

/// `setters! { Type { /// doc\n kind field, … } }` where kind is `text` (`Option<String>`),
/// `qty` (`Option<Qty>`), `opt(T)` (`Option<T>`), `string` (`String`), `quantity` (`Qty`),
/// `set(T)` (`T`), `texts` (`Vec<String>`), `list(T)` (`Vec<T>`), `opt_list(T)`
/// (`Option<Vec<T>>`).
macro_rules! setters {
    ($ty:ident { $( $(#[$doc:meta])* $kind:ident $(($t:ty))? $name:ident ),* $(,)? }) => {
        impl $ty {
            $( $crate::setters::setter!(@$kind $(($t))? $(#[$doc])* $name); )*
        }
    };
}

/// One setter of [`setters!`].
macro_rules! setter {
    (@text $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl Into<String>) -> Self {
            self.$name = Some($name.into());
            self
        }
    };
    (@qty $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl Into<$crate::model::Qty>) -> Self {
            self.$name = Some($name.into());
            self
        }
    };
    (@opt ($t:ty) $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: $t) -> Self {
            self.$name = Some($name);
            self
        }
    };
    (@string $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl Into<String>) -> Self {
            self.$name = $name.into();
            self
        }
    };
    (@quantity $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl Into<$crate::model::Qty>) -> Self {
            self.$name = $name.into();
            self
        }
    };
    (@set ($t:ty) $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: $t) -> Self {
            self.$name = $name;
            self
        }
    };
    (@texts $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl IntoIterator<Item = impl Into<String>>) -> Self {
            self.$name = $name.into_iter().map(Into::into).collect();
            self
        }
    };
    (@list ($t:ty) $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl IntoIterator<Item = $t>) -> Self {
            self.$name = $name.into_iter().collect();
            self
        }
    };
    (@opt_list ($t:ty) $(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $name: impl IntoIterator<Item = $t>) -> Self {
            self.$name = Some($name.into_iter().collect());
            self
        }
    };
}

pub(crate) use {setter, setters};
