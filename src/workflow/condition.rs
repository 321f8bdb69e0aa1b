//! Conditions read once, for both the viewer and the simulator: an `if` route's condition (or
//! its default mark), check-claim and evaluate settings, as typed [`Condition`]s; and the same
//! reading in words for labels ("input.loa >= 2", "otherwise"), cut to a readable length.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

/// Longest condition or value text before it is cut with "...".
pub(super) const MAX_TEXT_CHARS: usize = 60;

/// Keys that hold a route's condition, in the order they are looked for.
const CONDITION_KEYS: [&str; 7] = [
    "condition",
    "conditions",
    "when",
    "if",
    "rule",
    "rules",
    "match",
];

/// Keys of a check-min-loa node's level, in the order they are looked for.
pub const MIN_LOA_KEYS: [&str; 4] = ["minLoa", "min_loa", "loa", "level"];

/// Keys that mark a route as the one taken when no other holds.
pub const DEFAULT_KEYS: [&str; 3] = ["default", "else", "otherwise"];

/// A rule's comparison, as the docs name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Exists,
    NotExists,
}

impl Operator {
    /// Every operator by its documented name, in the docs' order.
    pub const NAMES: [(&str, Operator); 8] = [
        ("eq", Operator::Eq),
        ("neq", Operator::Neq),
        ("gt", Operator::Gt),
        ("gte", Operator::Gte),
        ("lt", Operator::Lt),
        ("lte", Operator::Lte),
        ("exists", Operator::Exists),
        ("not_exists", Operator::NotExists),
    ];

    /// The documented names, in any case; anything else is `None`.
    pub fn parse(name: &str) -> Option<Self> {
        // Written as documented nearly always: match that before trying other cases.
        Self::NAMES
            .iter()
            .find(|(known, _)| same(known, name))
            .or_else(|| {
                Self::NAMES
                    .iter()
                    .find(|(known, _)| known.eq_ignore_ascii_case(name))
            })
            .map(|(_, operator)| *operator)
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Neq => "!=",
            Self::Gt => ">",
            Self::Gte => ">=",
            Self::Lt => "<",
            Self::Lte => "<=",
            Self::Exists => "exists",
            Self::NotExists => "does not exist",
        }
    }
}

/// One `{field|claim|path, operator, value}` rule as written; `value` is null when absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule<'a> {
    pub field: &'a str,
    /// The operator's name as written (or the reader's default when there is none).
    pub operator: &'a str,
    pub value: &'a Value,
}

/// A condition taken apart: a rule, an all/any group, or something the console cannot read.
/// A group keeps its items as written; [`Condition::items`] reads them one by one, so reading
/// allocates nothing however deep the groups go.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition<'a> {
    Rule(Rule<'a>),
    All(&'a [Value]),
    Any(&'a [Value]),
    /// Text or JSON of no known shape: shown as written, never evaluated.
    Opaque(&'a Value),
}

/// What an `if` route says.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteCondition<'a> {
    When(Condition<'a>),
    /// Marked `default`, `else` or `otherwise`, with no condition of its own.
    Otherwise,
    /// Neither a condition nor a default mark.
    Unreadable,
}

impl<'a> Condition<'a> {
    /// A group's conditions, each read with [`read_condition`]; none for anything else.
    pub fn items(&self) -> impl Iterator<Item = Condition<'a>> + use<'a> {
        let items: &'a [Value] = match self {
            Condition::All(items) | Condition::Any(items) => items,
            _ => &[],
        };
        items.iter().map(read_condition)
    }
}

static NULL: Value = Value::Null;

/// The one reading of a route: a condition under a known key (or the route itself when it
/// has a `field`) comes first; a default mark only counts on a route without one.
pub fn route_condition(route: &Value) -> RouteCondition<'_> {
    let Value::Object(map) = route else {
        return RouteCondition::Unreadable;
    };
    if let Some(condition) = first_of_map(map, &CONDITION_KEYS) {
        return RouteCondition::When(read_condition(condition));
    }
    if first_of_map(map, &["field"]).is_some() {
        return RouteCondition::When(read_condition(route));
    }
    let is_default = first_matching(map, &DEFAULT_KEYS, |v| v.as_bool() != Some(false)).is_some();
    if is_default {
        RouteCondition::Otherwise
    } else {
        RouteCondition::Unreadable
    }
}

/// A condition: a rule (operator `eq` when none is given), a group, a plain array (all), or
/// opaque.
pub fn read_condition(condition: &Value) -> Condition<'_> {
    match condition {
        Value::Array(items) => Condition::All(items),
        Value::Object(map) => {
            if let Some(rule) = read_rule(condition, "eq") {
                Condition::Rule(rule)
            } else if let Some((any, items)) = group_of(map) {
                if any {
                    Condition::Any(items)
                } else {
                    Condition::All(items)
                }
            } else {
                Condition::Opaque(condition)
            }
        }
        other => Condition::Opaque(other),
    }
}

