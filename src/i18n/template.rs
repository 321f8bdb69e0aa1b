//! The fast path of [`tr_text!`](crate::tr_text): a message made only of text and variables is
//! read once per language into a template and filled in without Fluent, for the few places that
//! word hundreds of things a frame or a run (a simulation's reasons, one per step).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use fluent_syntax::ast;

use super::Language;

/// A piece of a message: text as written, or the value of a variable.
#[derive(Debug)]
enum Piece {
    Text(Box<str>),
    Variable(Box<str>),
}

type Template = Option<Rc<[Piece]>>;

/// A message id's address and the language: ids are `'static` literals, so the address names
/// the message without hashing its text.
type Key = (usize, Language);

/// Hashes the key's address with one multiplication (SipHash over the id's text was an eighth
/// of a simulation's time).
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_usize(&mut self, value: usize) {
        self.0 = (self.0 ^ value as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u8(&mut self, value: u8) {
        self.0 = (self.0 ^ u64::from(value)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type Templates = HashMap<Key, Template, std::hash::BuildHasherDefault<AddressHasher>>;

thread_local! {
    static TEMPLATES: RefCell<Templates> = RefCell::new(Templates::default());
}

/// Appends the message `id` in this thread's language, with `values` for its variables, to
/// `out`: from its template where it has one, else through Fluent (selectors, functions, other
/// messages).
pub fn fill_into(out: &mut String, id: &'static str, values: &[(&str, &str)]) {
    let names = values.iter().map(|(name, _)| *name);
    fill_into_with(out, id, names, |i, out| out.push_str(values[i].1));
}

/// [`fill_into`] where the `i`th of `names` is written straight into `out` by `write(i,
/// out)`, so a value made of parts (a quoted JSON value, another sentence) needs no string of
/// its own.
pub fn fill_into_with<'n>(
    out: &mut String,
    id: &'static str,
    names: impl Iterator<Item = &'n str> + Clone,
    mut write: impl FnMut(usize, &mut String),
) {
    let key = (id.as_ptr() as usize, super::current_language());
    let template = TEMPLATES.with(|cache| {
        if let Some(template) = cache.borrow().get(&key) {
            return template.clone();
        }
        let template = read_template(id);
        cache.borrow_mut().insert(key, template.clone());
        template
    });
    let Some(pieces) = template else {
        let values: Vec<(&str, String)> = names
            .enumerate()
            .map(|(i, name)| {
                let mut value = String::new();
                write(i, &mut value);
                (name, value)
            })
            .collect();
        let args: HashMap<&str, &str> = values
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        out.push_str(&super::loader().get_args(id, args));
        return;
    };
    for piece in pieces.iter() {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Variable(name) => {
                if let Some(i) = names.clone().position(|n| n == name.as_ref()) {
                    write(i, out);
                }
            }
        }
    }
}

/// The template of `id` in this thread's language, if its value is only text and variables.
fn read_template(id: &str) -> Template {
    super::loader()
        .with_fluent_message(id, |message| {
            let pattern = message.value()?;
            let mut pieces = Vec::with_capacity(pattern.elements.len());
            for element in &pattern.elements {
                pieces.push(match element {
                    ast::PatternElement::TextElement { value } => Piece::Text((*value).into()),
                    ast::PatternElement::Placeable {
                        expression:
                            ast::Expression::Inline(ast::InlineExpression::VariableReference {
                                id,
                            }),
                    } => Piece::Variable(id.name.into()),
                    ast::PatternElement::Placeable {
                        expression:
                            ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }),
                    } => Piece::Text((*value).into()),
                    _ => return None,
                });
            }
            Some(Rc::from(pieces))
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Localizer;

    /// The template gives what Fluent gives, in both languages.
    #[test]
    fn a_template_fills_in_as_fluent_does() {
        for language in [Language::English, Language::Korean] {
            Localizer::new(language).install();
            let mut fast = String::new();
            fill_into(
                &mut fast,
                "sim-reason-not",
                &[("path", "input.x"), ("actual", "1"), ("expected", "2")],
            );
            let mut args = HashMap::new();
            args.insert("path", "input.x");
            args.insert("actual", "1");
            args.insert("expected", "2");
            let slow = super::super::loader().get_args("sim-reason-not", args);
            assert_eq!(fast, slow, "{language:?}");
            assert!(fast.contains("input.x"));
        }
        Localizer::default().install();
    }
}
