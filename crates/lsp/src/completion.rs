//! Completion: top-level and scoped-registry keys, `resolutionStrategy` and boolean values,
//! scopes from the manifest's dependencies, names for `testables` and `pinnedPackages`, and
//! versions when an online check has fetched the package's version list (with each one's `unity`
//! requirement once the full packument is there: [`requirements`]). For a key of
//! `dependencies` it says what is typed there ([`NameQuery`]); package names from registry
//! searches are completed from that by [`crate::names`].
//!
//! Where the cursor is comes from a tolerant scan of the text before it (the text is usually not
//! valid JSON while the user types), so it works on any text; what to offer comes from the last
//! analysis that parsed.

use std::collections::{BTreeMap, HashSet};

use manifest_lint_core::facts::PackageStatus;
use manifest_lint_core::keys::KeyPlace;
use manifest_lint_core::model::{
    JsonType, REGISTRY_PROPERTIES, RESOLUTION_STRATEGIES, ROOT_PROPERTIES,
};
use manifest_lint_core::package::{PACKAGE_PROPERTIES, SAMPLE_PROPERTIES};
use manifest_lint_core::{Analysis, Encoding, OnlineFacts, Span};
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionTextEdit, Documentation,
    TextEdit,
};

use crate::document::Snapshot;
use crate::lookup;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Object: a key may come. Array: an element may come.
    Ready,
    /// Object: a key was read, `:` comes.
    Colon,
    /// Object: after `:`, the value comes.
    Value,
    /// A value was read; `,` or the closing bracket comes.
    After,
}

#[derive(Debug, Clone)]
struct Frame {
    kind: Kind,
    /// The key this container is the value of, when its parent is an object.
    key: Option<String>,
    /// Its position when its parent is an array.
    index: usize,
    state: State,
    /// Object: the last key read.
    last_key: Option<String>,
    /// Array: how many elements came before the current one.
    elements: usize,
    /// Array: the string elements read so far.
    strings: Vec<String>,
    /// Object: the keys read so far.
    keys: Vec<String>,
}

impl Frame {
    fn new(kind: Kind, key: Option<String>, index: usize) -> Frame {
        Frame {
            kind,
            key,
            index,
            state: State::Ready,
            last_key: None,
            elements: 0,
            strings: Vec::new(),
            keys: Vec::new(),
        }
    }
}

/// Where the cursor is in the JSON structure.
#[derive(Debug, Clone)]
struct Place {
    frames: Vec<Frame>,
    /// What a completion replaces: the string literal the cursor is in (from its opening quote
    /// to after its closing quote, or to the cursor when it is not closed on this line), or the
    /// bare word before the cursor (`tru|`).
    replace: Option<Span>,
    /// Whether the cursor is inside a string literal.
    in_string: bool,
}

/// Scans `text[..cursor]` and returns where the cursor is.
fn place(text: &str, cursor: usize) -> Place {
    let bytes = text.as_bytes();
    let cursor = cursor.min(bytes.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < cursor {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                let mut closed = false;
                while i < cursor {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            closed = true;
                            break;
                        }
                        b'\n' | b'\r' => break,
                        _ => i += 1,
                    }
                }
                if !closed {
                    if i >= cursor {
                        let end = string_end(bytes, cursor);
                        return Place {
                            frames,
                            replace: Some(Span::new(start, end)),
                            in_string: true,
                        };
                    }
                    // An unterminated string before the cursor's line: skip the rest of its line.
                    continue;
                }
                let token = text.get(start + 1..i).unwrap_or_default().to_string();
                scalar(&mut frames, Some(token));
                i += 1;
            }
            b'{' | b'[' => {
                let kind = if bytes[i] == b'{' {
                    Kind::Object
                } else {
                    Kind::Array
                };
                let (key, index) = match frames.last_mut() {
                    Some(parent) if parent.kind == Kind::Object => {
                        let key = parent.last_key.clone();
                        parent.state = State::After;
                        (key, 0)
                    }
                    Some(parent) => {
                        parent.state = State::After;
                        (None, parent.elements)
                    }
                    None => (None, 0),
                };
                frames.push(Frame::new(kind, key, index));
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                i += 1;
            }
            b':' => {
                if let Some(top) = frames.last_mut().filter(|f| f.kind == Kind::Object) {
                    top.state = State::Value;
                }
                i += 1;
            }
            b',' => {
                if let Some(top) = frames.last_mut() {
                    top.state = State::Ready;
                    top.last_key = None;
                    top.elements += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < cursor && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < cursor && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < cursor
                    && !matches!(bytes[i], b'"' | b'{' | b'}' | b'[' | b']' | b':' | b',')
                    && !bytes[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                if i >= cursor {
                    // The cursor is in a bare word (`tru|`): it is what a completion replaces.
                    return Place {
                        frames,
                        replace: Some(Span::new(start, cursor)),
                        in_string: false,
                    };
                }
                scalar(&mut frames, None);
            }
        }
    }
    Place {
        frames,
        replace: None,
        in_string: false,
    }
}

