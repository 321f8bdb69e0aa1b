//! Nodes in words: one-line summaries ("Verify with passport: name, birthdate") and the
//! inspector's settings list. Conditions and values in words live in `condition`.

use serde_json::Value;

use super::condition::{
    Condition, MIN_LOA_KEYS, RouteCondition, first_of, join_rules, label_of, read_claim_check,
    read_evaluate, route_condition, route_label, rule_words, value_text, words,
};
use super::graph::{Graph, NodeKind};
use crate::api::{Next, Node};

/// Keys of a response node's result ("approved"), in the order they are looked for.
pub(super) const RESULT_KEYS: [&str; 3] = ["result", "outcome", "status"];

/// One line saying what the node does.
pub fn summary(node: &Node) -> String {
    let config = node.config_value().unwrap_or(Value::Null);
    let config = &config;
    match NodeKind::from_type(&node.node_type) {
        NodeKind::Request => crate::tr!("summary-request"),
        NodeKind::Verification => verification_summary(config),
        NodeKind::CheckMinLoa => match first_of(config, &MIN_LOA_KEYS) {
            Some(level) => crate::tr!("summary-min-loa", level = value_text(level)),
            None => crate::tr!("summary-min-loa-unset"),
        },
        NodeKind::CheckClaim => match read_claim_check(config) {
            Some(rule) => crate::tr!("summary-claim", rule = rule_words(&rule)),
            None => crate::tr!("summary-claim-unset"),
        },
        // The simulator reads these settings the same way (`condition::read_evaluate`).
        NodeKind::Evaluate => match read_evaluate(config) {
            Condition::Opaque(_) => crate::tr!("summary-evaluate-unset"),
            condition => words(&condition).map_or_else(
                || crate::tr!("summary-evaluate-unset"),
                |rules| crate::tr!("summary-evaluate", rules = rules),
            ),
        },
        NodeKind::If => if_summary(node.next.as_ref()),
        NodeKind::Response => match first_of(config, &RESULT_KEYS) {
            Some(result) => crate::tr!("summary-response", result = value_text(result)),
            None => crate::tr!("summary-response-unset"),
        },
        NodeKind::Other => crate::tr!("summary-unknown-type", code = node.node_type.as_str()),
    }
}

fn verification_summary(config: &Value) -> String {
    let providers = providers_of(config);
    let claims = strings(config.get("claims"));
    let with = if providers.is_empty() {
        crate::tr!("summary-verify")
    } else {
        crate::tr!("summary-verify-with", providers = providers.join(", "))
    };
    if claims.is_empty() {
        with
    } else {
        crate::tr!(
            "summary-verify-claims",
            verify = with,
            claims = claims.join(", ")
        )
    }
}

fn if_summary(next: Option<&Next>) -> String {
    let routes = match next {
        Some(Next::Routes(routes)) if !routes.is_empty() => routes,
        _ => return crate::tr!("summary-if-no-routes"),
    };
    // The first route with a condition of its own (a default route says "otherwise").
    let first = routes
        .iter()
        .map(route_condition)
        .filter(|route| !matches!(route, RouteCondition::Otherwise))
        .find_map(|route| label_of(&route))
        .unwrap_or_else(|| crate::tr!("summary-if-a-condition"));
    match routes.len() {
        1 => crate::tr!("summary-if", condition = first),
        n => crate::tr!("summary-if-routes", condition = first, count = n),
    }
}

/// Provider ids named by a verification node (`providers` list or a single `provider`).
pub fn providers_of(config: &Value) -> Vec<String> {
    let mut providers = strings(config.get("providers"));
    for key in ["provider", "providerId", "provider_id"] {
        if let Some(id) = config.get(key).and_then(Value::as_str) {
            providers.push(id.to_owned());
        }
    }
    providers
}

/// The inspector's settings in words: one (label, value) row per config field, then where the
/// node goes next.
pub fn describe_settings(node: &Node) -> Vec<(String, String)> {
    let mut rows = vec![
        (crate::tr!("summary-setting-id"), node.id.clone()),
        (
            crate::tr!("summary-setting-type"),
            format!(
                "{} ({})",
                NodeKind::from_type(&node.node_type).label(),
                node.node_type
            ),
        ),
    ];
    let config = node.config_value();
    if let Some(Value::Object(config)) = &config {
        for (key, value) in config {
            rows.push((words_of_key(key), settings_value_text(key, value)));
        }
    } else if let Some(other) = &config {
        rows.push((crate::tr!("summary-setting-settings"), value_text(other)));
    }
    match &node.next {
        None => rows.push((
            crate::tr!("summary-setting-next"),
            crate::tr!("summary-setting-ends"),
        )),
        Some(Next::Node(id)) => rows.push((crate::tr!("summary-setting-next"), id.clone())),
        Some(Next::Routes(routes)) if routes.is_empty() => {
            rows.push((
                crate::tr!("summary-setting-routes"),
                crate::tr!("route-value-none"),
            ));
        }
        Some(Next::Routes(routes)) => {
            for (i, route) in routes.iter().enumerate() {
                let label = route_label(route)
                    .unwrap_or_else(|| crate::tr!("summary-condition-unreadable"));
                let target = match route {
                    Value::String(id) => id.clone(),
                    _ => first_of(route, &["next", "target", "to", "nodeId", "node_id"])
                        .map(value_text)
                        .unwrap_or_else(|| crate::tr!("summary-no-target")),
                };
                let route = (i + 1).to_string();
                rows.push((
                    crate::tr!("summary-setting-route", route = route),
                    format!("{label} -> {target}"),
                ));
            }
        }
    }
    rows
}

