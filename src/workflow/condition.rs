//! Conditions in words, for an `if` route's label ("input.loa >= 2", "otherwise") and the rules
//! of check and evaluate nodes: `{field, operator, value}` rules, and/or groups, and the JSON
//! values they compare with, cut to a readable length.

use serde_json::Value;

/// Longest condition or value text before it is cut with "...".
const MAX_TEXT_CHARS: usize = 60;

/// The label of a route: its condition in words, or "otherwise" for a default route.
pub fn route_label(route: &Value) -> Option<String> {
    let Value::Object(map) = route else {
        return None;
    };
    let is_default = ["default", "else", "otherwise"]
        .iter()
        .any(|key| map.get(*key).is_some_and(|v| v.as_bool() != Some(false)));
    for key in [
        "condition",
        "conditions",
        "when",
        "if",
        "rule",
        "rules",
        "match",
    ] {
        if let Some(condition) = map.get(key) {
            return condition_text(condition);
        }
    }
    if map.contains_key("field") {
        return condition_text(route);
    }
    is_default.then(|| "otherwise".to_owned())
}

/// A condition in words: `{field, operator, value}` as "input.loa >= 2"; groups joined with
/// "and"/"or"; anything else as compact JSON, cut to a readable length.
pub fn condition_text(condition: &Value) -> Option<String> {
    let text = match condition {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Array(items) => join_rules(items, "and")?,
        Value::Object(map) => {
            if let Some(rule) = rule_text(condition) {
                rule
            } else if let Some((joiner, items)) = group_of(map) {
                join_rules(items, joiner)?
            } else {
                condition.to_string()
            }
        }
        other => other.to_string(),
    };
    Some(shorten(&text))
}

/// `{all|and: [..]}`, `{any|or: [..]}` or `{operator|combine: "and"|"or", conditions|rules: [..]}`.
fn group_of(map: &serde_json::Map<String, Value>) -> Option<(&'static str, &Vec<Value>)> {
    for (key, joiner) in [("all", "and"), ("and", "and"), ("any", "or"), ("or", "or")] {
        if let Some(Value::Array(items)) = map.get(key) {
            return Some((joiner, items));
        }
    }
    let items = ["conditions", "rules"]
        .iter()
        .find_map(|key| map.get(*key).and_then(Value::as_array))?;
    let joiner = match first_of_map(map, &["operator", "combine", "logic"]).and_then(Value::as_str)
    {
        Some(op) if op.eq_ignore_ascii_case("or") || op.eq_ignore_ascii_case("any") => "or",
        _ => "and",
    };
    Some((joiner, items))
}

pub(super) fn join_rules(items: &[Value], joiner: &str) -> Option<String> {
    let parts: Vec<String> = items.iter().filter_map(condition_text).collect();
    (!parts.is_empty()).then(|| parts.join(&format!(" {joiner} ")))
}

/// A single `{field|claim, operator, value}` rule in words.
pub(super) fn rule_text(rule: &Value) -> Option<String> {
    let field = first_of(rule, &["field", "claim", "path"])?.as_str()?;
    let operator = rule.get("operator").and_then(Value::as_str).unwrap_or("eq");
    let value = rule.get("value").map(value_text).unwrap_or_default();
    Some(match operator {
        "exists" => format!("{field} exists"),
        "not_exists" => format!("{field} does not exist"),
        op => format!("{field} {} {value}", operator_symbol(op)),
    })
}

fn operator_symbol(operator: &str) -> &str {
    match operator {
        "eq" => "=",
        "neq" => "!=",
        "gt" => ">",
        "gte" => ">=",
        "lt" => "<",
        "lte" => "<=",
        other => other,
    }
}

/// A JSON value for people: strings bare, lists comma-separated, objects as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        }
        other => shorten(&other.to_string()),
    }
}

pub(super) fn first_of<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    value.as_object().and_then(|map| first_of_map(map, keys))
}

fn first_of_map<'v>(map: &'v serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().find_map(|key| map.get(*key))
}

pub(super) fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX_TEXT_CHARS - 3).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn route_labels_cover_groups_defaults_and_unknown_shapes() {
        assert_eq!(
            route_label(&json!({"default": true, "next": "a"})).as_deref(),
            Some("otherwise")
        );
        assert_eq!(
            route_label(&json!({"condition": {"any": [
                {"field": "a", "operator": "lt", "value": 1},
                {"field": "b", "operator": "not_exists", "value": null}]}, "next": "x"}))
            .as_deref(),
            Some("a < 1 or b does not exist")
        );
        assert_eq!(
            route_label(&json!({"when": {"strange": [1]}})).as_deref(),
            Some(r#"{"strange":[1]}"#)
        );
        assert_eq!(route_label(&json!({"next": "a"})), None);
        let long = "x".repeat(200);
        assert_eq!(condition_text(&json!(long)).unwrap().chars().count(), 60);
    }
}
