//! Which version of a registry package Unity installs when several are requested (Unity's
//! manual, "Package dependency and resolution" and "Resolution strategy").
//!
//! - Unity 2019.x: the request with the fewest levels from the project wins; of several at
//!   that level, the highest version.
//! - Unity 2020.1 and later: every requested version is a minimum; the highest wins, whether
//!   the project manifest or a package asks for it.
//! - The manifest's `resolutionStrategy` then lets Unity pick a newer version than requested
//!   for **indirect** dependencies (never for what the manifest itself asks): `lowest` (the
//!   default) keeps the requested version, `highestPatch` the highest with the same major and
//!   minor, `highestMinor` the highest with the same major, `highest` the highest of all. That
//!   needs the registry's list of versions (a packument); without one the requested version
//!   stays. Pre-release versions are never an upgrade target.

use semver::Version;

/// How conflicting requests are settled, by Editor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Unity 2019.x.
    FewestLevels,
    /// Unity 2020.1 and later.
    Highest,
}

/// The manifest's `resolutionStrategy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Strategy {
    #[default]
    Lowest,
    HighestPatch,
    HighestMinor,
    Highest,
}

impl Strategy {
    /// The manifest's word; `None` for anything else (the `invalid-value` rule reports it and
    /// Unity falls back to the default).
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "lowest" => Self::Lowest,
            "highestPatch" => Self::HighestPatch,
            "highestMinor" => Self::HighestMinor,
            "highest" => Self::Highest,
            _ => return None,
        })
    }
}

/// One request for a package: the version asked for, and how many levels from the project the
/// request sits (0: the project manifest itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    pub version: &'a str,
    pub level: u32,
}

