//! Rules one by one: each operator both ways, paths, equality by value, groups, reasons.

use serde_json::{Value, json};

use super::*;
use crate::workflow::condition::read_condition;

fn user() -> Value {
    json!({"sub": "u1", "loa": 2, "score": 2.5, "amr": ["pwd", "otp"], "empty": null,
           "user": {"nationality": "SE", "age": 17, "tags": [{"k": "a"}]}})
}

fn holds(field: &str, operator: &str, value: Value) -> bool {
    let rule = json!({"field": field, "operator": operator, "value": value});
    let condition = read_condition(&rule);
    assert_eq!(unreadable(&condition), None, "{rule}");
    evaluate(&condition, &user()).holds
}

fn reason(field: &str, operator: &str, value: Value) -> String {
    let rule = json!({"field": field, "operator": operator, "value": value});
    evaluate(&read_condition(&rule), &user()).reason
}

#[test]
fn paths_follow_objects_and_array_indices_and_missing_reads_nothing() {
    let user = user();
    assert_eq!(
        read_path(&user, "input.user.nationality"),
        Some(&json!("SE"))
    );
    assert_eq!(read_path(&user, "input.amr.0"), Some(&json!("pwd")));
    assert_eq!(read_path(&user, "input.amr.1"), Some(&json!("otp")));
    assert_eq!(read_path(&user, "input.user.tags.0.k"), Some(&json!("a")));
    assert_eq!(read_path(&user, "input.amr.2"), None);
    assert_eq!(read_path(&user, "input.amr.first"), None);
    assert_eq!(read_path(&user, "input.amr.+1"), None);
    assert_eq!(read_path(&user, "input.loa.deeper"), None);
    assert_eq!(read_path(&user, "input.nothing.here"), None);
    assert_eq!(read_path(&user, "input"), Some(&user));
    // Paths start at `input`: a bare claim name reads nothing.
    assert_eq!(read_path(&user, "loa"), None);
    assert_eq!(read_path(&user, "user.nationality"), None);
}