/// A scalar (or a string) was read.
fn scalar(frames: &mut [Frame], string: Option<String>) {
    let Some(top) = frames.last_mut() else { return };
    match (top.kind, top.state) {
        (Kind::Object, State::Ready) => {
            if let Some(key) = &string {
                top.keys.push(key.clone());
            }
            top.last_key = string;
            top.state = State::Colon;
        }
        (Kind::Array, State::Ready) => {
            if let Some(s) = string {
                top.strings.push(s);
            }
            top.state = State::After;
        }
        _ => top.state = State::After,
    }
}

/// Where the string starting before `cursor` ends: after its closing quote on this line, or at
/// the cursor.
fn string_end(bytes: &[u8], cursor: usize) -> usize {
    let mut i = cursor;
    // A cursor right after a backslash: the next byte is escaped.
    let mut escaped = cursor > 0 && bytes[cursor - 1] == b'\\';
    while i < bytes.len() {
        match bytes[i] {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return i + 1,
            b'\n' | b'\r' => return cursor,
            _ => {}
        }
        i += 1;
    }
    cursor
}

/// What the context asks for.
struct Request<'a> {
    snap: &'a Snapshot,
    /// The replaced span: the string under the cursor, or the empty span at the cursor.
    span: Span,
    encoding: Encoding,
}

impl Request<'_> {
    /// An item that writes `"value"` (quotes included) over the string under the cursor.
    fn item(
        &self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
    ) -> CompletionItem {
        let quoted = serde_json::to_string(label).unwrap_or_else(|_| format!("\"{label}\""));
        CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            filter_text: Some(quoted.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                self.snap.range(self.span, self.encoding),
                quoted,
            ))),
            ..Default::default()
        }
    }

    /// An item that writes a bare JSON value (`true`), replacing a string under the cursor.
    fn literal(&self, label: &str) -> CompletionItem {
        CompletionItem {
            label: label.to_string(),
            kind: Some(CompletionItemKind::VALUE),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                self.snap.range(self.span, self.encoding),
                label.to_string(),
            ))),
            ..Default::default()
        }
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Object => "object",
        JsonType::Array => "array",
        JsonType::String => "string",
        JsonType::Number => "number",
        JsonType::Boolean => "boolean",
        JsonType::Null => "null",
    }
}

/// A key of `dependencies` being typed: what package names would complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameQuery {
    /// The key's text before the cursor (`com.example.to` in `"com.example.to|"`).
    pub typed: String,
    /// The key's whole text when its string is closed (the key being edited, not to be left out
    /// as already listed), else the typed text.
    pub key: String,
    /// What a completion replaces: the key's string literal (quotes included) or bare word, or
    /// the empty span at the cursor.
    pub span: Span,
    /// No `:` follows the key: a completion may write the value too (`: "<version>"`), and a
    /// `,` when another member follows.
    pub value: Option<Tail>,
    /// The keys of `dependencies` written before the cursor.
    pub listed: Vec<String>,
}

/// What follows a key that has no value yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tail {
    /// Another member follows (its key's quote): a `,` is needed after the value.
    pub comma: bool,
}

/// What completion found: items, and for a key of `dependencies`, the query for package names.
#[derive(Debug, Default)]
pub struct Completion {
    pub items: Vec<CompletionItem>,
    pub names: Option<NameQuery>,
    /// When `items` are the versions of a package: which one, for [`requirements`].
    pub versions: Option<VersionQuery>,
}

/// The package whose versions were completed, and the registry (as the manifest writes its URL)
/// they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionQuery {
    pub url: String,
    pub name: String,
}