/// The version Unity installs for these requests; `None` when no request is a SemVer version.
/// `available` is the registry's list of versions when known (online), for the strategy.
pub fn select(
    requests: &[Request<'_>],
    rule: Rule,
    strategy: Strategy,
    available: Option<&[&str]>,
) -> Option<String> {
    let valid: Vec<(Version, &Request<'_>)> = requests
        .iter()
        .filter_map(|r| Version::parse(r.version).ok().map(|v| (v, r)))
        .collect();
    let candidates: Vec<&(Version, &Request<'_>)> = match rule {
        Rule::Highest => valid.iter().collect(),
        Rule::FewestLevels => {
            let fewest = valid.iter().map(|(_, r)| r.level).min()?;
            valid.iter().filter(|(_, r)| r.level == fewest).collect()
        }
    };
    let (chosen, request) = candidates.into_iter().max_by(|a, b| a.0.cmp(&b.0))?;
    let direct = requests.iter().any(|r| r.level == 0);
    if direct || strategy == Strategy::Lowest {
        return Some(request.version.to_string());
    }
    let Some(available) = available else {
        return Some(request.version.to_string());
    };
    let upgrade = available
        .iter()
        .filter_map(|a| Version::parse(a).ok().map(|v| (v, *a)))
        .filter(|(v, _)| v.pre.is_empty() && v > chosen && within(strategy, chosen, v))
        .max_by(|a, b| a.0.cmp(&b.0));
    Some(match upgrade {
        Some((_, text)) => text.to_string(),
        None => request.version.to_string(),
    })
}

fn within(strategy: Strategy, base: &Version, v: &Version) -> bool {
    match strategy {
        Strategy::Lowest => false,
        Strategy::HighestPatch => v.major == base.major && v.minor == base.minor,
        Strategy::HighestMinor => v.major == base.major,
        Strategy::Highest => true,
    }
}

/// Whether the requests ask for different major versions (Unity reports that conflict in the
/// console): the distinct majors, ascending, when there are two or more.
pub fn major_conflict(requests: &[Request<'_>]) -> Option<Vec<u64>> {
    let mut majors: Vec<u64> = requests
        .iter()
        .filter_map(|r| Version::parse(r.version).ok().map(|v| v.major))
        .collect();
    majors.sort_unstable();
    majors.dedup();
    (majors.len() > 1).then_some(majors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(version: &str, level: u32) -> Request<'_> {
        Request { version, level }
    }

    #[test]
    fn unity_2019_takes_the_fewest_levels_then_the_highest() {
        let requests = [r("1.2.0", 2), r("1.0.0", 1), r("1.1.0", 1), r("2.0.0", 3)];
        let chosen = select(&requests, Rule::FewestLevels, Strategy::Lowest, None);
        assert_eq!(chosen.as_deref(), Some("1.1.0"));
        // The manifest (level 0) always wins there.
        let requests = [r("1.0.0", 0), r("3.0.0", 1)];
        let chosen = select(&requests, Rule::FewestLevels, Strategy::Lowest, None);
        assert_eq!(chosen.as_deref(), Some("1.0.0"));
    }

    #[test]
    fn unity_2020_takes_the_highest_even_over_the_manifest() {
        // Unity's manual: XR Plugin Management 4.0.3 requested, 4.0.6 installed because
        // another package required it.
        let requests = [r("4.0.3", 0), r("4.0.6", 1)];
        let chosen = select(&requests, Rule::Highest, Strategy::Lowest, None);
        assert_eq!(chosen.as_deref(), Some("4.0.6"));
        let requests = [r("1.8.0-pre.2", 0), r("1.8.2", 1), r("1.3.0", 1)];
        let chosen = select(&requests, Rule::Highest, Strategy::Lowest, None);
        assert_eq!(chosen.as_deref(), Some("1.8.2"));
    }

    #[test]
    fn versions_that_are_not_semver_are_no_candidates() {
        let requests = [r("", 1), r("https://x/y.git", 1), r("1.0.0", 2)];
        let chosen = select(&requests, Rule::FewestLevels, Strategy::Lowest, None);
        assert_eq!(chosen.as_deref(), Some("1.0.0"));
        assert_eq!(
            select(&[r("^1.0.0", 1)], Rule::Highest, Strategy::Lowest, None),
            None
        );
        assert_eq!(select(&[], Rule::Highest, Strategy::Lowest, None), None);
    }

    #[test]
    fn the_strategy_upgrades_indirect_dependencies_only() {
        let available = [
            "1.0.0",
            "1.0.1",
            "1.0.5",
            "1.1.0",
            "1.3.2",
            "2.0.0",
            "2.1.0",
            "3.0.0-pre.1",
        ];
        let indirect = [r("1.0.1", 1), r("1.0.0", 2)];
        let pick = |s| select(&indirect, Rule::Highest, s, Some(&available));
        assert_eq!(pick(Strategy::Lowest).as_deref(), Some("1.0.1"));
        assert_eq!(pick(Strategy::HighestPatch).as_deref(), Some("1.0.5"));
        assert_eq!(pick(Strategy::HighestMinor).as_deref(), Some("1.3.2"));
        assert_eq!(pick(Strategy::Highest).as_deref(), Some("2.1.0"));
        // Without the registry's list there is nothing to upgrade to.
        let offline = select(&indirect, Rule::Highest, Strategy::Highest, None);
        assert_eq!(offline.as_deref(), Some("1.0.1"));
        // What the manifest asks for is never upgraded by the strategy.
        let direct = [r("1.0.1", 0)];
        let chosen = select(&direct, Rule::Highest, Strategy::Highest, Some(&available));
        assert_eq!(chosen.as_deref(), Some("1.0.1"));
        assert_eq!(
            Strategy::parse("highestMinor"),
            Some(Strategy::HighestMinor)
        );
        assert_eq!(Strategy::parse("Highest"), None);
    }

    #[test]
    fn major_conflicts() {
        assert_eq!(
            major_conflict(&[r("1.0.0", 0), r("2.0.1", 1), r("1.2.0", 1)]),
            Some(vec![1, 2])
        );
        assert_eq!(major_conflict(&[r("1.0.0", 0), r("1.2.0", 1)]), None);
    }
}