#[test]
fn eq_is_json_equality_with_numbers_by_value() {
    assert!(holds("input.loa", "eq", json!(2)));
    assert!(holds("input.loa", "eq", json!(2.0)));
    assert!(holds("input.score", "eq", json!(2.5)));
    assert!(!holds("input.loa", "eq", json!("2")));
    assert!(!holds("input.loa", "eq", json!(3)));
    assert!(holds("input.user.nationality", "eq", json!("SE")));
    assert!(!holds("input.user.nationality", "eq", json!("se")));
    assert!(holds("input.amr", "eq", json!(["pwd", "otp"])));
    assert!(!holds("input.amr", "eq", json!(["otp", "pwd"])));
    assert!(holds("input.user.tags", "eq", json!([{"k": "a"}])));
    // A missing path reads as null.
    assert!(holds("input.nothing", "eq", Value::Null));
    assert!(holds("input.empty", "eq", Value::Null));
    assert!(!holds("input.nothing", "eq", json!(false)));
    assert!(json_equal(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
    assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    assert!(!json_equal(&json!(true), &json!(1)));
    assert!(json_equal(
        &json!(u64::MAX),
        &serde_json::from_str("18446744073709551615").unwrap()
    ));
    assert!(!json_equal(&json!(-1), &json!(u64::MAX)));
}

#[test]
fn eq_without_operator_is_the_default_for_rules() {
    let rule = json!({"field": "input.loa", "value": 2});
    assert!(evaluate(&read_condition(&rule), &user()).holds);
}

#[test]
fn neq_is_the_opposite_of_eq() {
    assert!(holds("input.user.nationality", "neq", json!("KR")));
    assert!(!holds("input.user.nationality", "neq", json!("SE")));
    assert!(!holds("input.loa", "neq", json!(2.0)));
    assert!(holds("input.loa", "neq", json!("2")));
    assert!(holds("input.nothing", "neq", json!("KR")));
    assert!(!holds("input.nothing", "neq", Value::Null));
}

#[test]
fn ordering_operators_need_two_numbers() {
    assert!(holds("input.loa", "gt", json!(1)));
    assert!(!holds("input.loa", "gt", json!(2)));
    assert!(holds("input.loa", "gte", json!(2)));
    assert!(holds("input.loa", "gte", json!(1.5)));
    assert!(!holds("input.loa", "gte", json!(2.01)));
    assert!(holds("input.loa", "lt", json!(3)));
    assert!(!holds("input.loa", "lt", json!(2)));
    assert!(holds("input.loa", "lte", json!(2.0)));
    assert!(!holds("input.loa", "lte", json!(1)));
    assert!(holds("input.score", "gt", json!(2)));
    assert!(holds("input.user.age", "lt", json!(18)));
    // Neither side may be anything but a number, whichever way the comparison would go.
    for op in ["gt", "gte", "lt", "lte"] {
        assert!(!holds("input.loa", op, json!("2")), "{op}");
        assert!(!holds("input.user.nationality", op, json!("A")), "{op}");
        assert!(!holds("input.nothing", op, json!(0)), "{op}");
        assert!(!holds("input.empty", op, json!(0)), "{op}");
        assert!(!holds("input.amr", op, json!(0)), "{op}");
        assert!(!holds("input.loa", op, Value::Null), "{op}");
        assert!(!holds("input.loa", op, json!(true)), "{op}");
    }
}

#[test]
fn exists_means_a_non_null_value() {
    assert!(holds("input.sub", "exists", json!(true)));
    assert!(holds("input.amr.0", "exists", Value::Null));
    assert!(!holds("input.nothing", "exists", json!(true)));
    assert!(!holds("input.empty", "exists", json!(true)));
    assert!(holds("input.nothing", "not_exists", json!(true)));
    assert!(holds("input.empty", "not_exists", json!(false)));
    assert!(!holds("input.sub", "not_exists", json!(true)));
    // The value is ignored, whatever it says.
    assert!(holds("input.sub", "exists", json!(false)));
}

#[test]
fn operators_are_read_in_any_case_and_unknown_ones_are_unreadable() {
    assert!(holds("input.loa", "GTE", json!(2)));
    assert!(!holds("input.sub", "Not_Exists", json!(1)));
    let rule = json!({"field": "input.amr", "operator": "contains", "value": "pwd"});
    let why = unreadable(&read_condition(&rule)).unwrap();
    assert!(why.contains("\"contains\""), "{why}");
    let symbol = json!({"field": "input.loa", "operator": ">=", "value": 2});
    assert!(unreadable(&read_condition(&symbol)).is_some());
}

#[test]
fn groups_nest_and_a_plain_array_means_all() {
    let user = user();
    let check = |condition: Value| {
        let read = read_condition(&condition);
        assert_eq!(unreadable(&read), None, "{condition}");
        evaluate(&read, &user).holds
    };
    let se = json!({"field": "input.user.nationality", "operator": "eq", "value": "SE"});
    let kr = json!({"field": "input.user.nationality", "operator": "eq", "value": "KR"});
    let adult = json!({"field": "input.user.age", "operator": "gte", "value": 18});
    assert!(check(
        json!({"all": [se, {"field": "input.loa", "operator": "gte", "value": 2}]})
    ));
    assert!(!check(json!({"all": [se, adult]})));
    assert!(check(json!({"any": [kr, se]})));
    assert!(!check(json!({"any": [kr, adult]})));
    assert!(check(
        json!([se, {"any": [kr, {"field": "input.sub", "operator": "exists", "value": true}]}])
    ));
    assert!(!check(json!([se, {"any": [kr, adult]}])));
    assert!(check(json!({"any": [{"all": [kr, adult]}, {"all": [se]}]})));
    assert!(check(json!({"and": [se]})));
    assert!(check(json!({"or": [kr, se]})));
    assert!(check(json!({"operator": "or", "conditions": [kr, se]})));
    assert!(!check(json!({"combine": "all", "rules": [kr, se]})));
}

#[test]
fn empty_groups_and_odd_shapes_cannot_be_evaluated() {
    for condition in [
        json!({"all": []}),
        json!([]),
        json!({"any": [{"all": []}]}),
        json!("input.loa >= 2"),
        json!({"strange": 1}),
        json!(null),
        json!(true),
        json!([{"field": "input.loa", "operator": "gte", "value": 1}, {"nope": 1}]),
    ] {
        assert!(
            unreadable(&read_condition(&condition)).is_some(),
            "{condition}"
        );
    }
}

#[test]
fn reasons_say_what_was_found_and_what_was_needed() {
    assert_eq!(
        reason("input.loa", "gte", json!(3)),
        "input.loa is 2, needs 3 or more"
    );
    assert_eq!(
        reason("input.loa", "gt", json!(1)),
        "input.loa is 2, needs more than 1"
    );
    assert_eq!(
        reason("input.loa", "lt", json!(1)),
        "input.loa is 2, needs less than 1"
    );
    assert_eq!(
        reason("input.loa", "lte", json!(1)),
        "input.loa is 2, needs 1 or less"
    );
    assert_eq!(
        reason("input.user.nationality", "eq", json!("KR")),
        r#"input.user.nationality is "SE", not "KR""#
    );
    assert_eq!(
        reason("input.user.nationality", "eq", json!("SE")),
        r#"input.user.nationality is "SE""#
    );
    assert_eq!(
        reason("input.user.nationality", "neq", json!("SE")),
        r#"input.user.nationality is "SE", needs anything but "SE""#
    );
    assert_eq!(
        reason("input.nothing", "gte", json!(2)),
        "input.nothing is missing, needs 2 or more (only numbers compare)"
    );
    assert_eq!(
        reason("input.nothing", "exists", json!(true)),
        "input.nothing is missing, needs a value"
    );
    assert_eq!(
        reason("input.empty", "exists", json!(true)),
        "input.empty is null, needs a value"
    );
    assert_eq!(
        reason("input.sub", "not_exists", json!(true)),
        r#"input.sub is "u1", needs no value"#
    );
    // A group explains itself by its deciding rule, or by all of them when none decided.
    let any = json!({"any": [
        {"field": "input.loa", "operator": "gte", "value": 3},
        {"field": "input.user.nationality", "operator": "eq", "value": "KR"}]});
    assert_eq!(
        evaluate(&read_condition(&any), &user()).reason,
        r#"input.loa is 2, needs 3 or more; input.user.nationality is "SE", not "KR""#
    );
}

#[test]
fn rules_read_nothing_before_a_verification() {
    let rule = json!({"field": "input.loa", "operator": "exists", "value": true});
    assert!(!evaluate(&read_condition(&rule), &Value::Null).holds);
    let rule = json!({"field": "input", "operator": "not_exists", "value": true});
    assert!(evaluate(&read_condition(&rule), &Value::Null).holds);
}