fn settings_value_text(key: &str, value: &Value) -> String {
    // The one masking rule: a setting named like a secret, or holding one, is never shown.
    if crate::api::redact::is_secret_field(key) && !value.is_null() {
        return crate::api::redact::MASKED.to_owned();
    }
    if matches!(value, Value::Object(_) | Value::Array(_)) {
        let mut masked = value.clone();
        crate::api::redact::mask_secrets(&mut masked);
        if &masked != value {
            return value_text(&masked);
        }
    }
    if key == "rules"
        && let Value::Array(rules) = value
        && let Some(text) = join_rules(rules, &crate::tr!("route-and"))
    {
        return text;
    }
    value_text(value)
}

/// "minLoa" -> "Min loa", "given_name" -> "Given name".
fn words_of_key(key: &str) -> String {
    let mut words = String::new();
    for (i, ch) in key.chars().enumerate() {
        if ch == '_' || ch == '-' {
            words.push(' ');
        } else if ch.is_uppercase() && i > 0 {
            words.push(' ');
            words.extend(ch.to_lowercase());
        } else if i == 0 {
            words.extend(ch.to_uppercase());
        } else {
            words.push(ch);
        }
    }
    words
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Where a node goes, in words: "nd_b", or "input.loa >= 2 -> nd_a; otherwise -> nd_b".
pub fn next_in_words(next: Option<&Next>, graph: &Graph, node: usize) -> String {
    match next {
        None => "-".to_owned(),
        Some(Next::Node(id)) => id.clone(),
        Some(Next::Routes(routes)) if routes.is_empty() => crate::tr!("summary-no-routes"),
        Some(Next::Routes(_)) => graph.outgoing[node]
            .iter()
            .map(|&e| {
                let edge = &graph.edges[e];
                let target = &graph.nodes[edge.to].id;
                match edge.label() {
                    Some(label) => format!("{label} -> {target}"),
                    None => target.clone(),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secret_settings_are_masked_in_words() {
        assert_eq!(
            settings_value_text("apiToken", &serde_json::json!("FAKE")),
            "***"
        );
        let nested = serde_json::json!({"endpoint": "https://x.example", "signingKey": "FAKE"});
        let text = settings_value_text("vendor", &nested);
        assert!(
            !text.contains("FAKE") && text.contains("x.example"),
            "{text}"
        );
    }

    use serde_json::json;

    use super::*;

    fn node(value: Value) -> Node {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn summaries_read_as_sentences() {
        let verify = node(json!({"id": "v", "type": "verification", "next": "r",
            "config": {"providers": ["passport"], "claims": ["name", "birthdate"]}}));
        assert_eq!(summary(&verify), "Verify with passport: name, birthdate");
        let route = node(json!({"id": "i", "type": "if", "next": [
            {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": "a"}]}));
        assert_eq!(summary(&route), "If input.loa >= 2");
        let empty_if = node(json!({"id": "i", "type": "if", "next": []}));
        assert_eq!(summary(&empty_if), "If (no routes)");
        let loa = node(json!({"id": "l", "type": "check-min-loa", "config": {"minLoa": 2}}));
        assert_eq!(summary(&loa), "Require LoA >= 2");
        let claim = node(json!({"id": "c", "type": "check-claim",
            "config": {"claim": "birthdate", "operator": "exists", "value": true}}));
        assert_eq!(summary(&claim), "Require birthdate exists");
        let evaluate = node(
            json!({"id": "e", "type": "evaluate", "config": {"combine": "any", "rules": [
            {"field": "input.sub", "operator": "exists", "value": true},
            {"field": "input.user.nationality", "operator": "neq", "value": "KR"}]}}),
        );
        assert_eq!(
            summary(&evaluate),
            "Evaluate input.sub exists or input.user.nationality != KR"
        );
        let response =
            node(json!({"id": "r", "type": "response", "config": {"result": "approved"}}));
        assert_eq!(summary(&response), "Respond: approved");
        assert!(summary(&node(json!({"id": "x", "type": "teleport"}))).contains("teleport"));
    }

    #[test]
    fn settings_in_words_list_config_and_routes() {
        let n = node(
            json!({"id": "i", "type": "if", "config": {"minLoa": 2, "given_name": true},
            "next": [{"condition": {"field": "input.loa", "operator": "eq", "value": 3}, "next": "a"}]}),
        );
        let rows = describe_settings(&n);
        assert!(rows.contains(&("Min loa".into(), "2".into())));
        assert!(rows.contains(&("Given name".into(), "yes".into())));
        assert!(rows.contains(&("Route 1".into(), "input.loa = 3 -> a".into())));
    }
}
