//! Numbers as the user reads them: whole numbers grouped by thousands (`12,345`) in both
//! languages, as Korean software writes them too.

use fluent::FluentValue;

/// A whole number with thousands separators.
pub fn grouped(value: impl Into<i128>) -> String {
    let value: i128 = value.into();
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Fluent's formatter: whole numbers are grouped, anything else is left to Fluent.
pub(super) fn format_value<M>(value: &FluentValue, _memoizer: &M) -> Option<String> {
    match value {
        FluentValue::Number(number)
            if number.value.fract() == 0.0
                && number.value.abs() < 1e15
                && number.options.minimum_fraction_digits.is_none() =>
        {
            Some(grouped(number.value as i64))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-12_345), "-12,345");
    }
}
