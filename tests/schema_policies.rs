//! The JSON Schema of the policy format (issue 8: "the schema validates every
//! shipped policy and rejects a policy with a misspelt key").
#![cfg(feature = "schema")]

use cs_policy::EXAMPLES;
use cs_policy::schema::{policy_schema, policy_schema_text};
use serde_json::Value as Json;

/// A TOML document as an editor's language server hands it to a JSON Schema
/// validator: dates and times become their TOML text.
fn to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => Json::from(*i),
        toml::Value::Float(f) => Json::from(*f),
        toml::Value::Boolean(b) => Json::Bool(*b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            Json::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn document(text: &str) -> Json {
    let table: toml::Table = text.parse().unwrap_or_default();
    to_json(&toml::Value::Table(table))
}

fn validator() -> jsonschema::Validator {
    match jsonschema::draft7::new(&policy_schema()) {
        Ok(validator) => validator,
        Err(error) => panic!("the generated schema does not compile: {error}"),
    }
}

/// Each problem the schema finds: (where, what).
fn schema_errors(text: &str) -> Vec<(String, String)> {
    let instance = document(text);
    validator()
        .iter_errors(&instance)
        .map(|e| (e.instance_path().to_string(), e.to_string()))
        .collect()
}

fn shop() -> &'static str {
    EXAMPLES
        .iter()
        .find(|(n, _)| *n == "shop")
        .map_or("", |(_, t)| t)
}

#[test]
fn committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string("schema/cs-policy.schema.json").unwrap_or_default();
    assert!(
        committed == policy_schema_text(),
        "schema/cs-policy.schema.json is out of date with the policy reader; regenerate it with\n  \
         cargo run --features cli -- schema > schema/cs-policy.schema.json"
    );
}

#[test]
fn schema_is_a_valid_draft_07_schema() {
    let schema = policy_schema();
    assert!(jsonschema::draft7::meta::is_valid(&schema));
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn schema_validates_every_shipped_policy() {
    for (name, text) in EXAMPLES {
        assert!(cs_policy::Policy::from_toml_str(name, text).is_ok());
        assert_eq!(schema_errors(text), [], "policies/{name}.toml");
    }
}

#[test]
fn every_shipped_policy_declares_the_schema_on_its_first_line() {
    for (name, text) in EXAMPLES {
        assert_eq!(
            text.lines().next(),
            Some("#:schema ../schema/cs-policy.schema.json"),
            "policies/{name}.toml"
        );
    }
}

#[test]
fn schema_rejects_a_shipped_policy_with_one_misspelt_key() {
    let misspelt = shop().replace("week_starts = ", "week_start = ");
    assert_ne!(misspelt, shop());
    // The reader says so too: the schema and the reader agree.
    let problems = cs_policy::Policy::from_toml_str("shop.toml", &misspelt)
        .err()
        .map(|p| {
            p.diagnostics()
                .iter()
                .map(|d| d.field.clone())
                .collect::<Vec<_>>()
        });
    assert_eq!(problems, Some(vec!["calendar.week_start".to_owned()]));
    let errors = schema_errors(&misspelt);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/calendar");
    assert!(errors[0].1.contains("week_start"), "{}", errors[0].1);
}

#[test]
fn schema_rejects_a_misspelt_section_and_a_misspelt_key_in_an_id_table() {
    let misspelt = shop().replace("[calendar]", "[calender]");
    let errors = schema_errors(&misspelt);
    assert!(
        errors
            .iter()
            .any(|(at, what)| at.is_empty() && what.contains("calender")),
        "{errors:?}"
    );
    let misspelt = shop().replace("[funds.activity]\nlabel", "[funds.activity]\nlabl");
    let errors = schema_errors(&misspelt);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/funds/activity");
}

#[test]
fn schema_rejects_wrong_words_types_and_ranges() {
    let cases = [
        (
            "week_starts = \"monday\"",
            "week_starts = \"mon\"",
            "/calendar/week_starts",
        ),
        ("decimals = 2", "decimals = 9", "/policy/rounding/decimals"),
        (
            "effective = 2026-01-01",
            "effective = 20260101",
            "/policy/effective",
        ),
        ("format = 1", "format = \"1\"", "/policy/format"),
    ];
    for (from, to, at) in cases {
        let changed = shop().replacen(from, to, 1);
        assert_ne!(changed, shop(), "{from}");
        assert!(
            cs_policy::Policy::from_toml_str("shop.toml", &changed).is_err(),
            "{to}"
        );
        let errors = schema_errors(&changed);
        assert!(
            errors.iter().any(|(path, _)| path == at),
            "{to}: {errors:?}"
        );
    }
}

#[test]
fn schema_requires_what_the_reader_requires() {
    let schema = policy_schema();
    let required = &schema["properties"]["policy"]["required"];
    for key in ["currency", "effective", "format", "id", "name", "time_zone"] {
        assert!(
            required
                .as_array()
                .is_some_and(|r| r.contains(&Json::from(key))),
            "{key}"
        );
    }
    let without_name = shop().replacen("name = \"网店", "# name = \"网店", 1);
    let errors = schema_errors(&without_name);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/policy");
}

#[test]
fn id_tables_take_any_id_with_the_entry_schema() {
    let schema = policy_schema();
    let funds = &schema["properties"]["funds"];
    assert!(funds["properties"].is_null());
    assert_eq!(funds["additionalProperties"]["additionalProperties"], false);
    let entry = funds["additionalProperties"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        entry.starts_with("`funds.<id>`: a table. A clause"),
        "{entry}"
    );
    let more = format!("{}\n[funds.bonus]\nlabel = \"奖金\"\n", shop());
    assert_eq!(schema_errors(&more), []);
}