/// A check-claim node's settings: `{claim|field|path, operator, value}`, operator `exists`
/// when none is given.
pub fn read_claim_check(config: &Value) -> Option<Rule<'_>> {
    read_rule(config, "exists")
}

/// The path a check-claim reads: a bare claim name (`birthdate`) is a claim of `input`; a
/// field already starting at `input` is read as written.
pub fn claim_path(field: &str) -> Cow<'_, str> {
    if field == "input" || field.starts_with("input.") {
        Cow::Borrowed(field)
    } else {
        Cow::Owned(format!("input.{field}"))
    }
}

/// An evaluate node's settings: `rules` as a list (all, or any with `combine: any`), `rules`
/// as a group, or the settings themselves as a group or a rule.
pub fn read_evaluate(config: &Value) -> Condition<'_> {
    match config.get("rules") {
        Some(rules) if !rules.is_array() => read_condition(rules),
        _ => read_condition(config),
    }
}

fn read_rule<'a>(rule: &'a Value, default_operator: &'a str) -> Option<Rule<'a>> {
    let map = rule.as_object()?;
    // One pass over the rule's few keys (a simulation reads rules thousands of times); the
    // field is `field`, else `claim`, else `path`.
    let (mut field, mut rank, mut operator, mut value) = (None, usize::MAX, None, &NULL);
    for (key, item) in map {
        // Byte-string patterns: a switch on the length, then a comparison of known size.
        let key_rank = match key.as_bytes() {
            b"field" => 0,
            b"claim" => 1,
            b"path" => 2,
            b"operator" => {
                operator = Some(item);
                continue;
            }
            b"value" => {
                value = item;
                continue;
            }
            _ => continue,
        };
        if key_rank < rank {
            (field, rank) = (Some(item), key_rank);
        }
    }
    let operator = match operator {
        None | Some(Value::Null) => default_operator,
        Some(op) => op.as_str()?,
    };
    Some(Rule {
        field: field?.as_str()?,
        operator,
        value,
    })
}

/// `{all|and: [..]}`, `{any|or: [..]}` or `{operator|combine|logic: "and"|"or", conditions|rules:
/// [..]}`; `true` for any.
fn group_of(map: &serde_json::Map<String, Value>) -> Option<(bool, &Vec<Value>)> {
    const GROUPS: [&str; 4] = ["all", "and", "any", "or"];
    if let Some((rank, Value::Array(items))) = first_ranked(map, &GROUPS, Value::is_array) {
        return Some((rank >= 2, items));
    }
    let items = first_matching(map, &["conditions", "rules"], Value::is_array)?.as_array()?;
    let any = first_of_map(map, &["operator", "combine", "logic"])
        .and_then(Value::as_str)
        .is_some_and(|op| op.eq_ignore_ascii_case("or") || op.eq_ignore_ascii_case("any"));
    Some((any, items))
}

/// The label of a route: its condition in words, or "otherwise" for a default route.
pub fn route_label(route: &Value) -> Option<String> {
    label_of(&route_condition(route))
}

/// The label of a route already read with [`route_condition`].
pub fn label_of(route: &RouteCondition<'_>) -> Option<String> {
    match route {
        RouteCondition::When(condition) => words(condition),
        RouteCondition::Otherwise => Some(crate::tr_text!("route-otherwise")),
        RouteCondition::Unreadable => None,
    }
}

/// A condition in words: `{field, operator, value}` as "input.loa >= 2"; groups joined with
/// "and"/"or"; anything else as compact JSON, cut to a readable length.
pub fn condition_text(condition: &Value) -> Option<String> {
    words(&read_condition(condition))
}

/// A read condition in words, cut to a readable length; `None` when there is nothing to say
/// (null, an empty group).
pub fn words(condition: &Condition<'_>) -> Option<String> {
    let mut text = String::with_capacity(48);
    write_words(condition, &mut text).then(|| cut(text))
}

