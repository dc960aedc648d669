//! Keystroke latency of the language server over stdio (didChange sent -> publishDiagnostics of
//! that version received: its frame read whole, and then parsed by the test client), against the
//! release binary, plus its resident memory.
//!
//!     cargo bench -p manifest-lint-lsp --bench keystroke
//!
//! builds `target/release/manifest-lint` first (or uses `MANIFEST_LINT_BIN`), then prints a
//! report: median, p95 and max for a typical manifest and for a generated ~1 MB one, and VmRSS
//! (from /proc) idle and with ten manifests open. `-- --bench typical` measures only the typical
//! and the sample manifest (a quick look, about ten seconds). Under `cargo test` (no `--bench`
//! argument) it only runs a short smoke session in-process, so that the code stays working.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{TestClient, utf16_at};
use serde_json::json;

const URI: &str = "file:///bench/Packages/manifest.json";

/// A typical manifest: the file named by `KEYSTROKE_MANIFEST` when set, else the shared corpus's
/// Unity-MCP one when it is beside the repository, else a generated stand-in of about the same
/// size (one registry, 20 scopes, 50 dependencies), with a line saying what was skipped.
fn typical() -> (String, String) {
    if let Some(path) = std::env::var_os("KEYSTROKE_MANIFEST") {
        let path = PathBuf::from(path);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("KEYSTROKE_MANIFEST={}: {e}", path.display()));
        return (text, path.display().to_string());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = root.join("../shared/corpus/IvanMurzak__Unity-MCP.json");
    match std::fs::read_to_string(&corpus) {
        Ok(text) => (text, "IvanMurzak__Unity-MCP.json".to_string()),
        Err(_) => {
            println!(
                "keystroke bench: skipped the corpus manifest ({} is not there); the typical manifest is generated",
                corpus.display()
            );
            (
                generate(1),
                "generated: 1 registry, 20 scopes, 50 dependencies".to_string(),
            )
        }
    }
}

/// A manifest with `registries` registries of 20 scopes each and 50 dependencies per registry,
/// every dependency covered by a scope (so diagnostics stay few, as in a real project).
fn generate(registries: usize) -> String {
    generate_with(registries, Layout::Pretty, false)
}

/// How [`generate_with`] lays the manifest out.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// Unity's layout: one member per line.
    Pretty,
    /// All on one line, no spaces (a minified manifest).
    Minified,
}

/// [`generate`] in either layout; with `non_ascii`, registry names carry accented letters, CJK
/// and an astral character (UTF-16 columns then differ from byte columns), and each registry's
/// last dependency has the version `1.0` (one `invalid-version` error per registry: many
/// positions to convert on what is, minified, one line).
fn generate_with(registries: usize, layout: Layout, non_ascii: bool) -> String {
    let (nl, i1, i2, i3, i4, sp) = match layout {
        Layout::Pretty => ("\n", "  ", "    ", "      ", "        ", " "),
        Layout::Minified => ("", "", "", "", "", ""),
    };
    let mut deps = Vec::new();
    let mut regs = Vec::new();
    for r in 0..registries {
        let scopes: Vec<String> = (0..20)
            .map(|s| format!("\"com.vendor{r}.area{s}\""))
            .collect();
        let name = if non_ascii {
            format!("Vendor {r} – Überraschungsei 日本語のレジストリ 😀")
        } else {
            format!("Vendor {r}")
        };
        regs.push(format!(
            "{i2}{{{nl}{i3}\"name\":{sp}\"{name}\",{nl}{i3}\"url\":{sp}\"https://npm.vendor{r}.example.com\",{nl}{i3}\"scopes\":{sp}[{nl}{i4}{}{nl}{i3}]{nl}{i2}}}",
            scopes.join(&format!(",{nl}{i4}"))
        ));
        for d in 0..50 {
            let version = if non_ascii && d == 49 {
                "1.0".to_string()
            } else {
                format!("1.{d}.0")
            };
            deps.push(format!(
                "{i2}\"com.vendor{r}.area{}.package{d}\":{sp}\"{version}\"",
                d % 20
            ));
        }
    }
    let end = if layout == Layout::Pretty { "\n" } else { "" };
    format!(
        "{{{nl}{i1}\"dependencies\":{sp}{{{nl}{}{nl}{i1}}},{nl}{i1}\"scopedRegistries\":{sp}[{nl}{}{nl}{i1}]{nl}}}{end}",
        deps.join(&format!(",{nl}")),
        regs.join(&format!(",{nl}"))
    )
}

