//! Completion of package names in `dependencies` keys, from the registries' searches.
//!
//! For each scope of the manifest that the typed text could fall under (a scope that starts with
//! the text, or one the text already starts with), the registry that scope routes to is searched:
//! for the scope itself, or for the typed text once it is longer than the scope (the typed text
//! goes only to the registry its names would resolve to). Answers come from the prober's cache
//! only; what is not there yet is returned as wanted, for the caller to search in the background.
//! A registry's search is fuzzy, so every hit is filtered here: its name must start with the typed
//! text and resolve (with this manifest's scopes) to the registry that returned it.

use std::collections::HashSet;

use manifest_lint_core::{Analysis, Encoding};
use manifest_lint_registry::SearchResults;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat,
    TextEdit,
};

use crate::completion::NameQuery;
use crate::document::Snapshot;

/// Package names found, and the searches still to run.
#[derive(Debug, Default)]
pub struct Names {
    pub items: Vec<CompletionItem>,
    /// `(registry URL, search text)` pairs with no cached answer (each once).
    pub wanted: Vec<(String, String)>,
    /// More may come: a search is still wanted, or an answer was cut at its page size (a longer
    /// text will be searched). The client should ask again as the user types.
    pub incomplete: bool,
}

/// The registry index [`complete`] gives hits of the default registry.
const DEFAULT: usize = usize::MAX;

/// What the default registry is searched for when `typed` is being typed: the part before the
/// last dot (one answer serves every keystroke after it), or the text itself while it has no dot
/// yet and is long enough to mean something (three characters).
fn default_search_text(typed: &str) -> Option<&str> {
    match typed.rfind('.') {
        Some(dot) if dot > 0 => Some(&typed[..dot]),
        Some(_) => None,
        None => (typed.len() >= 3).then_some(typed),
    }
}

/// As for online checks: a URL that is not http(s), or that carries credentials, is never
/// requested.
fn usable(url: &str) -> bool {
    manifest_lint_core::url::parse_registry_url(url).is_ok()
        && manifest_lint_core::url::userinfo_range(url).is_none()
}

fn default_registry_name(url: &str) -> String {
    if url == manifest_lint_core::model::UNITY_REGISTRY_URL {
        "Unity registry".to_string()
    } else {
        format!("{} (registry)", manifest_lint_core::url::redact(url))
    }
}

/// `text` with the characters a snippet gives meaning to (`$`, `}`, `\\`) escaped.
fn snippet_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `name` starts with `prefix`, ASCII case-insensitively.
fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// A search answer from a cache: `fresh` when within the prober's cache lifetime, else the last
/// answer known, shown at once while the search runs again in the background.
#[derive(Debug, Clone)]
pub struct Cached {
    pub results: SearchResults,
    pub fresh: bool,
}

impl Names {
    /// Asks for `(url, text)` to be searched (once) and marks the answer incomplete.
    fn want(&mut self, url: &str, text: &str) {
        self.incomplete = true;
        let pair = (url.to_string(), text.to_string());
        if !self.wanted.contains(&pair) {
            self.wanted.push(pair);
        }
    }
}

