//! The JSON Schema of the policy format, for editors with a TOML language
//! server (taplo, Even Better TOML): they validate and complete policy files
//! that start with `#:schema ../schema/cs-policy.schema.json`.
//!
//! The schema is not written by hand: it is recorded from the policy reader
//! itself, so it cannot drift from what [`Policy::from_toml_str`] accepts.
//! Every table the reader opens, every key it asks for and the shape it
//! expects there (string, whole number with its range, decimal, money, date,
//! time of day, one of a set of words, array, table) is recorded while an
//! empty document is read with every absent table entered as an empty one,
//! and while every shipped example policy is read, so that keys behind
//! value-dependent branches are covered too. Tables report unknown keys, so
//! they get `additionalProperties: false`; a table whose keys are ids the
//! file chooses (`[funds.<id>]`) gets its entries' schema instead; keys read
//! as required in every table where the reader saw them are `required`.
//! Descriptions give each key's path and shape, and any text a reader
//! attaches with `Table::describe`.
//!
//! A key that a reader reads only in a branch neither the empty document nor
//! any shipped example reaches is unknown to the schema, which then rejects
//! it: ship an example that uses it. The tests check that the schema accepts
//! every shipped policy and that the committed file is up to date.
//!
//! The schema is JSON Schema draft-07, which taplo validates. The crate
//! ships it as `schema/cs-policy.schema.json`; regenerate it with
//! `cargo run --features cli -- schema > schema/cs-policy.schema.json`.
//!
//! [`Policy::from_toml_str`]: crate::Policy::from_toml_str

use serde_json::{Map, Number, Value, json};

use crate::policy::read::{RecNode, Shape, record_format};

/// The JSON Schema dialect the schema is written in.
pub const DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// A quoted decimal as the reader accepts it (underscores and surrounding
/// spaces allowed).
const DECIMAL: &str = r"^\s*[+-]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)\s*$";
/// A quoted decimal that is not negative.
const UNSIGNED_DECIMAL: &str = r"^\s*\+?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)\s*$";
/// A local date, as TOML writes it (or the same as a string).
const DATE: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// A local time of day, with or without seconds.
const TIME: &str = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$";

/// The JSON Schema of the policy format.
///
/// ```
/// let schema = cs_policy::schema::policy_schema();
/// assert_eq!(schema["$schema"], cs_policy::schema::DIALECT);
/// // Every known table reports unknown keys, so the schema rejects them.
/// assert_eq!(schema["properties"]["calendar"]["additionalProperties"], false);
/// assert_eq!(
///     schema["properties"]["calendar"]["properties"]["week_starts"]["enum"][0],
///     "monday"
/// );
/// ```
pub fn policy_schema() -> Value {
    let format = record_format();
    let mut schema = Map::new();
    schema.insert("$schema".into(), DIALECT.into());
    schema.insert("title".into(), "cs-policy policy file".into());
    let Value::Object(root) = node_schema(&format, "") else {
        return Value::Object(schema);
    };
    schema.extend(root);
    schema.insert(
        "description".into(),
        format!(
            "A customer-service rulebook read by cs-policy (policy format {}). \
             Generated from the policy reader by `cs-policy schema`.",
            crate::FORMAT_VERSION
        )
        .into(),
    );
    Value::Object(schema)
}