/// Each keystroke's round trip: from `didChange` written to the publish of that version read
/// whole off the server's stdout (`frame`), and to the client's having parsed it into a
/// `serde_json::Value` (`parsed`: the test client's own cost, about 0.4 ms for a 35 KB publish
/// on the 2-core CI machine, which no server change can shorten).
struct Trips {
    frame: Vec<Duration>,
    parsed: Vec<Duration>,
}

/// Types one character into the first scope string and deletes it again, alternately; returns
/// each round trip's durations.
async fn keystrokes(client: &mut TestClient, uri: &str, text: &str, count: usize) -> Trips {
    let anchor = text
        .find("\"scopes\"")
        .and_then(|i| text[i..].find("\"com").map(|j| i + j + 4));
    let anchor = anchor.unwrap_or(1);
    let at = utf16_at(text, anchor);
    let after = json!({"line": at["line"], "character": at["character"].as_u64().unwrap() + 1});
    let mut trips = Trips {
        frame: Vec::with_capacity(count),
        parsed: Vec::with_capacity(count),
    };
    for i in 0..count {
        let version = 2 + i as i64;
        let change = if i % 2 == 0 {
            json!([{ "range": {"start": at, "end": at}, "text": "x" }])
        } else {
            json!([{ "range": {"start": at, "end": after}, "text": "" }])
        };
        let start = Instant::now();
        client.change(uri, version, change).await;
        let diagnostics = client.diagnostics(uri, version).await;
        let parsed = start.elapsed();
        let frame = client.arrival.map_or(parsed, |at| at.duration_since(start));
        trips.frame.push(frame);
        trips.parsed.push(parsed);
        // Freeing the client's copy is not part of the round trip.
        drop(diagnostics);
    }
    trips
}

/// The report of a run of keystrokes: to the frame read, then to the message parsed.
fn trips_summary(trips: &mut Trips) -> String {
    format!(
        "to the frame read: {}; to it parsed by the client: {}",
        summary(&mut trips.frame),
        summary(&mut trips.parsed)
    )
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:.3} ms, p95 {:.3} ms, max {:.3} ms ({} keystrokes)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1]),
        times.len()
    )
}

/// The CPU time the process has used so far (user and system, from /proc), in milliseconds:
/// on a loaded machine a steadier measure of the server's own work than the latency.
fn cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces, inside parentheses).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(ticks as f64 * 10.0)
}

