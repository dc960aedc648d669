use super::prelude::*;
use crate::parse::Departure;

declare_rule! {
    /// ## What it does
    /// Reports anything in the manifest that is not strict JSON: syntax errors, comments,
    /// trailing or missing commas, single-quoted strings, unquoted keys, hexadecimal or `+`
    /// numbers, non-JSON escapes and whitespace, an empty file, text that is not UTF-8, and a
    /// UTF-8 byte order mark.
    ///
    /// ## Why is this bad?
    /// Unity's package resolver reads `Packages/manifest.json` as strict JSON. One comment or one
    /// trailing comma and it stops with `The file [.../Packages/manifest.json] is not valid JSON`,
    /// and no package of the project loads. manifest-lint parses permissively so that it can go on
    /// reporting everything else, but each departure is an error here. A package's
    /// `package.json` is read the same way: while it is invalid, Unity cannot load the package.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   // Our registry
    ///   "dependencies": { "com.example.tools": "1.0.0", },
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove comments and trailing commas, quote keys with double quotes, write numbers in
    /// decimal. `manifest-lint check --fix` removes trailing commas and adds missing ones, and
    /// re-quotes keys and strings; removing a comment is offered as an unsafe fix because it
    /// deletes text you wrote. Save the file as UTF-8 without a byte order mark.
    pub static INVALID_JSON = {
        id: "invalid-json",
        severity: Error,
        summary: "Anything that is not the strict JSON Unity's resolver reads",
        files: Both,
        check: check,
    }
}

const CONSEQUENCE: &str =
    "Unity reads the manifest as strict JSON and loads no package while it is invalid";

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let start = out.len();
    check_text(ctx, out);
    if ctx.kind == crate::FileKind::Package {
        out[start..].iter_mut().for_each(reword_for_package);
    }
}

/// A package.json's findings say so: Unity cannot load the package (rather than the project).
fn reword_for_package(d: &mut Diagnostic) {
    if d.message == "The manifest is empty" {
        d.message = "The package.json is empty".into();
    }
    for note in &mut d.notes {
        if note == CONSEQUENCE {
            *note = PACKAGE_CONSEQUENCE.into();
        } else if note.starts_with("a manifest needs") {
            *note = "a package.json needs at least `name` and `version`".into();
        } else {
            *note = note.replace("Packages/manifest.json", "package.json");
        }
    }
}

const PACKAGE_CONSEQUENCE: &str =
    "Unity reads package.json as strict JSON and cannot load the package while it is invalid";

fn check_text(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let input = ctx.input;
    let text = ctx.text;
    let rule = &INVALID_JSON;
    if let Some(offset) = input.invalid_utf8 {
        let end = text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        out.push(
            Diagnostic::new(
                rule,
                Span::new(offset, end),
                "The file is not UTF-8 text (is it a binary file, or saved in another encoding?)",
            )
            .with_note("Unity expects Packages/manifest.json to be UTF-8 JSON; save it as UTF-8"),
        );
        return;
    }
    if input.bom {
        out.push(
            Diagnostic::new(rule, Span::new(0, 3), "The file starts with a UTF-8 byte order mark")
                .with_severity(Severity::Warning)
                .with_note("strict JSON parsers reject a byte order mark; Unity writes this file without one, so save it as UTF-8 without BOM")
                .with_fix(Fix::safe("Remove the byte order mark", vec![Edit::delete(Span::new(0, 3))])),
        );
    }
    if input.empty {
        let at = if input.bom { 3 } else { 0 };
        out.push(
            Diagnostic::new(rule, Span::new(at, text.len()), "The manifest is empty")
                .with_note("a manifest needs at least `{}`; Unity recreates a default one only when the file is missing"),
        );
        return;
    }
    if let Some(err) = &input.syntax_error {
        out.push(
            Diagnostic::new(rule, err.span, format!("Invalid JSON: {}", err.message))
                .with_note(CONSEQUENCE),
        );
        return;
    }
    if let Some((span, message)) = &input.strict_error {
        out.push(
            Diagnostic::new(rule, *span, format!("Invalid JSON: {message}")).with_note(CONSEQUENCE),
        );
    }
    for departure in &input.departures {
        out.push(departure_diagnostic(text, departure));
    }
}