/// The package names for `query` at the cursor of `current`. `good` gives the manifest's
/// registries, scopes and resolution; `cache(url, text)` the last search answer known.
pub fn complete(
    current: &Snapshot,
    good: &Analysis,
    query: &NameQuery,
    encoding: Encoding,
    snippets: bool,
    cache: impl Fn(&str, &str) -> Option<Cached>,
) -> Names {
    // What is cached is shown; what is stale is searched again (and more may come).
    let cached = |url: &str, text: &str, names: &mut Names| -> Option<SearchResults> {
        let found = cache(url, text)?;
        if !found.fresh {
            names.want(url, text);
        }
        Some(found.results)
    };
    let typed = query.typed.as_str();
    let manifest = &good.manifest;
    let resolver = &good.resolver;
    let mut listed: HashSet<&str> = query.listed.iter().map(String::as_str).collect();
    listed.extend(
        manifest
            .dependencies()
            .iter()
            .map(|d| d.name.value.as_str()),
    );
    listed.remove(query.key.as_str());

    let mut names = Names::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut found = Vec::new();
    for (r, registry) in manifest.registries().iter().enumerate() {
        let Some(url) = registry.url.as_ref().map(|u| u.value.as_str()) else {
            continue;
        };
        if !usable(url) {
            continue;
        }
        let scopes = registry.scopes.iter().flat_map(|s| &s.items);
        for scope in scopes {
            let scope = scope.value.as_str();
            // Only where this registry is the one the scope routes to (the first to list it).
            if scope.is_empty()
                || resolver.declarations(scope).first().map(|d| d.registry) != Some(r)
            {
                continue;
            }
            let text = if scope.starts_with(typed) {
                scope
            } else if typed.len() > scope.len()
                && typed.starts_with(scope)
                && typed.as_bytes()[scope.len()] == b'.'
            {
                // Every name that starts with the typed text has the text's part before its
                // last dot as a dot-prefix: the longest scope matching that part routes them all.
                let head = &typed[..typed.rfind('.').unwrap_or(typed.len())];
                if resolver.resolve(head).winner.map(|w| w.registry) != Some(r) {
                    continue;
                }
                typed.trim_end_matches('.')
            } else {
                continue;
            };
            let answer = match cached(url, text, &mut names) {
                Some(answer) => Some(answer),
                None => {
                    // The scope's own answer serves any longer text when it was not cut short.
                    let whole = (text != scope)
                        .then(|| cached(url, scope, &mut names))
                        .flatten();
                    if whole.as_ref().is_none_or(|w| w.truncated) {
                        names.want(url, text);
                    }
                    whole
                }
            };
            let Some(answer) = answer else { continue };
            names.incomplete |= answer.truncated;
            for hit in answer.hits {
                if !starts_with_ignore_case(&hit.name, typed)
                    || listed.contains(hit.name.as_str())
                    || resolver.resolve(&hit.name).winner.map(|w| w.registry) != Some(r)
                    || !seen.insert(hit.name.clone())
                {
                    continue;
                }
                found.push((r, hit));
            }
        }
    }
    // The default registry (Unity's, or the legacy `registry`) serves the names no scope matches.
    let default_url = manifest.default_registry_url();
    let text = default_search_text(typed)
        .filter(|_| usable(default_url))
        // Under a scope already (`com.example.to` with a scope `com.example`): nothing for it.
        .filter(|text| !typed.contains('.') || resolver.resolve(text).is_default());
    if let Some(text) = text {
        let trimmed = typed.trim_end_matches('.');
        let mut answers = Vec::new();
        match cached(default_url, text, &mut names) {
            None => {
                names.want(default_url, text);
                // Meanwhile, the answer for a shorter part of the text, when one is known
                // (`com` while `com.unity` is searched): its hits are filtered like any.
                let mut shorter = text;
                while let Some(dot) = shorter.rfind('.') {
                    shorter = &shorter[..dot];
                    if let Some(answer) = cache(default_url, shorter) {
                        answers.push(answer.results);
                        break;
                    }
                }
            }
            Some(answer) if answer.truncated && trimmed != text => {
                // Cut short: the typed text itself is searched too.
                answers.push(answer);
                match cached(default_url, trimmed, &mut names) {
                    None => names.want(default_url, trimmed),
                    Some(longer) => answers.push(longer),
                }
            }
            Some(answer) => answers.push(answer),
        }
        for answer in answers {
            names.incomplete |= answer.truncated;
            for hit in answer.hits {
                if starts_with_ignore_case(&hit.name, typed)
                    && !listed.contains(hit.name.as_str())
                    && resolver.resolve(&hit.name).is_default()
                    && seen.insert(hit.name.clone())
                {
                    found.push((DEFAULT, hit));
                }
            }
        }
    }
    found.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let range = current.range(query.span, encoding);
    names.items = found
        .into_iter()
        .map(|(r, hit)| {
            let registry = if r == DEFAULT {
                default_registry_name(default_url)
            } else {
                manifest.registries()[r].display_name()
            };
            let quoted = serde_json::to_string(&hit.name).unwrap_or_default();
            let mut new_text = quoted.clone();
            let mut snippet = false;
            if let (Some(tail), Some(version)) = (query.value, &hit.version) {
                let version = serde_json::to_string(version).unwrap_or_default();
                if snippets {
                    // The version is the first tab stop, selected, ready to be typed over.
                    let inner = &version[1..version.len() - 1];
                    new_text = format!(
                        "{}: \"${{1:{}}}\"",
                        snippet_escape(&quoted),
                        snippet_escape(inner)
                    );
                    snippet = true;
                } else {
                    new_text.push_str(&format!(": {version}"));
                }
                if tail.comma {
                    new_text.push(',');
                }
            }
            CompletionItem {
                label: hit.name.clone(),
                kind: Some(CompletionItemKind::MODULE),
                detail: Some(match &hit.version {
                    Some(v) => format!("{registry}, latest {v}"),
                    None => registry,
                }),
                documentation: hit.description.map(Documentation::String),
                filter_text: Some(quoted),
                sort_text: Some(hit.name),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text))),
                insert_text_format: snippet.then_some(InsertTextFormat::SNIPPET),
                ..Default::default()
            }
        })
        .collect();
    names
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use manifest_lint_core::LintOptions;
    use manifest_lint_registry::{SearchHit, SearchSource};

    use super::*;
    use crate::completion;

    /// A: `com.example`; B: `com.example.tools.pro` (longer, captures those names);
    /// C: an unusable URL. One dependency listed already.
    const GOOD: &str = r#"{
  "dependencies": {"com.example.listed": "1.0.0"},
  "scopedRegistries": [
    {"name": "A", "url": "https://a.example", "scopes": ["com.example"]},
    {"name": "B", "url": "https://b.example", "scopes": ["com.example.tools.pro"]},
    {"name": "C", "url": "not a url", "scopes": ["com.cee"]}
  ]
}"#;

    fn results(names: &[&str], truncated: bool) -> SearchResults {
        SearchResults {
            hits: names
                .iter()
                .map(|n| SearchHit {
                    name: n.to_string(),
                    version: Some("1.2.0".into()),
                    description: Some(format!("About {n}")),
                })
                .collect(),
            source: SearchSource::V1Search,
            truncated,
        }
    }

    const UNITY: &str = "https://packages.unity.com";

    /// Names at `|` (typed into GOOD's dependencies), with `cache` as the prober's cache.
    fn names(typed_with_cursor: &str, cache: &HashMap<(&str, &str), SearchResults>) -> Names {
        names_with(typed_with_cursor, cache, false)
    }

    fn names_with(
        typed_with_cursor: &str,
        cache: &HashMap<(&str, &str), SearchResults>,
        snippets: bool,
    ) -> Names {
        names_stale(typed_with_cursor, cache, &[], snippets)
    }

    /// [`names_with`], the answers of `stale` being past the cache lifetime.
    fn names_stale(
        typed_with_cursor: &str,
        cache: &HashMap<(&str, &str), SearchResults>,
        stale: &[(&str, &str)],
        snippets: bool,
    ) -> Names {
        let text = GOOD.replacen(
            "{\"com.example.listed\"",
            &format!("{{{typed_with_cursor}\n\"com.example.listed\""),
            1,
        );
        let cursor = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        let snap = Snapshot::new(text, &LintOptions::default());
        let good = Snapshot::new(GOOD.into(), &LintOptions::default());
        let query = completion::complete(&snap, &good.analysis, cursor, None, Encoding::Utf16)
            .names
            .expect("a name query");
        complete(
            &snap,
            &good.analysis,
            &query,
            Encoding::Utf16,
            snippets,
            |url, text| {
                cache.get(&(url, text)).map(|results| Cached {
                    results: results.clone(),
                    fresh: !stale.contains(&(url, text)),
                })
            },
        )
    }

    fn labels(n: &Names) -> Vec<&str> {
        n.items.iter().map(|i| i.label.as_str()).collect()
    }

    fn wanted(n: &Names) -> Vec<(&str, &str)> {
        n.wanted
            .iter()
            .map(|(u, t)| (u.as_str(), t.as_str()))
            .collect()
    }

    #[test]
    fn nothing_cached_wants_each_scope_once() {
        let n = names("\"com.|", &HashMap::new());
        assert!(n.items.is_empty() && n.incomplete);
        assert_eq!(
            wanted(&n),
            [
                ("https://a.example", "com.example"),
                ("https://b.example", "com.example.tools.pro"),
                (UNITY, "com"),
            ]
        );
        // A text under no scope asks only the default registry, for the part before its dot.
        let n = names("\"org.|", &HashMap::new());
        assert!(n.items.is_empty() && n.incomplete);
        assert_eq!(wanted(&n), [(UNITY, "org")]);
        // Two characters and no dot: too short to search anything.
        let n = names("\"or|", &HashMap::new());
        assert!(n.items.is_empty() && !n.incomplete && n.wanted.is_empty());
    }

    #[test]
    fn the_default_registry_serves_names_no_scope_matches() {
        let cache = HashMap::from([(
            (UNITY, "com.unity"),
            results(
                &[
                    "com.unity.ugui",
                    "com.unity.textmeshpro",
                    "com.unity.timeline",
                ],
                true,
            ),
        )]);
        // Cut short: shown meanwhile, and the typed text is searched as well.
        let n = names("\"com.unity.t|", &cache);
        assert_eq!(labels(&n), ["com.unity.textmeshpro", "com.unity.timeline"]);
        assert_eq!(
            n.items[0].detail.as_deref(),
            Some("Unity registry, latest 1.2.0")
        );
        assert!(n.incomplete);
        assert_eq!(wanted(&n), [(UNITY, "com.unity.t")]);
        // A name a scope would route elsewhere is not offered from Unity's registry.
        let cache = HashMap::from([
            (
                (UNITY, "com"),
                results(&["com.example.fromunity", "com.other"], false),
            ),
            (("https://a.example", "com.example"), results(&[], false)),
            (
                ("https://b.example", "com.example.tools.pro"),
                results(&[], false),
            ),
        ]);
        let n = names("\"com.|", &cache);
        assert_eq!(labels(&n), ["com.other"]);
        assert!(!n.incomplete && n.wanted.is_empty());
    }

    #[test]
    fn with_snippets_the_version_is_a_tab_stop() {
        let cache = HashMap::from([
            ((UNITY, "com"), results(&["com.other"], false)),
            (("https://a.example", "com.example"), results(&[], false)),
            (
                ("https://b.example", "com.example.tools.pro"),
                results(&[], false),
            ),
        ]);
        let n = names_with("\"com.|", &cache, true);
        let item = &n.items[0];
        assert_eq!(item.insert_text_format, Some(InsertTextFormat::SNIPPET));
        let Some(CompletionTextEdit::Edit(edit)) = &item.text_edit else {
            panic!()
        };
        assert_eq!(edit.new_text, r#""com.other": "${1:1.2.0}","#);
        assert_eq!(snippet_escape(r"a$b}c\d"), r"a\$b\}c\\d");
        // Without snippet support: plain text.
        let n = names_with("\"com.|", &cache, false);
        assert_eq!(n.items[0].insert_text_format, None);
    }

    #[test]
    fn cached_hits_filtered_by_prefix_resolution_and_listed() {
        let cache = HashMap::from([
            (
                ("https://a.example", "com.example"),
                results(
                    &[
                        "com.example.tools",
                        "com.example.tools.pro.x", // B's longer scope captures it
                        "com.example.listed",      // already a dependency
                        "org.mentions.com.example", // fuzzy: not under the prefix
                        "com.example.tools",       // twice
                    ],
                    false,
                ),
            ),
            (
                ("https://b.example", "com.example.tools.pro"),
                results(&["com.example.tools.pro.x", "com.example.other"], false),
            ),
        ]);
        let mut cache = cache;
        cache.insert((UNITY, "com"), results(&[], false));
        let n = names("\"com.ex|", &cache);
        assert!(!n.incomplete && n.wanted.is_empty());
        assert_eq!(labels(&n), ["com.example.tools", "com.example.tools.pro.x"]);
        let tools = &n.items[0];
        assert_eq!(tools.detail.as_deref(), Some("A, latest 1.2.0"));
        assert_eq!(
            tools.documentation,
            Some(Documentation::String("About com.example.tools".into()))
        );
        assert_eq!(n.items[1].detail.as_deref(), Some("B, latest 1.2.0"));
        // No value yet: the value is written too, and a comma since a member follows.
        let Some(CompletionTextEdit::Edit(edit)) = &tools.text_edit else {
            panic!()
        };
        assert_eq!(edit.new_text, r#""com.example.tools": "1.2.0","#);
        assert_eq!(tools.filter_text.as_deref(), Some("\"com.example.tools\""));
    }

    #[test]
    fn a_longer_text_is_searched_as_typed_unless_the_scope_answer_was_whole() {
        // B's scope starts with the typed text too: its (empty) answer is there as well.
        let scope_only = |truncated| {
            HashMap::from([
                (
                    ("https://a.example", "com.example"),
                    results(&["com.example.tools", "com.example.other"], truncated),
                ),
                (
                    ("https://b.example", "com.example.tools.pro"),
                    results(&[], false),
                ),
            ])
        };
        // The scope's answer was whole: filtered locally, nothing more to ask.
        let n = names("\"com.example.to|", &scope_only(false));
        assert_eq!(labels(&n), ["com.example.tools"]);
        assert!(!n.incomplete && n.wanted.is_empty());
        // Cut short: shown meanwhile, and the typed text is searched (at A only).
        let n = names("\"com.example.to|", &scope_only(true));
        assert_eq!(labels(&n), ["com.example.tools"]);
        assert!(n.incomplete);
        assert_eq!(wanted(&n), [("https://a.example", "com.example.to")]);
        // A trailing dot is not sent.
        let n = names("\"com.example.|", &HashMap::new());
        assert_eq!(
            wanted(&n),
            [
                ("https://a.example", "com.example"),
                ("https://b.example", "com.example.tools.pro"),
            ]
        );
        // Under B's longer scope, A is not asked at all.
        let n = names("\"com.example.tools.pro.|", &HashMap::new());
        assert_eq!(wanted(&n), [("https://b.example", "com.example.tools.pro")]);
    }

    #[test]
    fn a_stale_answer_is_shown_and_searched_again() {
        let cache = HashMap::from([
            ((UNITY, "com"), results(&["com.other"], false)),
            (
                ("https://a.example", "com.example"),
                results(&["com.example.tools"], false),
            ),
            (
                ("https://b.example", "com.example.tools.pro"),
                results(&[], false),
            ),
        ]);
        let n = names_stale(
            "\"com.|",
            &cache,
            &[("https://a.example", "com.example")],
            false,
        );
        assert_eq!(labels(&n), ["com.example.tools", "com.other"]);
        assert!(n.incomplete);
        assert_eq!(wanted(&n), [("https://a.example", "com.example")]);
        // All fresh: nothing to search, complete.
        let n = names("\"com.|", &cache);
        assert!(!n.incomplete && n.wanted.is_empty());
    }

    #[test]
    fn a_shorter_cached_answer_serves_the_default_registry_meanwhile() {
        let cache = HashMap::from([(
            (UNITY, "com"),
            results(&["com.unity.ugui", "com.unity.timeline", "com.other"], true),
        )]);
        // `com.unity` is not cached yet: searched, and `com`'s hits shown meanwhile.
        let n = names("\"org.x|", &cache);
        assert!(n.items.is_empty());
        let n = names("\"com.unity.t|", &cache);
        assert_eq!(labels(&n), ["com.unity.timeline"]);
        assert!(n.incomplete);
        assert_eq!(wanted(&n), [(UNITY, "com.unity")]);
    }

    #[test]
    fn editing_an_existing_key_replaces_only_the_name() {
        let cache = HashMap::from([(
            ("https://a.example", "com.example"),
            results(&["com.example.tools"], false),
        )]);
        let n = names("\"com.ex|\": \"1.0.0\",", &cache);
        let Some(CompletionTextEdit::Edit(edit)) = &n.items[0].text_edit else {
            panic!()
        };
        assert_eq!(edit.new_text, "\"com.example.tools\"");
    }
}