/// [`policy_schema`] as pretty-printed JSON text ending in a line break, as
/// `cs-policy schema` prints it and `schema/cs-policy.schema.json` holds it.
///
/// ```
/// let text = cs_policy::schema::policy_schema_text();
/// assert!(text.starts_with("{\n"));
/// assert!(text.ends_with("}\n"));
/// ```
pub fn policy_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&policy_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of the values recorded at one path pattern.
pub(crate) fn node_schema(node: &RecNode, path: &str) -> Value {
    let mut alternatives: Vec<Map<String, Value>> = Vec::new();
    let mut what: Vec<String> = Vec::new();
    if node.table || !node.keys.is_empty() || node.entry.is_some() {
        alternatives.push(table_schema(node, path));
        what.push(match &node.entry {
            Some(_) => "a table of entries, each under an id the file chooses".to_owned(),
            None => "a table".to_owned(),
        });
    }
    if node.array || node.items.is_some() {
        let mut array = Map::new();
        array.insert("type".into(), "array".into());
        if let Some(items) = &node.items {
            array.insert("items".into(), node_schema(items, &format!("{path}[]")));
        }
        alternatives.push(array);
        what.push("an array".to_owned());
    }
    for shape in &node.shapes {
        alternatives.push(scalar_schema(shape));
        what.push(describe(shape));
    }
    let mut schema = match alternatives.len() {
        0 => Map::new(),
        1 => alternatives.pop().unwrap_or_default(),
        _ => {
            let mut any = Map::new();
            any.insert(
                "anyOf".into(),
                alternatives.into_iter().map(Value::Object).collect(),
            );
            any
        }
    };
    let mut description = if path.is_empty() {
        "the policy file".to_owned()
    } else {
        format!("`{path}`")
    };
    if !what.is_empty() {
        description.push_str(": ");
        description.push_str(&what.join(", or "));
    }
    if let Some((lo, hi)) = bounds(&node.ranges) {
        description.push_str(&format!(", from {lo} to {hi}"));
        schema.insert("minimum".into(), Value::Number(lo));
        schema.insert("maximum".into(), Value::Number(hi));
    }
    for doc in &node.docs {
        description.push_str(". ");
        description.push_str(doc);
    }
    if node.clause {
        description.push_str(". A clause: results it decides cite it by this path");
    }
    schema.insert("description".into(), description.into());
    Value::Object(schema)
}

fn table_schema(node: &RecNode, path: &str) -> Map<String, Value> {
    let mut table = Map::new();
    table.insert("type".into(), "object".into());
    if !node.keys.is_empty() {
        let properties: Map<String, Value> = node
            .keys
            .iter()
            .map(|(key, child)| {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                (key.clone(), node_schema(child, &child_path))
            })
            .collect();
        table.insert("properties".into(), Value::Object(properties));
        let required: Vec<Value> = node
            .keys
            .keys()
            .filter(|key| node.is_required(key))
            .map(|key| Value::from(key.as_str()))
            .collect();
        if !required.is_empty() {
            table.insert("required".into(), Value::Array(required));
        }
    }
    if let Some(entry) = &node.entry {
        let entry_path = if path.is_empty() {
            "<id>".to_owned()
        } else {
            format!("{path}.<id>")
        };
        table.insert(
            "additionalProperties".into(),
            node_schema(entry, &entry_path),
        );
    } else if node.is_closed() {
        table.insert("additionalProperties".into(), false.into());
    }
    table
}

fn scalar_schema(shape: &Shape) -> Map<String, Value> {
    let value = match shape {
        Shape::String => json!({ "type": "string" }),
        Shape::Integer { min, max } => {
            let mut schema = json!({ "type": "integer" });
            // Bounds wider than any number a TOML file can hold say nothing.
            if let Some(min) = number(*min).filter(|_| *min > i128::from(i64::MIN)) {
                schema["minimum"] = Value::Number(min);
            }
            if let Some(max) = number(*max).filter(|_| *max < i128::from(i64::MAX)) {
                schema["maximum"] = Value::Number(max);
            }
            schema
        }
        Shape::Decimal => json!({ "type": ["string", "integer", "number"], "pattern": DECIMAL }),
        Shape::Money { negative: true } => {
            json!({ "type": ["string", "integer"], "pattern": DECIMAL })
        }
        Shape::Money { negative: false } => {
            json!({ "type": ["string", "integer"], "pattern": UNSIGNED_DECIMAL, "minimum": 0 })
        }
        Shape::Bool => json!({ "type": "boolean" }),
        Shape::Date => json!({ "type": "string", "pattern": DATE }),
        Shape::Time => json!({ "type": "string", "pattern": TIME }),
        Shape::Words { words, .. } => json!({ "type": "string", "enum": words }),
        // Recorded as structure, not as scalar shapes.
        Shape::Any | Shape::Array(_) | Shape::Table => json!({}),
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::String => "a string".to_owned(),
        Shape::Integer { .. } => "a whole number".to_owned(),
        Shape::Decimal => "a number (a quoted decimal such as \"0.5\", or a number)".to_owned(),
        Shape::Money { negative: true } => {
            "an amount of money (a quoted decimal such as \"-20.00\", or a whole number; never a float)"
                .to_owned()
        }
        Shape::Money { negative: false } => {
            "an amount of money, not negative (a quoted decimal such as \"20.00\", or a whole number; never a float)"
                .to_owned()
        }
        Shape::Bool => "true or false".to_owned(),
        Shape::Date => "a date such as 2026-10-01".to_owned(),
        Shape::Time => "a time of day such as 08:30".to_owned(),
        Shape::Words { what, words } => format!("{what}: one of `{}`", words.join("`, `")),
        Shape::Any => "anything".to_owned(),
        Shape::Array(_) => "an array".to_owned(),
        Shape::Table => "a table".to_owned(),
    }
}