/// `, server CPU x ms a keystroke` for the CPU time used between `before` and now.
fn cpu_per(pid: u32, before: Option<f64>, count: usize) -> String {
    match (before, cpu_ms(pid)) {
        (Some(a), Some(b)) => format!("; server CPU {:.3} ms a keystroke", (b - a) / count as f64),
        _ => String::new(),
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("MANIFEST_LINT_BIN") {
        return PathBuf::from(bin);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "manifest-lint"])
        .current_dir(&root)
        .status()
        .expect("run cargo build --release");
    assert!(status.success(), "cargo build --release failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("manifest-lint")
}

async fn start(bin: &Path) -> (TestClient, tokio::process::Child) {
    let mut child = tokio::process::Command::new(bin)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start manifest-lint lsp");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut client = TestClient::new(stdout, stdin);
    client.initialize(json!({}), json!({"online": false})).await;
    (client, child)
}

async fn bench(typical_only: bool) {
    let bin = binary();
    println!("manifest-lint lsp keystroke benchmark ({})", bin.display());
    println!(
        "latency: didChange sent -> publishDiagnostics of that version received (frame read; parsed), over stdio"
    );

    let (text, name) = typical();
    let (mut client, child) = start(&bin).await;
    let pid = child.id().unwrap();
    let idle = rss_kib(pid);
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;
    keystrokes(&mut client, URI, &text, 50).await; // warm-up
    client.change_all(URI, 1000, &text).await;
    client.diagnostics(URI, 1000).await;
    let cpu = cpu_ms(pid);
    let mut trips = keystrokes(&mut client, URI, &text, 1000).await;
    println!(
        "typical manifest ({name}, {} bytes): {}{}",
        text.len(),
        trips_summary(&mut trips),
        cpu_per(pid, cpu, 1000)
    );

    // The sample project of this repository (the typical manifest of issue 11's target).
    let sample_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/sample-project/Packages/manifest.json");
    if let Ok(sample) = std::fs::read_to_string(&sample_path) {
        let uri = "file:///sample/Packages/manifest.json";
        client.open(uri, 1, &sample).await;
        client.diagnostics(uri, 1).await;
        keystrokes(&mut client, uri, &sample, 50).await; // warm-up
        let cpu = cpu_ms(pid);
        let mut trips = keystrokes(&mut client, uri, &sample, 1000).await;
        println!(
            "sample project manifest ({} bytes): {}{}",
            sample.len(),
            trips_summary(&mut trips),
            cpu_per(pid, cpu, 1000)
        );
    }

    if typical_only {
        client.shutdown_and_exit().await;
        return;
    }

    let big = generate(330);
    let big_uri = "file:///big/Packages/manifest.json";
    let open = Instant::now();
    client.open(big_uri, 1, &big).await;
    client.diagnostics(big_uri, 1).await;
    let open_ms = open.elapsed().as_secs_f64() * 1000.0;
    let cpu = cpu_ms(pid);
    let mut trips = keystrokes(&mut client, big_uri, &big, 60).await;
    println!(
        "generated manifest ({:.2} MB): open {open_ms:.1} ms; keystrokes {}{}",
        big.len() as f64 / 1e6,
        trips_summary(&mut trips),
        cpu_per(pid, cpu, 60)
    );
    let with_big = rss_kib(pid);
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": big_uri}}),
        )
        .await;

    // Issue 13: the same non-ASCII content pretty-printed and minified (one line of a megabyte:
    // positions on it must not cost what the whole line costs, once per position).
    for layout in [Layout::Pretty, Layout::Minified] {
        let text = generate_with(390, layout, true);
        let uri = match layout {
            Layout::Pretty => "file:///pretty/Packages/manifest.json",
            Layout::Minified => "file:///minified/Packages/manifest.json",
        };
        let open = Instant::now();
        client.open(uri, 1, &text).await;
        client.diagnostics(uri, 1).await;
        let open_ms = open.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_ms(pid);
        let mut trips = keystrokes(&mut client, uri, &text, 60).await;
        println!(
            "generated non-ASCII manifest with 390 errors, {} ({:.2} MB, {} lines): open {open_ms:.1} ms; keystrokes {}{}",
            match layout {
                Layout::Pretty => "pretty-printed",
                Layout::Minified => "minified",
            },
            text.len() as f64 / 1e6,
            text.lines().count(),
            trips_summary(&mut trips),
            cpu_per(pid, cpu, 60)
        );
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
    }
    client.shutdown_and_exit().await;

    let (mut client, child) = start(&bin).await;
    let pid = child.id().unwrap();
    for i in 0..10 {
        let uri = format!("file:///project{i}/Packages/manifest.json");
        client.open(&uri, 1, &text).await;
        client.diagnostics(&uri, 1).await;
    }
    let ten = rss_kib(pid);
    client.shutdown_and_exit().await;
    let mib = |k: Option<u64>| {
        k.map_or("n/a".to_string(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "resident memory (VmRSS): idle {}; ten open typical manifests {}; with the 1 MB manifest open {}",
        mib(idle),
        mib(ten),
        mib(with_big)
    );
}

/// Under `cargo test`: a few keystrokes in-process, to keep this file working.
async fn smoke() {
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (sr, sw) = tokio::io::split(server_end);
    tokio::spawn(manifest_lint_lsp::serve(sr, sw));
    let (cr, cw) = tokio::io::split(client_end);
    let mut client = TestClient::new(cr, cw);
    client.initialize(json!({}), json!({"online": false})).await;
    let text = generate(2);
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;
    let mut trips = keystrokes(&mut client, URI, &text, 6).await;
    println!(
        "keystroke bench smoke run (in-process): {}",
        trips_summary(&mut trips)
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if std::env::args().any(|a| a == "--bench") {
        let typical_only = std::env::args().any(|a| a == "typical");
        runtime.block_on(bench(typical_only));
    } else {
        runtime.block_on(smoke());
    }
}
