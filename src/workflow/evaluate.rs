//! Evaluating read conditions against a userinfo: dot paths, the docs' operators over JSON,
//! and why a rule held or not, in words ("input.loa is 1, needs 2 or more").

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::{Number, Value};

use super::condition::{Condition, MAX_TEXT_CHARS, Operator, Rule, cut, shorten};

/// Room for a typical reason, so writing one rarely grows its string.
pub const REASON_CAPACITY: usize = 96;

/// Whether a condition held, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub holds: bool,
    pub reason: String,
}

/// Why a condition cannot be evaluated: an opaque shape, an unknown operator or an empty
/// group anywhere in it. Checked before evaluating, so the answer never depends on the user.
pub fn unreadable(condition: &Condition<'_>) -> Option<String> {
    match condition {
        Condition::Rule(rule) => match Operator::parse(rule.operator) {
            Some(_) => None,
            None => Some(crate::tr_text!(
                "sim-operator-unknown-of",
                operator = rule.operator,
                field = rule.field
            )),
        },
        Condition::All(items) | Condition::Any(items) if items.is_empty() => {
            Some(crate::tr_text!("sim-group-empty"))
        }
        Condition::All(_) | Condition::Any(_) => condition.items().find_map(|c| unreadable(&c)),
        Condition::Opaque(Value::Null) => Some(crate::tr_text!("sim-condition-missing")),
        Condition::Opaque(other) => Some(crate::tr_text!(
            "sim-condition-shapeless",
            condition = shorten(&other.to_string())
        )),
    }
}

/// Evaluates a condition that [`unreadable`] accepted against `input` (paths start at
/// `input`). An all-group stops at its first failing rule, an any-group at its first holding one.
pub fn evaluate(condition: &Condition<'_>, input: &Value) -> Verdict {
    let mut reason = String::with_capacity(REASON_CAPACITY);
    let holds = evaluate_into(condition, input, &mut reason);
    Verdict { holds, reason }
}

/// [`evaluate`], appending the reason to `reason` (a simulation writes a step's reasons into
/// one string rather than joining many).
pub fn evaluate_into(condition: &Condition<'_>, input: &Value, reason: &mut String) -> bool {
    match condition {
        Condition::Rule(rule) => match Operator::parse(rule.operator) {
            Some(operator) => rule_into(rule.field, operator, rule.value, input, reason),
            None => {
                crate::tr_text_into!(reason, "sim-operator-unknown", operator = rule.operator);
                false
            }
        },
        Condition::All(_) => group_into(condition, input, false, reason),
        Condition::Any(_) => group_into(condition, input, true, reason),
        Condition::Opaque(_) => {
            crate::tr_text_into!(reason, "sim-condition-unreadable");
            false
        }
    }
}

/// A group explains itself by its deciding rule alone, or by all its rules when none decided.
fn group_into(group: &Condition<'_>, input: &Value, any: bool, reason: &mut String) -> bool {
    let start = reason.len();
    for (i, item) in group.items().enumerate() {
        if i > 0 {
            reason.push_str("; ");
        }
        let item_start = reason.len();
        if evaluate_into(&item, input, reason) == any {
            reason.replace_range(start..item_start, "");
            return any;
        }
    }
    !any
}

/// One rule over the value at `path`, with its reason.
pub fn rule_verdict(path: &str, operator: Operator, expected: &Value, input: &Value) -> Verdict {
    let mut reason = String::with_capacity(REASON_CAPACITY);
    let holds = rule_into(path, operator, expected, input, &mut reason);
    Verdict { holds, reason }
}

/// [`rule_verdict`], appending the reason to `reason`.
pub fn rule_into(
    path: &str,
    operator: Operator,
    expected: &Value,
    input: &Value,
    reason: &mut String,
) -> bool {
    let actual = read_path(input, path);
    let holds = compare(actual, operator, expected);
    write_reason(reason, path, actual, operator, expected, holds);
    holds
}

/// Whether `actual` (missing reads as null) stands in `operator` to `expected`.
pub fn compare(actual: Option<&Value>, operator: Operator, expected: &Value) -> bool {
    let actual = actual.unwrap_or(&Value::Null);
    match operator {
        Operator::Eq => json_equal(actual, expected),
        Operator::Neq => !json_equal(actual, expected),
        Operator::Gt => number_order(actual, expected) == Some(Ordering::Greater),
        Operator::Gte => number_order(actual, expected).is_some_and(Ordering::is_ge),
        Operator::Lt => number_order(actual, expected) == Some(Ordering::Less),
        Operator::Lte => number_order(actual, expected).is_some_and(Ordering::is_le),
        Operator::Exists => !actual.is_null(),
        Operator::NotExists => actual.is_null(),
    }
}

