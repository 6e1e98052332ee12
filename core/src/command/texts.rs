//! [`Query::from_texts`]: a query whose fields are all text, read from its op and its
//! fields' names and values without JSON in between. The hot in-memory reads of a
//! binding (`available(sku, location)`) cost a few hundred nanoseconds in all, so building
//! and parsing JSON text for them would more than double their cost; serde reads the query
//! from the values directly instead, through the same derived definition as every other
//! call (so there is no second list of queries to keep in step).

use serde::Deserialize;
use serde::de::value::{Error as ValueError, MapDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};

use super::Query;

impl Query {
    /// The query `op` with `fields` (name, value) as its fields, when they are exactly its
    /// fields and all text (`("available", &[("sku", "A"), ("location", "WH1")])`); `None`
    /// otherwise, and the caller then asks in JSON, which names what is wrong.
    ///
    /// ```
    /// use stockbook::Query;
    ///
    /// let query = Query::from_texts("available", &[("sku", "A"), ("location", "WH1")]);
    /// assert_eq!(query.unwrap(), Query::from_json(
    ///     r#"{"op": "available", "args": {"sku": "A", "location": "WH1"}}"#).unwrap());
    /// assert!(Query::from_texts("available", &[("sku", "A")]).is_none());
    /// assert!(Query::from_texts("available", &[("sku", "A"), ("bin", "WH1")]).is_none());
    /// assert!(Query::from_texts("no_such_read", &[]).is_none());
    /// ```
    pub fn from_texts(op: &str, fields: &[(&str, &str)]) -> Option<Query> {
        Query::deserialize(Tagged {
            op,
            fields,
            next: 0,
        })
        .ok()
    }
}

/// `{"op": op, "args": {name: value, …}}` as serde reads it: the tag, then the variant's
/// fields.
struct Tagged<'a> {
    op: &'a str,
    fields: &'a [(&'a str, &'a str)],
    next: u8,
}

impl<'de> de::Deserializer<'de> for Tagged<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for Tagged<'_> {
    type Error = ValueError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ValueError> {
        let key = match self.next {
            0 => "op",
            1 => "args",
            _ => return Ok(None),
        };
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ValueError> {
        self.next += 1;
        if self.next == 1 {
            seed.deserialize(self.op.into_deserializer())
        } else {
            seed.deserialize(MapDeserializer::new(self.fields.iter().copied()))
        }
    }
}