fn number(n: i128) -> Option<Number> {
    i64::try_from(n)
        .map(Number::from)
        .ok()
        .or_else(|| u64::try_from(n).ok().map(Number::from))
}

/// The widest of the recorded ranges, when every bound is a number.
fn bounds(ranges: &[(String, String)]) -> Option<(Number, Number)> {
    let mut widest: Option<(Number, Number)> = None;
    for (lo, hi) in ranges {
        let lo: Number = lo.parse().ok()?;
        let hi: Number = hi.parse().ok()?;
        widest = Some(match widest {
            None => (lo, hi),
            Some((a, b)) => (
                if as_f64(&lo) < as_f64(&a) { lo } else { a },
                if as_f64(&hi) > as_f64(&b) { hi } else { b },
            ),
        });
    }
    widest
}

fn as_f64(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::read::record;
    use crate::policy::read::tests::read_demo;

    fn to_json(value: &toml::Value) -> Value {
        match value {
            toml::Value::String(s) => Value::String(s.clone()),
            toml::Value::Integer(i) => Value::from(*i),
            toml::Value::Float(f) => Value::from(*f),
            toml::Value::Boolean(b) => Value::Bool(*b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
            toml::Value::Table(t) => {
                Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
            }
        }
    }

    /// The schema a section-like reader gets, and whether it accepts a text.
    fn accepts(schema: &Value, text: &str) -> bool {
        let doc: toml::Table = text.parse().unwrap_or_default();
        let validator = jsonschema::draft7::new(schema).ok();
        validator.is_some_and(|v| v.is_valid(&to_json(&toml::Value::Table(doc))))
    }

    #[test]
    fn a_section_reader_gets_a_schema_that_agrees_with_it() {
        let fixed = "[demo]\nkind = \"fixed\"\namount = \"20\"\ndays = 3\n\
                     steps = [{ fine = 100 }, { fine = \"-2.5\" }]\n\
                     dates = [2026-01-01]\n[demo.types.a]\nrest = [\"sunday\"]\n";
        let rate = "[demo]\nkind = \"rate\"\n";
        let format = record(["", fixed, rate], read_demo);
        let schema = node_schema(&format, "");
        assert!(accepts(&schema, fixed));
        assert!(accepts(&schema, rate));
        assert!(accepts(&schema, ""));
        let rejected = [
            // a misspelt key, in the section, a step and an id entry
            fixed.replace("days = 3", "dayz = 3"),
            fixed.replace("{ fine = 100 }", "{ fin = 100 }"),
            fixed.replace("rest =", "rst ="),
            // a required key missing
            rate.replace("kind = \"rate\"", ""),
            // out of range, a float amount, a negative amount, a wrong word, a bad date
            fixed.replace("days = 3", "days = 32"),
            fixed.replace("amount = \"20\"", "amount = 20.5"),
            fixed.replace("amount = \"20\"", "amount = \"-20\""),
            fixed.replace("\"sunday\"", "\"sun\""),
            fixed.replace("dates = [2026-01-01]", "dates = [\"1 Jan\"]"),
        ];
        for text in &rejected {
            assert!(!accepts(&schema, text), "accepted:\n{text}");
        }
        assert_eq!(schema["properties"]["demo"]["required"], json!(["kind"]));
        assert_eq!(
            schema["properties"]["demo"]["properties"]["days"]["maximum"],
            31
        );
    }
}
