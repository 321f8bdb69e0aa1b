//! The fast path of [`tr_text!`](crate::tr_text): a message made only of text and variables is
//! read once per language into a template and filled in without Fluent, for the few places that
//! word hundreds of things a frame or a run (a simulation's reasons, one per step).

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_syntax::ast;

use super::Language;

/// A piece of a message: text as written, or the value of a variable by its position in the
/// call site's names (none when the call site does not give it).
#[derive(Debug)]
enum Piece {
    Text(Box<str>),
    Variable(Option<usize>),
}

/// A message read as text and variables; none when it uses more of Fluent than that.
type Template = Option<Box<[Piece]>>;

/// The templates of one message, a slot per language, read the first time the message is
/// filled in that language. Each call site of the macros has its own (`static`), so finding a
/// template costs no lookup and its variables are found by position, not by name: a
/// simulation words thousands of reasons a run.
pub struct Templates([OnceLock<Template>; Language::ALL.len()]);

impl Templates {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self([const { OnceLock::new() }; Language::ALL.len()])
    }

    fn of<'n>(
        &self,
        id: &str,
        language: Language,
        names: impl Iterator<Item = &'n str> + Clone,
    ) -> Option<&[Piece]> {
        self.0[language as usize]
            .get_or_init(|| read_template(id, language, names))
            .as_deref()
    }
}

/// Appends the message `id` in this thread's language, with `values` for its variables, to
/// `out`: from its template where it has one, else through Fluent (selectors, functions, other
/// messages). `templates` is the call site's own.
pub fn fill_into(
    templates: &Templates,
    out: &mut String,
    id: &'static str,
    values: &[(&str, &str)],
) {
    let names = values.iter().map(|(name, _)| *name);
    fill_into_with(templates, out, id, names, |i, out| {
        out.push_str(values[i].1)
    });
}

/// [`fill_into`] where the `i`th of `names` is written straight into `out` by `write(i,
/// out)`, so a value made of parts (a quoted JSON value, another sentence) needs no string of
/// its own.
pub fn fill_into_with<'n>(
    templates: &Templates,
    out: &mut String,
    id: &'static str,
    names: impl Iterator<Item = &'n str> + Clone,
    mut write: impl FnMut(usize, &mut String),
) {
    let language = super::current_language();
    let Some(pieces) = templates.of(id, language, names.clone()) else {
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
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Variable(Some(i)) => write(*i, out),
            Piece::Variable(None) => {}
        }
    }
}

/// The template of `id` in `language`, if its value is only text and variables; a variable is
/// kept as its position in `names`.
fn read_template<'n>(
    id: &str,
    language: Language,
    names: impl Iterator<Item = &'n str> + Clone,
) -> Template {
    super::loader_for(language)
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
                    } => Piece::Variable(names.clone().position(|name| name == id.name)),
                    ast::PatternElement::Placeable {
                        expression:
                            ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }),
                    } => Piece::Text((*value).into()),
                    _ => return None,
                });
            }
            Some(pieces.into_boxed_slice())
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
            static TEMPLATES: Templates = Templates::new();
            fill_into(
                &TEMPLATES,
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
