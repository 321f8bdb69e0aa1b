//! Evaluating read conditions against a userinfo: dot paths, the docs' operators over JSON,
//! and why a rule held or not, in words ("input.loa is 1, needs 2 or more").

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::{Number, Value};

use super::condition::{Condition, MAX_TEXT_CHARS, Operator, Rule, cut, same, shorten};

/// Room for a typical reason, so writing one rarely grows its string.
pub const REASON_CAPACITY: usize = 96;

/// Whether a condition held, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub holds: bool,
    pub reason: String,
}

/// A condition read once, its operators parsed: a group is followed by its items, so evaluating
/// walks a list and reads no rule twice.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    Rule {
        field: &'a str,
        operator: Operator,
        value: &'a Value,
    },
    /// An all (or any) group; the next `len` parts are its items, nested groups included.
    Group { any: bool, len: usize },
}

impl Part<'_> {
    /// How many parts this one spans: itself and, for a group, its items.
    fn span(self) -> usize {
        match self {
            Part::Rule { .. } => 1,
            Part::Group { len, .. } => 1 + len,
        }
    }
}

/// Reads `condition` onto the end of `parts`; or why it cannot be evaluated: an opaque shape, an
/// unknown operator or an empty group anywhere in it. Read before evaluating, so the answer
/// never depends on the user.
pub fn read_parts<'a>(condition: &Condition<'a>, parts: &mut Vec<Part<'a>>) -> Result<(), String> {
    match condition {
        Condition::Rule(rule) => match Operator::parse(rule.operator) {
            Some(operator) => {
                parts.push(Part::Rule {
                    field: rule.field,
                    operator,
                    value: rule.value,
                });
                Ok(())
            }
            None => Err(crate::tr_text!(
                "sim-operator-unknown-of",
                operator = rule.operator,
                field = rule.field
            )),
        },
        Condition::All(items) | Condition::Any(items) if items.is_empty() => {
            Err(crate::tr_text!("sim-group-empty"))
        }
        Condition::All(_) | Condition::Any(_) => {
            let at = parts.len();
            let any = matches!(condition, Condition::Any(_));
            parts.push(Part::Group { any, len: 0 });
            for item in condition.items() {
                read_parts(&item, parts)?;
            }
            parts[at] = Part::Group {
                any,
                len: parts.len() - at - 1,
            };
            Ok(())
        }
        Condition::Opaque(Value::Null) => Err(crate::tr_text!("sim-condition-missing")),
        Condition::Opaque(other) => Err(crate::tr_text!(
            "sim-condition-shapeless",
            condition = shorten(&other.to_string())
        )),
    }
}

/// Why a condition cannot be evaluated ([`read_parts`]), if it cannot.
pub fn unreadable(condition: &Condition<'_>) -> Option<String> {
    read_parts(condition, &mut Vec::new()).err()
}

/// Evaluates a condition against `input` (paths start at `input`). An all-group stops at its
/// first failing rule, an any-group at its first holding one. One that cannot be read does not
/// hold, and says why.
pub fn evaluate(condition: &Condition<'_>, input: &Value) -> Verdict {
    try_evaluate(condition, input).unwrap_or_else(|why| Verdict {
        holds: false,
        reason: why,
    })
}

/// [`evaluate`], or why the condition cannot be read ([`read_parts`]).
pub fn try_evaluate(condition: &Condition<'_>, input: &Value) -> Result<Verdict, String> {
    let mut parts = Vec::new();
    read_parts(condition, &mut parts)?;
    let mut reason = String::with_capacity(REASON_CAPACITY);
    let holds = evaluate_parts(&parts, input, &mut reason);
    Ok(Verdict { holds, reason })
}