/// The completion items at `cursor` (a byte offset in `current`). `good` is the analysis to take
/// names from (the current one when it parsed, else the last one that did).
pub fn complete(
    current: &Snapshot,
    good: &Analysis,
    cursor: usize,
    facts: Option<&OnlineFacts>,
    encoding: Encoding,
) -> Completion {
    let place = place(&current.text, cursor);
    if let Some(names) = name_query(&current.text, cursor, &place) {
        return Completion {
            items: Vec::new(),
            names: Some(names),
            versions: None,
        };
    }
    let mut versions = None;
    let items = items(
        current,
        good,
        cursor,
        &place,
        facts,
        encoding,
        &mut versions,
    );
    Completion {
        items,
        names: None,
        versions,
    }
}

/// The query for package names when the cursor is on a key of the root's `dependencies`.
fn name_query(text: &str, cursor: usize, place: &Place) -> Option<NameQuery> {
    let top = place.frames.last()?;
    let in_dependencies = matches!(
        place.frames.as_slice(),
        [root, deps] if root.kind == Kind::Object
            && deps.kind == Kind::Object
            && deps.key.as_deref() == Some("dependencies")
    );
    if !in_dependencies || top.state != State::Ready {
        return None;
    }
    let cursor = cursor.min(text.len());
    let span = place.replace.unwrap_or(Span::empty(cursor));
    let (typed, key) = if place.in_string {
        let typed = text.get(span.start + 1..cursor)?;
        let whole = text.get(span.start + 1..span.end)?;
        let key = whole
            .strip_suffix('"')
            .filter(|_| span.end > cursor)
            .unwrap_or(typed);
        (typed, key)
    } else {
        let typed = text.get(span.start..cursor)?;
        (typed, typed)
    };
    // Package names have no escapes, spaces or quotes.
    if typed.contains(['\\', '"']) || typed.chars().any(char::is_whitespace) {
        return None;
    }
    let rest = text.get(span.end..).unwrap_or_default().trim_start();
    let value = (!rest.starts_with(':')).then(|| Tail {
        comma: rest.starts_with('"'),
    });
    Some(NameQuery {
        typed: typed.to_string(),
        key: key.to_string(),
        span,
        value,
        listed: top.keys.clone(),
    })
}