/// The value at a dot path starting at `input` (`input.amr.0`); `None` where nothing is.
/// Numeric segments index arrays; a path not starting at `input` reads nothing.
pub fn read_path<'v>(input: &'v Value, path: &str) -> Option<&'v Value> {
    let mut segments = path.split('.');
    if segments.next() != Some("input") {
        return None;
    }
    segments.try_fold(input, |at, segment| match at {
        Value::Object(map) => map.get(segment),
        Value::Array(items) if segment.bytes().all(|b| b.is_ascii_digit()) => {
            items.get(segment.parse::<usize>().ok()?)
        }
        _ => None,
    })
}

/// JSON equality where numbers compare by value (2 equals 2.0), deep inside lists and objects
/// too; a string never equals a number.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => order(x, y) == Some(Ordering::Equal),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(key, x)| ys.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

fn number_order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => order(x, y),
        _ => None,
    }
}

/// Integers compare exactly; anything else as floating point.
fn order(x: &Number, y: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
        return Some(x.cmp(&y));
    }
    x.as_f64()?.partial_cmp(&y.as_f64()?)
}

/// A value in a reason: JSON as written (strings quoted), "missing" (in the language in use)
/// where nothing is.
pub fn shown(value: Option<&Value>) -> String {
    let mut text = String::new();
    write_shown(&mut text, value);
    text
}

/// [`shown`], appended to `out` and cut as labels are.
fn write_shown(out: &mut String, value: Option<&Value>) {
    let Some(value) = value else {
        crate::tr_text_into!(out, "sim-value-missing");
        return;
    };
    let start = out.len();
    match value {
        // Most values are short plain strings: no need for the JSON writer.
        Value::String(text)
            if !text
                .chars()
                .any(|c| c == '"' || c == '\\' || c.is_control()) =>
        {
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
    if out.len() - start > MAX_TEXT_CHARS {
        let shown = cut(out[start..].to_owned());
        out.truncate(start);
        out.push_str(&shown);
    }
}

fn write_reason(
    reason: &mut String,
    path: &str,
    actual: Option<&Value>,
    operator: Operator,
    expected: &Value,
    holds: bool,
) {
    let actual_text = shown(actual);
    let actual_shown = actual_text.as_str();
    let expected_text = || shown(Some(expected));
    let ordering = matches!(
        operator,
        Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte
    );
    // Comparing what is not a number: the reason is wrapped in another sentence.
    let wrapped = ordering && !(actual.is_some_and(Value::is_number) && expected.is_number());
    let mut inner = String::new();
    let target = if wrapped { &mut inner } else { &mut *reason };
    match (operator, holds) {
        (Operator::Eq | Operator::Exists | Operator::NotExists, true) => {
            crate::tr_text_into!(target, "sim-reason-is", path = path, actual = actual_shown)
        }
        (Operator::Eq, false) | (Operator::Neq, true) => crate::tr_text_into!(
            target,
            "sim-reason-not",
            path = path,
            actual = actual_shown,
            expected = expected_text()
        ),
        (Operator::Neq, false) => crate::tr_text_into!(
            target,
            "sim-reason-anything-but",
            path = path,
            actual = actual_shown,
            expected = expected_text()
        ),
        (Operator::Gt, _) => crate::tr_text_into!(
            target,
            "sim-reason-more-than",
            path = path,
            actual = actual_shown,
            expected = expected_text()
        ),
        (Operator::Lt, _) => crate::tr_text_into!(
            target,
            "sim-reason-less-than",
            path = path,
            actual = actual_shown,
            expected = expected_text()
        ),
        (Operator::Gte, _) => crate::tr_text_into!(
            target,
            "sim-reason-or-more",
            path = path,
            actual = actual_shown,
            expected = expected_text()
        ),
        (Operator::Lte, _) => crate::tr_text_into!(
            target,
            "sim-reason-or-less",
            path = path,
            actual = actual_shown,
            expected = expected_text()
        ),
        (Operator::Exists, false) => {
            crate::tr_text_into!(
                target,
                "sim-reason-needs-value",
                path = path,
                actual = actual_shown
            )
        }
        (Operator::NotExists, false) => {
            crate::tr_text_into!(
                target,
                "sim-reason-needs-no-value",
                path = path,
                actual = actual_shown
            )
        }
    }
    if wrapped {
        crate::tr_text_into!(reason, "sim-reason-numbers-only", reason = inner);
    }
}

/// A rule read from settings, evaluated at another path (a check-claim's `input.` claim).
pub fn rule_at(rule: &Rule<'_>, path: &str, input: &Value) -> Verdict {
    match Operator::parse(rule.operator) {
        Some(operator) => rule_verdict(path, operator, rule.value, input),
        None => evaluate(&Condition::Rule(rule.clone()), input),
    }
}

#[cfg(test)]
mod tests;
