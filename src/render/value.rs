//! Page contexts built straight as Tera values.
//!
//! The views used to build `serde_json::Value`s with `json!`, which Tera
//! then converted into its own values through serde: every string copied
//! twice, and every nested `json!` deep-copied its arguments (a fifth of
//! the render stage in the province profile). [`value!`] takes the same
//! syntax as `json!` for what the views use (`{"key": expr, ...}`, `[]`,
//! `null`, any expression) and builds a [`tera::Value`] directly. Tera's arrays and maps
//! are reference-counted, so putting one value inside another is a cheap
//! clone, never a copy of the tree.

pub use tera::value::map_with_capacity;
pub use tera::{Map, Value};

/// What [`value!`] accepts as an expression: like `json!`, it takes a
/// reference and never moves out of the data.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::from(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::from(self.as_str())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {
        $(impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::from(*self)
            }
        })*
    };
}
numbers!(i32, i64, u32, u64, usize, f64);

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::none(),
        }
    }
}

impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::from(self.iter().map(ToValue::to_value).collect::<Vec<Value>>())
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

/// A JSON value made elsewhere (JSON-LD): converted once.
impl ToValue for serde_json::Value {
    fn to_value(&self) -> Value {
        Value::from_serializable(self)
    }
}

/// A map of values, held as it is (no entry inserted twice).
pub fn map(map: Map) -> Value {
    Value::from_map(map)
}

/// The field `key` of a map value (a plain key: no dots).
pub fn field<'a>(v: &'a Value, key: &'a str) -> Option<&'a Value> {
    v.get_from_path(key)
}

/// `v` with `key` set to `new` (v must be a map; otherwise it is returned
/// unchanged).
pub fn with(v: Value, key: &'static str, new: Value) -> Value {
    match v.into_map() {
        Some(mut m) => {
            m.insert(key.into(), new);
            Value::from_map(m)
        }
        None => Value::none(),
    }
}

/// Builds a [`Value`] with the syntax of `serde_json::json!`.
macro_rules! value {
    (null) => {
        $crate::render::value::Value::none()
    };
    ([]) => {
        $crate::render::value::Value::from(Vec::<$crate::render::value::Value>::new())
    };
    ({}) => {
        $crate::render::value::map($crate::render::value::Map::default())
    };
    ({ $($tt:tt)+ }) => {{
        // Made with room for its keys: no map grows while it is filled.
        let mut fields = $crate::render::value::map_with_capacity(
            $crate::render::value::value_count!($($tt)+),
        );
        $crate::render::value::value_fields!(fields $($tt)+);
        $crate::render::value::map(fields)
    }};
    ($e:expr) => {
        $crate::render::value::ToValue::to_value(&$e)
    };
}

/// The `"key": value,` pairs of an object, one at a time.
macro_rules! value_fields {
    ($m:ident) => {};
    ($m:ident $key:literal : $($rest:tt)+) => {
        $crate::render::value::value_field!($m $key [] $($rest)+);
    };
}

/// The number of `"key": value` pairs of an object (as [`value_fields`]
/// splits them: at each top-level comma).
macro_rules! value_count {
    (@value , $($rest:tt)*) => {
        1usize + $crate::render::value::value_count!($($rest)*)
    };
    (@value $next:tt) => {
        1usize
    };
    (@value $next:tt $($rest:tt)+) => {
        $crate::render::value::value_count!(@value $($rest)+)
    };
    () => {
        0usize
    };
    ($key:literal : $($rest:tt)+) => {
        $crate::render::value::value_count!(@value $($rest)+)
    };
}

/// Gathers the tokens of one field's value up to the next top-level comma.
macro_rules! value_field {
    ($m:ident $key:literal [$($v:tt)+] , $($rest:tt)*) => {
        $m.insert($key.into(), $crate::render::value::value!($($v)+));
        $crate::render::value::value_fields!($m $($rest)*);
    };
    ($m:ident $key:literal [$($v:tt)+]) => {
        $m.insert($key.into(), $crate::render::value::value!($($v)+));
    };
    ($m:ident $key:literal [$($v:tt)*] $next:tt $($rest:tt)*) => {
        $crate::render::value::value_field!($m $key [$($v)* $next] $($rest)*);
    };
}

pub(crate) use {value, value_count, value_field, value_fields};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_like_json() {
        let rows = vec![value!({"a": 1}), value!({"a": 2})];
        let name = String::from("Sở <Nội> vụ");
        let none: Option<String> = None;
        let v = value!({
            "name": name,
            "n": 3 + 4,
            "missing": none,
            "flag": 1 > 2,
            "nested": {"rows": rows, "list": vec![value!(1), value!("x"), value!(null)], "empty": []},
            "call": format!("{}-{}", 1, 2),
        });
        let json = serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"name":"Sở <Nội> vụ","n":7,"missing":null,"flag":false,"nested":{"rows":[{"a":1},{"a":2}],"list":[1,"x",null],"empty":[]},"call":"1-2"}"#
        );
        // The name was borrowed, not moved.
        assert_eq!(name.len(), 17);
        assert_eq!(
            value_count!("a": 1, "b": f(x, y), "c": {"d": 1, "e": 2},),
            3
        );
        assert_eq!(value_count!("a": [1, 2]), 1);
    }

    /// Tera's escaping (patched: short strings written up to their first
    /// byte to escape, pulldown's SIMD path for the long ones) escapes as
    /// the plain rule does, whatever the length and where the bytes are.
    #[test]
    fn escaping_is_the_plain_rule() {
        let plain = crate::clean::html_escape;
        let mut inputs = vec![String::new()];
        for len in 1..40 {
            for special in ["&", "<", ">", "\"", "'", "đ", "−", "a"] {
                for at in [0, len / 2, len - 1] {
                    let mut s: String = "1.517,8 Sở".chars().cycle().take(len).collect();
                    let byte = s
                        .char_indices()
                        .nth(at.min(s.chars().count() - 1))
                        .map_or(0, |(i, _)| i);
                    s.insert_str(byte, special);
                    inputs.push(s);
                }
            }
        }
        for s in &inputs {
            let mut out = Vec::new();
            tera::escape_html(s, &mut out).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&out), plain(s), "{s:?}");
        }
    }

    #[test]
    fn field_and_with() {
        let v = value!({"rows": vec![1], "label": "a"});
        assert!(field(&v, "rows").and_then(Value::as_array).is_some());
        assert_eq!(field(&v, "label").and_then(Value::as_str), Some("a"));
        let v = with(v, "label", value!("b"));
        assert_eq!(field(&v, "label").and_then(Value::as_str), Some("b"));
    }
}