/// Every completion but package names.
fn items(
    current: &Snapshot,
    good: &Analysis,
    cursor: usize,
    place: &Place,
    facts: Option<&OnlineFacts>,
    encoding: Encoding,
    versions_of: &mut Option<VersionQuery>,
) -> Vec<CompletionItem> {
    let span = place
        .replace
        .unwrap_or(Span::empty(cursor.min(current.text.len())));
    let req = Request {
        snap: current,
        span,
        encoding,
    };
    let frames = &place.frames;
    let Some(top) = frames.last() else {
        return Vec::new();
    };
    let in_string = place.in_string;
    let path: Vec<(Kind, Option<&str>)> =
        frames.iter().map(|f| (f.kind, f.key.as_deref())).collect();
    let manifest = &good.manifest;
    match (top.kind, top.state) {
        // A key.
        (Kind::Object, State::Ready) => {
            let package = good.package.as_ref();
            let (properties, detail, place): (&[(&str, JsonType)], &str, KeyPlace) =
                match (path.as_slice(), package) {
                    ([(Kind::Object, None)], None) => (ROOT_PROPERTIES, "manifest", KeyPlace::Root),
                    (
                        [
                            (Kind::Object, None),
                            (Kind::Array, Some("scopedRegistries")),
                            (Kind::Object, _),
                        ],
                        None,
                    ) => (REGISTRY_PROPERTIES, "scoped registry", KeyPlace::Registry),
                    ([(Kind::Object, None)], Some(_)) => {
                        (PACKAGE_PROPERTIES, "package.json", KeyPlace::Package)
                    }
                    (
                        [
                            (Kind::Object, None),
                            (Kind::Array, Some("samples")),
                            (Kind::Object, _),
                        ],
                        Some(_),
                    ) => (SAMPLE_PROPERTIES, "sample", KeyPlace::Sample),
                    _ => return Vec::new(),
                };
            // Keys already there: those before the cursor, and those the last parse saw.
            let mut present: HashSet<&str> = top.keys.iter().map(String::as_str).collect();
            let members = match (path.len(), package) {
                (1, None) => Some(&manifest.members),
                (_, None) => manifest
                    .registries()
                    .iter()
                    .find(|r| r.element == frames[2].index)
                    .map(|r| &r.members),
                (1, Some(p)) => Some(&p.members),
                (_, Some(p)) => p
                    .samples()
                    .iter()
                    .find(|s| s.element == frames[2].index)
                    .map(|s| &s.members),
            };
            present.extend(members.into_iter().flatten().map(|m| m.key.value.as_str()));
            properties
                .iter()
                .filter(|(name, _)| !present.contains(name))
                .map(|(name, t)| {
                    let mut item = req.item(
                        name,
                        CompletionItemKind::PROPERTY,
                        Some(format!("{detail} property ({})", type_name(*t))),
                    );
                    item.documentation = crate::keydocs::documentation(place, name);
                    item
                })
                .collect()
        }
        // A value.
        (Kind::Object, State::Value) => {
            let key = top.last_key.as_deref().unwrap_or_default();
            match (path.as_slice(), key) {
                ([(Kind::Object, None)], "resolutionStrategy") => RESOLUTION_STRATEGIES
                    .iter()
                    .map(|s| {
                        req.item(
                            s,
                            CompletionItemKind::ENUM_MEMBER,
                            Some("resolutionStrategy".into()),
                        )
                    })
                    .collect(),
                ([(Kind::Object, None)], "hideInEditor")
                    if !in_string && good.package.is_some() =>
                {
                    vec![req.literal("true"), req.literal("false")]
                }
                ([(Kind::Object, None)], "enableLockFile" | "useSatSolver")
                | (
                    [
                        (Kind::Object, None),
                        (Kind::Array, Some("scopedRegistries")),
                        (Kind::Object, _),
                    ],
                    "overrideBuiltIns",
                ) if !in_string => vec![req.literal("true"), req.literal("false")],
                ([(Kind::Object, None), (Kind::Object, Some("dependencies"))], name) => {
                    versions(&req, good, name, facts, versions_of)
                }
                _ => Vec::new(),
            }
        }
        // An array element.
        (Kind::Array, State::Ready) => match path.as_slice() {
            [
                (Kind::Object, None),
                (Kind::Array, Some("scopedRegistries")),
                (Kind::Object, _),
                (Kind::Array, Some("scopes")),
            ] => {
                let registry_index = frames[2].index;
                let mut existing: Vec<String> = top.strings.clone();
                if let Some(r) = manifest
                    .registries()
                    .iter()
                    .find(|r| r.element == registry_index)
                {
                    existing.extend(
                        r.scopes
                            .iter()
                            .flat_map(|s| &s.items)
                            .map(|s| s.value.as_str().to_owned()),
                    );
                }
                scopes(&req, good, &existing)
            }
            [
                (Kind::Object, None),
                (Kind::Array, Some(list @ ("testables" | "pinnedPackages"))),
            ] => {
                let listed: HashSet<&str> = top.strings.iter().map(String::as_str).collect();
                let mut seen = HashSet::new();
                manifest
                    .dependencies()
                    .iter()
                    .map(|d| d.name.value.as_str())
                    .filter(|n| !listed.contains(n) && seen.insert(*n))
                    .map(|n| {
                        req.item(
                            n,
                            CompletionItemKind::MODULE,
                            Some(format!("dependency, for `{list}`")),
                        )
                    })
                    .collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Versions the registry lists for `name` (from an online check), newest first.
fn versions(
    req: &Request<'_>,
    good: &Analysis,
    name: &str,
    facts: Option<&OnlineFacts>,
    versions_of: &mut Option<VersionQuery>,
) -> Vec<CompletionItem> {
    let Some(facts) = facts else {
        return Vec::new();
    };
    let (url, _) = lookup::registry_of(&good.manifest, &good.resolver, name);
    let Some(PackageStatus::Found { versions, latest }) = facts.package(url, name) else {
        return Vec::new();
    };
    if !versions.is_empty() {
        *versions_of = Some(VersionQuery {
            url: url.to_string(),
            name: name.to_string(),
        });
    }
    let mut sorted: Vec<(Option<semver::Version>, &String)> = versions
        .iter()
        .map(|v| (semver::Version::parse(v).ok(), v))
        .collect();
    sorted.sort_by(|a, b| b.0.cmp(&a.0));
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let is_latest = latest.as_deref() == Some(v.as_str());
            let mut item = req.item(
                v,
                CompletionItemKind::CONSTANT,
                Some(if is_latest {
                    "latest".to_string()
                } else {
                    "version".to_string()
                }),
            );
            item.sort_text = Some(format!("{}{i:06}", if is_latest { 0 } else { 1 }));
            item.preselect = is_latest.then_some(true);
            item
        })
        .collect()
}

/// Puts each version's `unity` requirement (from the package's full packument) in the detail
/// of the version items [`complete`] made; when the project's Editor is older than a version
/// needs, says so, sorts the version after the ones the Editor can use, and, when the client
/// shows tags (`tags`), marks it deprecated.
pub fn requirements(
    items: &mut [CompletionItem],
    packument: &manifest_lint_core::project::Packument,
    editor: Option<&manifest_lint_core::project::EditorVersion>,
    tags: bool,
) {
    for item in items {
        let Some(info) = packument.versions.get(&item.label) else {
            continue;
        };
        let Some(unity) = info
            .unity
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            continue;
        };
        let release = info
            .unity_release
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let needs = match release {
            Some(r) => format!("needs Unity {unity}.{r}"),
            None => format!("needs Unity {unity}"),
        };
        let latest = item.detail.as_deref() == Some("latest");
        let too_new = editor.filter(|e| e.satisfies(unity, release) == Some(false));
        let detail = match too_new {
            Some(e) => format!("{needs} (the project is on {})", e.text),
            None => needs,
        };
        item.detail = Some(if latest {
            format!("latest, {detail}")
        } else {
            detail
        });
        if too_new.is_some() {
            // After every version the project's Editor can use, in the same order.
            if let Some(sort) = &mut item.sort_text {
                sort.replace_range(..1, "2");
            }
            item.preselect = None;
            if tags {
                item.tags = Some(vec![CompletionItemTag::DEPRECATED]);
            }
        }
    }
}

/// Scopes for a registry: dot-prefixes (two parts or more) of the dependencies that no scope of
/// the manifest covers yet, and that no scope of this registry already covers. Unity's own
/// packages (`com.unity.*`) are left out: routing them elsewhere is rarely meant.
fn scopes(req: &Request<'_>, good: &Analysis, existing: &[String]) -> Vec<CompletionItem> {
    let covered_here = |candidate: &str| {
        existing
            .iter()
            .any(|s| candidate == s || candidate.starts_with(&format!("{s}.")))
    };
    let names: Vec<&str> = good
        .manifest
        .dependencies()
        .iter()
        .map(|d| d.name.value.as_str())
        .filter(|n| good.resolve(n).is_default())
        .filter(|n| *n != "com.unity" && !n.starts_with("com.unity."))
        .collect();
    // Candidate -> the dependencies it would route.
    let mut candidates: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in &names {
        let ends = name
            .match_indices('.')
            .map(|(i, _)| i)
            .skip(1)
            .chain(std::iter::once(name.len()));
        for end in ends {
            let candidate = &name[..end];
            // Never a scope the manifest's own rules reject (`@acme/shaders`, `Com.Example`).
            if !covered_here(candidate)
                && manifest_lint_core::naming::scope_problem(candidate).is_none()
            {
                candidates.entry(candidate).or_default().push(name);
            }
        }
    }
    let mut ranked: Vec<(&str, Vec<&str>)> = candidates.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then(a.0.len().cmp(&b.0.len()))
            .then(a.0.cmp(b.0))
    });
    ranked
        .into_iter()
        .enumerate()
        .map(|(i, (scope, served))| {
            let detail = match served.len() {
                1 => format!("routes {}", served[0]),
                n => format!("routes {n} dependencies"),
            };
            let mut item = req.item(scope, CompletionItemKind::MODULE, Some(detail));
            item.sort_text = Some(format!("{i:06}"));
            item.documentation = Some(Documentation::String(format!(
                "Routes to this registry: {}",
                served.join(", ")
            )));
            item
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use manifest_lint_core::LintOptions;

    #[test]
    fn requirements_mark_only_versions_the_editor_is_known_to_be_too_old_for() {
        use manifest_lint_core::project::{EditorVersion, Packument, VersionInfo};
        let info = |unity: &str, release: Option<&str>| VersionInfo {
            unity: Some(unity.to_string()),
            unity_release: release.map(str::to_string),
            ..VersionInfo::default()
        };
        let packument = Packument {
            versions: [
                ("1.0.0".to_string(), info("2021.3", Some("30f1"))),
                ("2.0.0".to_string(), info("not a version", None)),
                ("3.0.0".to_string(), info(" ", None)),
            ]
            .into_iter()
            .collect(),
            latest: None,
        };
        let item = |label: &str, i: usize| CompletionItem {
            label: label.to_string(),
            detail: Some("version".to_string()),
            sort_text: Some(format!("1{i:06}")),
            ..CompletionItem::default()
        };
        let mut items = vec![item("1.0.0", 0), item("2.0.0", 1), item("3.0.0", 2)];
        let editor = EditorVersion::parse("2021.3.20f1").unwrap();
        requirements(&mut items, &packument, Some(&editor), true);
        let details: Vec<_> = items.iter().map(|i| i.detail.as_deref().unwrap()).collect();
        assert_eq!(
            details,
            [
                "needs Unity 2021.3.30f1 (the project is on 2021.3.20f1)",
                // Unparsable: shown as written, not judged.
                "needs Unity not a version",
                // Blank: no requirement.
                "version",
            ]
        );
        assert_eq!(items[0].sort_text.as_deref(), Some("2000000"));
        assert_eq!(items[0].tags, Some(vec![CompletionItemTag::DEPRECATED]));
        assert_eq!(items[1].sort_text.as_deref(), Some("1000001"));
        assert_eq!(items[1].tags, None);
    }

    const GOOD: &str = r#"{"dependencies": {"com.example.tools.a": "1.0.0", "com.example.b": "1.0.0", "org.other.c": "1.0.0", "com.unity.ugui": "1.0.0"},
        "scopedRegistries": [{"name": "A", "url": "https://a.example.com", "scopes": ["org.other"]}]}"#;

    /// Completion labels at `|`, with `good` as the last text that parsed.
    fn labels_with(text_with_cursor: &str, good: &str) -> Vec<String> {
        let cursor = text_with_cursor.find('|').unwrap();
        let text = text_with_cursor.replacen('|', "", 1);
        let snap = Snapshot::new(text, &LintOptions::default());
        let good = Snapshot::new(good.into(), &LintOptions::default());
        complete(&snap, &good.analysis, cursor, None, Encoding::Utf16)
            .items
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    fn labels(text_with_cursor: &str) -> Vec<String> {
        labels_with(text_with_cursor, GOOD)
    }

    #[test]
    fn package_json_keys_at_both_levels() {
        let options = LintOptions {
            kind: manifest_lint_core::FileKind::Package,
            ..Default::default()
        };
        let at = |text_with_cursor: &str| -> Vec<String> {
            let cursor = text_with_cursor.find('|').unwrap();
            let text = text_with_cursor.replacen('|', "", 1);
            let snap = Snapshot::new(text, &options);
            complete(&snap, &snap.analysis, cursor, None, Encoding::Utf16)
                .items
                .into_iter()
                .map(|i| i.label)
                .collect()
        };
        let l = at(r#"{"name": "com.a.b", "version": "1.0.0", |}"#);
        assert!(
            l.contains(&"unity".to_string()) && l.contains(&"hideInEditor".to_string()),
            "{l:?}"
        );
        assert!(
            !l.contains(&"name".to_string()) && !l.contains(&"scopedRegistries".to_string()),
            "{l:?}"
        );
        let l = at(r#"{"name": "com.a.b", "samples": [{"displayName": "A", |}]}"#);
        assert_eq!(l, ["description", "path"]);
        let l = at(r#"{"name": "com.a.b", "hideInEditor": |}"#);
        assert_eq!(l, ["true", "false"]);
    }

    #[test]
    fn root_keys_not_yet_present() {
        let l = labels_with(r#"{"dependencies": {}, "|"#, r#"{"dependencies": {}}"#);
        assert!(l.contains(&"scopedRegistries".to_string()), "{l:?}");
        assert!(!l.contains(&"dependencies".to_string()));
        let l = labels_with("{\n  |\n}", "{}");
        assert!(l.contains(&"dependencies".to_string()));
    }

    #[test]
    fn registry_keys_and_values() {
        let l = labels_with(
            r#"{"scopedRegistries": [{"name": "x", "|"}]}"#,
            r#"{"scopedRegistries": [{"name": "x"}]}"#,
        );
        assert_eq!(l, ["url", "scopes", "overrideBuiltIns"]);
        assert_eq!(
            labels(r#"{"resolutionStrategy": "|"#),
            RESOLUTION_STRATEGIES
        );
        assert_eq!(labels(r#"{"enableLockFile": |"#), ["true", "false"]);
        assert!(labels(r#"{"dependencies": {"|"#).is_empty());
    }

    /// The package-name query at `|`.
    fn query(text_with_cursor: &str) -> Option<NameQuery> {
        let cursor = text_with_cursor.find('|').unwrap();
        let text = text_with_cursor.replacen('|', "", 1);
        let snap = Snapshot::new(text, &LintOptions::default());
        let good = Snapshot::new(GOOD.into(), &LintOptions::default());
        complete(&snap, &good.analysis, cursor, None, Encoding::Utf16).names
    }

    #[test]
    fn dependency_keys_ask_for_package_names() {
        // A new key, not closed, nothing after it.
        let q =
            query("{\"dependencies\": {\n  \"a.b\": \"1.0.0\",\n  \"com.example.to|\n}}").unwrap();
        assert_eq!(q.typed, "com.example.to");
        assert_eq!(q.key, "com.example.to");
        assert_eq!(q.listed, ["a.b"]);
        assert_eq!(q.value, Some(Tail { comma: false }));
        // Closed, with another member after it: the value and a comma may be written.
        let q = query("{\"dependencies\": {\"com.ex|ample\"\n \"b.c\": \"1\"}}").unwrap();
        assert_eq!(
            (q.typed.as_str(), q.key.as_str()),
            ("com.ex", "com.example")
        );
        assert_eq!(q.value, Some(Tail { comma: true }));
        assert_eq!(q.span, Span::new(18, 31));
        // An existing key being edited: only the name is replaced.
        let q = query("{\"dependencies\": {\"com.ex|\": \"1.0.0\"}}").unwrap();
        assert_eq!(q.value, None);
        // No string yet: an empty query at the cursor.
        let q = query("{\"dependencies\": {\n  |\n}}").unwrap();
        assert_eq!(q.typed, "");
        assert!(q.span.is_empty());
        // Values, other objects, and odd text ask for nothing.
        for text in [
            "{\"dependencies\": {\"com.example.tools\": \"|",
            "{\"scopedRegistries\": [{\"|",
            "{\"|",
            "{\"x\": {\"dependencies\": {\"|",
            "{\"dependencies\": {\"a b|",
        ] {
            assert_eq!(query(text), None, "{text}");
        }
    }

    #[test]
    fn scopes_from_uncovered_dependencies() {
        let l = labels(r#"{"scopedRegistries": [{"name": "B", "scopes": ["|"]}]}"#);
        assert_eq!(l[0], "com.example");
        assert!(l.contains(&"com.example.tools".to_string()));
        assert!(l.contains(&"com.example.b".to_string()));
        assert!(
            !l.iter()
                .any(|s| s.starts_with("org.other") || s.starts_with("com.unity")),
            "{l:?}"
        );
        let l = labels(r#"{"scopedRegistries": [{"name": "B", "scopes": ["com.example", "|"]}]}"#);
        assert!(l.is_empty(), "{l:?}");
    }

    #[test]
    fn no_scope_the_rules_reject() {
        let good = r#"{"dependencies": {"@acme/shaders": "1.0.0", "Com.Big.Name": "1.0.0", "org.fine.x": "1.0.0"}}"#;
        let l = labels_with(
            r#"{"scopedRegistries": [{"name": "B", "scopes": ["|"]}]}"#,
            good,
        );
        assert_eq!(l, ["org.fine", "org.fine.x"]);
    }

    #[test]
    fn key_completions_carry_the_key_documentation() {
        let cursor = "{\n  |\n}".find('|').unwrap();
        let snap = Snapshot::new("{\n  \n}".into(), &LintOptions::default());
        let good = Snapshot::new("{}".into(), &LintOptions::default());
        let items = complete(&snap, &good.analysis, cursor, None, Encoding::Utf16).items;
        let lock = items.iter().find(|i| i.label == "enableLockFile").unwrap();
        let Some(Documentation::MarkupContent(doc)) = &lock.documentation else {
            panic!("{lock:?}")
        };
        assert!(
            doc.value.contains("https://docs.unity3d.com/Manual/"),
            "{}",
            doc.value
        );
        assert_eq!(items.len(), ROOT_PROPERTIES.len());
        assert!(items.iter().all(|i| i.documentation.is_some()));
    }

    #[test]
    fn testables_from_dependencies() {
        let l = labels(r#"{"testables": ["com.example.b", |"#);
        assert!(l.contains(&"com.example.tools.a".to_string()));
        assert!(!l.contains(&"com.example.b".to_string()));
    }
}
