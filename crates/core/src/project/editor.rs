//! The project's Editor version, from `ProjectSettings/ProjectVersion.txt`:
//!
//! ```text
//! m_EditorVersion: 2021.3.20f1
//! m_EditorVersionWithRevision: 2021.3.20f1 (6a7b8c9d0e1f)
//! ```
//!
//! Unity 6 numbers its releases `6000.0.23f1`; they compare after every `20xx`.

use std::cmp::Ordering;

/// `2021.3.20f1`: year (or `6000`), minor, patch, release kind (`a`, `b`, `f`, `p`, `c`, `x`) and
/// its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorVersion {
    pub year: u32,
    pub minor: u32,
    pub patch: u32,
    pub kind: char,
    pub build: u32,
    /// As written (`2021.3.20f1`).
    pub text: String,
}

impl EditorVersion {
    /// Parses `2021.3.20f1` (also `2021.3` and `2021.3.20`: the missing parts are 0).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let mut parts = text.splitn(3, '.');
        let year = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let (patch, kind, build) = match parts.next() {
            None => (0, 'f', 0),
            Some(rest) => {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let patch = rest[..digits].parse().ok()?;
                let tail = &rest[digits..];
                match tail.chars().next() {
                    None => (patch, 'f', 0),
                    Some(kind) if kind.is_ascii_alphabetic() => {
                        let build = tail[1..].parse().ok()?;
                        (patch, kind, build)
                    }
                    Some(_) => return None,
                }
            }
        };
        Some(Self {
            year,
            minor,
            patch,
            kind,
            build,
            text: text.to_string(),
        })
    }

    /// The `m_EditorVersion` of a `ProjectVersion.txt` text.
    pub fn from_project_version(text: &str) -> Option<Self> {
        text.lines().find_map(|line| {
            let value = line.trim().strip_prefix("m_EditorVersion:")?;
            Self::parse(value)
        })
    }

    /// From 2020.1 on requested versions are minimums and the highest wins; before, the request
    /// with the fewest levels from the root wins.
    pub fn selects_highest(&self) -> bool {
        self.year >= 2020
    }

    /// Whether this Editor is at least what a package's `unity` (`2021.3`) and `unityRelease`
    /// (`20f1`) ask for; `None` when `unity` does not parse.
    pub fn satisfies(&self, unity: &str, unity_release: Option<&str>) -> Option<bool> {
        let release = unity_release.map(str::trim).filter(|r| !r.is_empty());
        let needed = match release {
            Some(r) => Self::parse(&format!("{}.{r}", unity.trim()))?,
            None => {
                let mut v = Self::parse(unity)?;
                // `unity` alone names the year and minor: any release of it will do.
                v.kind = 'a';
                v
            }
        };
        Some(self.cmp_release(&needed) != Ordering::Less)
    }

    /// Orders by year, minor, patch, then release kind (alpha < beta < final/patch) and number.
    pub fn cmp_release(&self, other: &Self) -> Ordering {
        let rank = |k: char| match k {
            'a' => 0,
            'b' => 1,
            _ => 2,
        };
        (
            self.year,
            self.minor,
            self.patch,
            rank(self.kind),
            self.build,
        )
            .cmp(&(
                other.year,
                other.minor,
                other.patch,
                rank(other.kind),
                other.build,
            ))
    }
}

impl std::fmt::Display for EditorVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_version_txt() {
        let text = "m_EditorVersion: 2021.3.20f1\nm_EditorVersionWithRevision: 2021.3.20f1 (6a7b8c9d0e1f)\n";
        let v = EditorVersion::from_project_version(text).unwrap();
        assert_eq!(
            (v.year, v.minor, v.patch, v.kind, v.build),
            (2021, 3, 20, 'f', 1)
        );
        assert_eq!(v.to_string(), "2021.3.20f1");
        assert!(v.selects_highest());
        let v = EditorVersion::from_project_version("\u{feff}m_EditorVersion: 2019.4.40f1\r\n");
        // The BOM sits before the key on the first line: trimmed lines do not drop it, so the
        // key is not found there; Unity never writes one, and a second line would still work.
        assert!(v.is_none());
        let v = EditorVersion::from_project_version("m_EditorVersion: 2019.4.40f1\r\n").unwrap();
        assert!(!v.selects_highest());
        let v = EditorVersion::from_project_version("m_EditorVersion: 6000.0.23f1").unwrap();
        assert!(v.selects_highest());
        assert_eq!(EditorVersion::from_project_version("nothing: here"), None);
        assert_eq!(EditorVersion::parse("2021"), None);
        assert_eq!(EditorVersion::parse("2021.x"), None);
        assert_eq!(EditorVersion::parse("2021.3.1-f1"), None);
        assert_eq!(EditorVersion::parse("2022.2.0b4").unwrap().kind, 'b');
    }

    #[test]
    fn unity_fields_against_the_editor() {
        let editor = EditorVersion::parse("2021.3.20f1").unwrap();
        assert_eq!(editor.satisfies("2021.3", None), Some(true));
        assert_eq!(editor.satisfies("2021.3", Some("20f1")), Some(true));
        assert_eq!(editor.satisfies("2021.3", Some("21f1")), Some(false));
        assert_eq!(editor.satisfies("2022.3", None), Some(false));
        assert_eq!(editor.satisfies("2019.1", Some("0b4")), Some(true));
        assert_eq!(editor.satisfies("2020.3.45f1", None), Some(true));
        assert_eq!(editor.satisfies("soon", None), None);
        let six = EditorVersion::parse("6000.0.23f1").unwrap();
        assert_eq!(six.satisfies("2023.2", None), Some(true));
    }
}