fn departure_diagnostic(text: &str, departure: &Departure) -> Diagnostic {
    let rule = &INVALID_JSON;
    match departure {
        Departure::LineComment(span) | Departure::BlockComment(span) => {
            Diagnostic::new(rule, *span, "Comments are not allowed in strict JSON")
                .with_note(CONSEQUENCE)
                .with_fix(Fix::unsafe_("Remove the comment", vec![Edit::delete(comment_removal(text, *span))]))
        }
        Departure::TrailingComma(span) => Diagnostic::new(rule, *span, "Trailing comma")
            .with_note(CONSEQUENCE)
            .with_fix(Fix::safe("Remove the trailing comma", vec![Edit::delete(*span)])),
        Departure::ExtraComma(span) => Diagnostic::new(rule, *span, "Extra comma")
            .with_note(CONSEQUENCE)
            .with_fix(Fix::safe("Remove the extra comma", vec![Edit::delete(*span)])),
        Departure::MissingComma { after, next } => Diagnostic::new(rule, *next, "Missing comma before this item")
            .with_label(Span::empty(*after), "a comma is needed here")
            .with_note(CONSEQUENCE)
            .with_fix(Fix::safe("Insert the missing comma", vec![Edit::insert(*after, ",")])),
        Departure::SingleQuotedString { span, value } => {
            Diagnostic::new(rule, *span, "Strings must use double quotes")
                .with_note(CONSEQUENCE)
                .with_fix(Fix::safe("Use double quotes", vec![Edit::replace(*span, json_string(value))]))
        }
        Departure::UnquotedKey { span, name } => Diagnostic::new(rule, *span, format!("Property name `{name}` must be in double quotes"))
            .with_note(CONSEQUENCE)
            .with_fix(Fix::safe("Quote the property name", vec![Edit::replace(*span, json_string(name))])),
        Departure::NonStrictNumber(span) => {
            Diagnostic::new(rule, *span, format!("`{}` is not a JSON number", &text[span.range()]))
                .with_note("JSON numbers are decimal, with no leading `+`, no leading zeros, no bare `.`, and no NaN or Infinity")
        }
        Departure::BadEscape(span) => {
            Diagnostic::new(rule, *span, format!("`{}` is not a JSON escape", &text[span.range()]))
                .with_note("JSON strings allow only \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
        }
        Departure::ControlCharacterInString(span) => {
            Diagnostic::new(rule, *span, "Control characters (such as a raw line break or tab) must be escaped inside a string")
                .with_note(CONSEQUENCE)
        }
        Departure::NonJsonWhitespace { span, ch } => {
            Diagnostic::new(rule, *span, format!("U+{:04X} is not JSON whitespace", *ch as u32))
                .with_note("JSON allows only spaces, tabs and line breaks between tokens")
                .with_fix(Fix::safe("Replace it with a space", vec![Edit::replace(*span, " ")]))
        }
        Departure::Other { span, message } => Diagnostic::new(rule, *span, format!("Invalid JSON: {message}")).with_note(CONSEQUENCE),
    }
}

/// A comment's removal range: with the blanks before it on its line, and with its line break
/// when the comment stood alone on the line.
fn comment_removal(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let mut start = span.start;
    while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
        start -= 1;
    }
    let alone = start == 0 || matches!(bytes[start - 1], b'\n' | b'\r');
    let mut end = span.end;
    if alone {
        if bytes.get(end) == Some(&b'\r') {
            end += 1;
        }
        if bytes.get(end) == Some(&b'\n') {
            end += 1;
        }
    }
    Span::new(start, end)
}