/// Appends a condition in words to `out` (one string, however deep the groups); `false` when
/// there was nothing to say.
fn write_words(condition: &Condition<'_>, out: &mut String) -> bool {
    match condition {
        Condition::Rule(rule) => {
            write_rule(rule, out);
            true
        }
        Condition::All(_) => write_joined(condition, false, out),
        Condition::Any(_) => write_joined(condition, true, out),
        Condition::Opaque(Value::Null) => false,
        Condition::Opaque(Value::String(text)) => {
            out.push_str(text);
            true
        }
        Condition::Opaque(other) => {
            let _ = write!(out, "{other}");
            true
        }
    }
}

/// A group's items in words, joined by " and " (" or " for an any-group).
fn write_joined(group: &Condition<'_>, any: bool, out: &mut String) -> bool {
    let mut said = false;
    for item in group.items() {
        let mark = out.len();
        if said {
            out.push(' ');
            if any {
                crate::tr_text_into!(out, "route-or");
            } else {
                crate::tr_text_into!(out, "route-and");
            }
            out.push(' ');
        }
        if write_words(&item, out) {
            said = true;
        } else {
            out.truncate(mark);
        }
    }
    said
}

/// A rule in words: "input.loa >= 2", "birthdate exists".
pub fn rule_words(rule: &Rule<'_>) -> String {
    let mut text = String::new();
    write_rule(rule, &mut text);
    text
}

fn write_rule(rule: &Rule<'_>, out: &mut String) {
    match Operator::parse(rule.operator) {
        Some(Operator::Exists) => crate::tr_text_into!(out, "route-exists", field = rule.field),
        Some(Operator::NotExists) => {
            crate::tr_text_into!(out, "route-not-exists", field = rule.field);
        }
        known => {
            out.push_str(rule.field);
            out.push(' ');
            out.push_str(known.map_or(rule.operator, |op| op.symbol()));
            out.push(' ');
            match rule.value {
                Value::String(text) => out.push_str(text),
                Value::Number(number) => {
                    let _ = write!(out, "{number}");
                }
                other => out.push_str(&value_text(other)),
            }
        }
    }
}

/// Rules joined in words, for a list shown as settings.
pub(super) fn join_rules(items: &[Value], joiner: &str) -> Option<String> {
    let parts: Vec<String> = items.iter().filter_map(condition_text).collect();
    (!parts.is_empty()).then(|| parts.join(&format!(" {joiner} ")))
}

/// A JSON value for people: strings bare, lists comma-separated, objects as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => crate::tr_text!("route-value-none"),
        Value::Bool(true) => crate::tr_text!("route-value-yes"),
        Value::Bool(false) => crate::tr_text!("route-value-no"),
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

/// The value of the first of `keys` the object has, in the order of `keys`.
pub(super) fn first_of_map<'v>(
    map: &'v serde_json::Map<String, Value>,
    keys: &[&str],
) -> Option<&'v Value> {
    first_matching(map, keys, |_| true)
}

/// The value of the first of `keys` (in their order) that the object has and `wanted` accepts.
pub(super) fn first_matching<'v>(
    map: &'v serde_json::Map<String, Value>,
    keys: &[&str],
    wanted: impl Fn(&Value) -> bool,
) -> Option<&'v Value> {
    first_ranked(map, keys, wanted).map(|(_, value)| value)
}

/// [`first_matching`] with the position of the key found in `keys`.
fn first_ranked<'v>(
    map: &'v serde_json::Map<String, Value>,
    keys: &[&str],
    wanted: impl Fn(&Value) -> bool,
) -> Option<(usize, &'v Value)> {
    if map.len() > 8 {
        return keys.iter().enumerate().find_map(|(rank, key)| {
            map.get(*key)
                .filter(|value| wanted(value))
                .map(|value| (rank, value))
        });
    }
    // Routes and rules have a handful of keys: comparing them is cheaper than hashing each
    // candidate key (a simulation reads thousands of these).
    let mut best: Option<(usize, &Value)> = None;
    for (key, value) in map {
        if let Some(rank) = keys.iter().position(|k| same(k, key))
            && best.is_none_or(|(b, _)| rank < b)
            && wanted(value)
        {
            best = Some((rank, value));
        }
    }
    best
}

/// `a == b` for the short keys of routes, rules and userinfo, compared byte by byte in place:
/// a call to `memcmp` costs more than the few bytes it compares, and a simulation compares keys
/// tens of thousands of times.
#[inline]
pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

pub(super) fn shorten(text: &str) -> String {
    cut(text.to_owned())
}

/// `text`, or its start and "..." when it is longer than a label should be.
pub(super) fn cut(text: String) -> String {
    if text.len() <= MAX_TEXT_CHARS || text.chars().count() <= MAX_TEXT_CHARS {
        return text;
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