/// Evaluates the condition [`read_parts`] put at the start of `parts`, appending why to
/// `reason` (a simulation writes a step's reasons into one string rather than joining many).
pub fn evaluate_parts(parts: &[Part<'_>], input: &Value, reason: &mut String) -> bool {
    match parts[0] {
        Part::Rule {
            field,
            operator,
            value,
        } => rule_into(field, operator, value, input, reason),
        // A group explains itself by its deciding item alone, or by all its items when none
        // decided.
        Part::Group { any, len } => {
            let start = reason.len();
            let mut at = 1;
            while at <= len {
                if at > 1 {
                    reason.push_str("; ");
                }
                let item_start = reason.len();
                if evaluate_parts(&parts[at..], input, reason) == any {
                    reason.replace_range(start..item_start, "");
                    return any;
                }
                at += parts[at].span();
            }
            !any
        }
    }
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
    let mut rest = match path.strip_prefix("input")? {
        "" => return Some(input),
        rest => rest.strip_prefix('.')?,
    };
    let mut at = input;
    // Split by hand: paths are short, and a searcher costs more than the bytes it looks at.
    loop {
        let (segment, more) = match rest.bytes().position(|b| b == b'.') {
            Some(dot) => (&rest[..dot], Some(&rest[dot + 1..])),
            None => (rest, None),
        };
        at = match at {
            Value::Object(map) => field(map, segment)?,
            Value::Array(items) if segment.bytes().all(|b| b.is_ascii_digit()) => {
                items.get(segment.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
        match more {
            Some(more) => rest = more,
            None => return Some(at),
        }
    }
}

/// A key of an object: a userinfo's objects have a handful of keys, and comparing them is
/// cheaper than hashing the key.
fn field<'v>(map: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if map.len() > 8 {
        return map.get(key);
    }
    map.iter().find_map(|(k, v)| same(k, key).then_some(v))
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
        // (JSON escapes only these, and no byte of a longer character is one of them.)
        Value::String(text) if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) => {
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
        // A number as JSON writes it, without going through the JSON writer.
        Value::Number(number) => {
            let _ = write!(out, "{number}");
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
    let ordering = matches!(
        operator,
        Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte
    );
    // Comparing what is not a number: the reason is wrapped in another sentence.
    if ordering && !(actual.is_some_and(Value::is_number) && expected.is_number()) {
        crate::tr_text_with!(reason, "sim-reason-numbers-only", [reason], |_, out| {
            write_sentence(out, path, actual, operator, expected, holds);
        });
    } else {
        write_sentence(reason, path, actual, operator, expected, holds);
    }
}

/// The sentence of one rule, its values written straight into `out` (a simulation writes
/// thousands of these).
fn write_sentence(
    out: &mut String,
    path: &str,
    actual: Option<&Value>,
    operator: Operator,
    expected: &Value,
    holds: bool,
) {
    // Every message names its variables in this order.
    let value = |i: usize, out: &mut String| match i {
        0 => out.push_str(path),
        1 => write_shown(out, actual),
        _ => write_shown(out, Some(expected)),
    };
    match (operator, holds) {
        (Operator::Eq | Operator::Exists | Operator::NotExists, true) => {
            crate::tr_text_with!(out, "sim-reason-is", [path, actual], value)
        }
        (Operator::Eq, false) | (Operator::Neq, true) => {
            crate::tr_text_with!(out, "sim-reason-not", [path, actual, expected], value)
        }
        (Operator::Neq, false) => crate::tr_text_with!(
            out,
            "sim-reason-anything-but",
            [path, actual, expected],
            value
        ),
        (Operator::Gt, _) => {
            crate::tr_text_with!(out, "sim-reason-more-than", [path, actual, expected], value)
        }
        (Operator::Lt, _) => {
            crate::tr_text_with!(out, "sim-reason-less-than", [path, actual, expected], value)
        }
        (Operator::Gte, _) => {
            crate::tr_text_with!(out, "sim-reason-or-more", [path, actual, expected], value)
        }
        (Operator::Lte, _) => {
            crate::tr_text_with!(out, "sim-reason-or-less", [path, actual, expected], value)
        }
        (Operator::Exists, false) => {
            crate::tr_text_with!(out, "sim-reason-needs-value", [path, actual], value)
        }
        (Operator::NotExists, false) => {
            crate::tr_text_with!(out, "sim-reason-needs-no-value", [path, actual], value)
        }
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
