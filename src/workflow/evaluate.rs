//! Evaluating read conditions against a userinfo: dot paths, the docs' operators over JSON,
//! and why a rule held or not, in words ("input.loa is 1, needs 2 or more").

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::{Number, Value};

use super::condition::{Condition, Operator, Rule, cut, shorten};

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
            None => Some(format!(
                "the operator \"{}\" of {} is not one of eq, neq, gt, gte, lt, lte, exists, \
                 not_exists",
                rule.operator, rule.field
            )),
        },
        Condition::All(items) | Condition::Any(items) if items.is_empty() => {
            Some("a group of conditions is empty".to_owned())
        }
        Condition::All(items) | Condition::Any(items) => items.iter().find_map(unreadable),
        Condition::Opaque(Value::Null) => Some("a condition is missing".to_owned()),
        Condition::Opaque(other) => Some(format!(
            "the condition {} has no shape the console can read",
            shorten(&other.to_string())
        )),
    }
}

/// Evaluates a condition that [`unreadable`] accepted against `input` (paths start at
/// `input`). An all-group stops at its first failing rule, an any-group at its first holding one.
pub fn evaluate(condition: &Condition<'_>, input: &Value) -> Verdict {
    match condition {
        Condition::Rule(rule) => match Operator::parse(rule.operator) {
            Some(operator) => rule_verdict(rule.field, operator, rule.value, input),
            None => Verdict {
                holds: false,
                reason: format!("the operator \"{}\" is not known", rule.operator),
            },
        },
        Condition::All(items) => group(items, input, false),
        Condition::Any(items) => group(items, input, true),
        Condition::Opaque(_) => Verdict {
            holds: false,
            reason: "the condition cannot be read".to_owned(),
        },
    }
}

fn group(items: &[Condition<'_>], input: &Value, any: bool) -> Verdict {
    let mut reasons = Vec::new();
    for item in items {
        let verdict = evaluate(item, input);
        // The deciding rule alone explains the group.
        if verdict.holds == any {
            return verdict;
        }
        reasons.push(verdict.reason);
    }
    Verdict {
        holds: !any,
        reason: reasons.join("; "),
    }
}

/// One rule over the value at `path`, with its reason.
pub fn rule_verdict(path: &str, operator: Operator, expected: &Value, input: &Value) -> Verdict {
    let actual = read_path(input, path);
    let holds = compare(actual, operator, expected);
    Verdict {
        holds,
        reason: rule_reason(path, actual, operator, expected, holds),
    }
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

/// A value in a reason: JSON as written (strings quoted), "missing" where nothing is.
pub fn shown(value: Option<&Value>) -> String {
    match value {
        None => "missing".to_owned(),
        Some(value) => cut(value.to_string()),
    }
}

fn rule_reason(
    path: &str,
    actual: Option<&Value>,
    operator: Operator,
    expected: &Value,
    holds: bool,
) -> String {
    let (found, want) = (shown(actual), shown(Some(expected)));
    let numbers_only = if actual.is_some_and(Value::is_number) && expected.is_number() {
        ""
    } else {
        " (only numbers compare)"
    };
    // One string per reason: a simulation writes one for every rule it evaluates.
    let mut reason = String::with_capacity(path.len() + found.len() + want.len() + 32);
    let _ = write!(reason, "{path} is {found}");
    let _ = match (operator, holds) {
        (Operator::Eq | Operator::Exists | Operator::NotExists, true) => Ok(()),
        (Operator::Eq, false) | (Operator::Neq, true) => write!(reason, ", not {want}"),
        (Operator::Neq, false) => write!(reason, ", needs anything but {want}"),
        (Operator::Gt, _) => write!(reason, ", needs more than {want}{numbers_only}"),
        (Operator::Gte, _) => write!(reason, ", needs {want} or more{numbers_only}"),
        (Operator::Lt, _) => write!(reason, ", needs less than {want}{numbers_only}"),
        (Operator::Lte, _) => write!(reason, ", needs {want} or less{numbers_only}"),
        (Operator::Exists, false) => write!(reason, ", needs a value"),
        (Operator::NotExists, false) => write!(reason, ", needs no value"),
    };
    reason
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
