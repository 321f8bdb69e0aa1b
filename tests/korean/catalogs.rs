//! The message catalogs: both parse, hold the same ids with the same `$variables`, Korean
//! messages are Korean (Hangul) unless marked `# same-as-english`, no particle is glued to a
//! variable, and the fonts the console draws with cover every message in both languages.

use std::collections::{BTreeMap, BTreeSet};

use connect_console::i18n::{Language, catalog_source};
use fluent_syntax::ast;

/// A message's (or attribute's) variables and the comment above it.
pub struct Entry {
    pub variables: BTreeSet<String>,
    pub comment: String,
    pub text: String,
}

pub fn entries(language: Language) -> BTreeMap<String, Entry> {
    let source = catalog_source(language);
    assert!(!source.is_empty(), "{language:?} catalog is embedded");
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{language:?} catalog does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for item in resource.body {
        let ast::Entry::Message(message) = item else {
            continue;
        };
        let comment = message
            .comment
            .as_ref()
            .map(|c| c.content.join("\n"))
            .unwrap_or_default();
        let id = message.id.name.to_owned();
        if let Some(value) = &message.value {
            out.insert(id.clone(), entry(value, &comment));
        }
        for attribute in &message.attributes {
            out.insert(
                format!("{id}.{}", attribute.id.name),
                entry(&attribute.value, &comment),
            );
        }
    }
    out
}

fn entry(pattern: &ast::Pattern<&str>, comment: &str) -> Entry {
    let mut variables = BTreeSet::new();
    let mut text = String::new();
    walk(pattern, &mut variables, &mut text);
    Entry {
        variables,
        comment: comment.to_owned(),
        text,
    }
}

fn walk(pattern: &ast::Pattern<&str>, variables: &mut BTreeSet<String>, text: &mut String) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => text.push_str(value),
            ast::PatternElement::Placeable { expression } => {
                expression_variables(expression, variables, text)
            }
        }
    }
}

fn expression_variables(
    expression: &ast::Expression<&str>,
    variables: &mut BTreeSet<String>,
    text: &mut String,
) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, variables, text);
            for variant in variants {
                walk(&variant.value, variables, text);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, variables, text),
    }
}

fn inline_variables(
    inline: &ast::InlineExpression<&str>,
    variables: &mut BTreeSet<String>,
    text: &mut String,
) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            variables.insert(id.name.to_owned());
        }
        ast::InlineExpression::StringLiteral { value } => text.push_str(value),
        ast::InlineExpression::Placeable { expression } => {
            expression_variables(expression, variables, text)
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, variables, text);
            }
        }
        _ => {}
    }
}

fn has_hangul(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c))
}

#[test]
fn both_catalogs_hold_the_same_messages_and_variables() {
    let english = entries(Language::English);
    let korean = entries(Language::Korean);
    assert!(english.len() > 10, "the English catalog has messages");
    let english_ids: BTreeSet<_> = english.keys().collect();
    let korean_ids: BTreeSet<_> = korean.keys().collect();
    let only_english: Vec<_> = english_ids.difference(&korean_ids).collect();
    let only_korean: Vec<_> = korean_ids.difference(&english_ids).collect();
    assert!(
        only_english.is_empty(),
        "missing in Korean: {only_english:?}"
    );
    assert!(only_korean.is_empty(), "only in Korean: {only_korean:?}");
    let differing: Vec<_> = english
        .iter()
        .filter(|(id, entry)| korean[*id].variables != entry.variables)
        .map(|(id, entry)| format!("{id}: {:?} vs {:?}", entry.variables, korean[id].variables))
        .collect();
    assert!(differing.is_empty(), "variables differ: {differing:#?}");
}

#[test]
fn korean_messages_are_korean_unless_marked() {
    let not_korean: Vec<_> = entries(Language::Korean)
        .into_iter()
        .filter(|(_, entry)| !entry.comment.contains("same-as-english"))
        .filter(|(_, entry)| !has_hangul(&entry.text))
        .map(|(id, entry)| format!("{id} = {}", entry.text))
        .collect();
    assert!(not_korean.is_empty(), "no Hangul: {not_korean:#?}");
}

#[test]
fn no_particle_is_glued_to_a_variable() {
    // 을/를, 이/가, 은/는, 와/과 and (으)로 depend on the word before them, which a variable
    // does not tell; the sentence must be built around the variable instead.
    let source = catalog_source(Language::Korean);
    let glued: Vec<&str> = source
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter(|line| {
            line.match_indices('}').any(|(at, _)| {
                let after = &line[at + 1..];
                [
                    "을", "를", "이", "가", "은", "는", "와", "과", "(으)", "으로", "로 ", "(을)",
                    "(이)",
                ]
                .iter()
                .any(|particle| after.starts_with(particle))
            })
        })
        .collect();
    assert!(glued.is_empty(), "particles glued to variables: {glued:#?}");
}

#[test]
fn messages_carry_no_isolation_marks() {
    let loader = connect_console::i18n::loader_for(Language::Korean);
    let with_variable = entries(Language::Korean)
        .into_iter()
        .find(|(id, entry)| entry.variables.len() == 1 && !id.contains('.'))
        .expect("a message with one variable");
    let (id, entry) = with_variable;
    let name = entry.variables.first().unwrap().clone();
    let mut args = std::collections::HashMap::new();
    args.insert(name, "값");
    let text = loader.get_args(&id, args);
    assert!(text.contains('값'), "{id} shows its variable: {text}");
    assert!(
        !text.contains(['\u{2068}', '\u{2069}']),
        "{id} carries isolation marks"
    );
}

#[test]
fn the_console_fonts_cover_every_korean_message() {
    // The fonts of proportional text when the system has no Hangul font: egui's and the
    // bundled one.
    let (fonts, _) = connect_console::ui::fonts::hangul_font_definitions(&[]);
    let faces: Vec<(Vec<u8>, u32)> = fonts.families[&egui::FontFamily::Proportional]
        .iter()
        .map(|name| &fonts.font_data[name])
        .map(|data| (data.font.as_ref().as_ref().to_vec(), data.index))
        .collect();
    let mut missing = BTreeSet::new();
    for entry in entries(Language::Korean)
        .values()
        .chain(entries(Language::English).values())
    {
        for c in entry
            .text
            .chars()
            .filter(|c| !c.is_ascii() && !c.is_whitespace())
        {
            let covered = faces.iter().any(|(data, index)| {
                connect_console::ui::fonts::face_covers(data, *index, &c.to_string())
            });
            if !covered {
                missing.insert(c);
            }
        }
    }
    assert!(missing.is_empty(), "characters no font draws: {missing:?}");
}
