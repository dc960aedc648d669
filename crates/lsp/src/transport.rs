//! LSP's base protocol (`Content-Length` framing), read by us before tower-lsp-server sees it.
//!
//! tower-lsp-server's codec ends the whole session on the first message it cannot decode (its
//! `FramedRead` stops after a decoder error, and the server then exits with status 1), reads
//! header names case-sensitively (`content-length:` is "no Content-Length"), takes any
//! `Content-Length` (a client could make it buffer gigabytes), and answers requests named `$/...`
//! with nothing. A cloned manifest, a buggy client or a stray write to the server's stdin must not
//! end the language server, so every incoming message passes through [`run`] first:
//!
//! - headers are read with HTTP's rules: names case-insensitively, `Content-Length` as a decimal
//!   number of at most [`MAX_BODY`] bytes; unknown headers (`Content-Type`) are ignored (bodies
//!   are UTF-8, the only encoding LSP has); a header line is at most [`MAX_HEADER_LINE`] bytes;
//! - a body that is not UTF-8 or not JSON gets a JSON-RPC parse error (`-32700`, id `null`); JSON
//!   that is not a JSON-RPC message gets an invalid-request error (`-32600`, with the request's id
//!   when it has one); a request (with an id) whose method starts with `$/` gets method-not-found
//!   (`-32601`); then reading goes on with the next message;
//! - a header block without a usable `Content-Length` gets a parse error and the bytes after it
//!   are skipped up to the next line holding `Content-Length` (any case); a body longer than
//!   [`MAX_BODY`] gets a parse error and is skipped without being held in memory;
//! - every valid message is handed to tower-lsp-server unchanged, in canonical framing, in order.
//!
//! Our answers and the server's messages share the output: a writer task copies the server's
//! messages one whole frame at a time and puts ours between them. The backend also puts its
//! `publishDiagnostics` notifications there, through [`Frames`], written straight to bytes (see
//! `wire`): tower-lsp-server's `Client` first turns a notification's parameters into a
//! `serde_json::Value` (a `BTreeMap` per object), which for a typical manifest's diagnostics cost
//! three times as much as linting it.

use std::future::Future;
use std::pin::pin;

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny};
use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Id;

/// Largest message body accepted, in bytes. A Unity manifest is tens of kilobytes; this leaves
/// room for a generated one of tens of megabytes (its `didOpen` carries it JSON-escaped).
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// Longest header line accepted, in bytes.
pub const MAX_HEADER_LINE: usize = 8 * 1024;

/// Malformed messages described on stderr, at most (a flood of garbage must not flood the log).
const MAX_LOGGED: usize = 50;

/// Capacity of each in-memory pipe to and from tower-lsp-server.
const PIPE: usize = 64 * 1024;

/// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;

/// The frames of our own that go to the client between the server's: made before the server
/// (whose backend keeps its [`Frames`]), then handed to [`run`].
pub struct Ours {
    tx: mpsc::Sender<Vec<u8>>,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl Ours {
    pub fn new() -> Ours {
        let (tx, rx) = mpsc::channel(64);
        Ours { tx, rx }
    }

    /// A handle for writing whole frames to the client.
    pub fn frames(&self) -> Frames {
        Frames(self.tx.downgrade())
    }
}

/// Writes whole frames to the client, in the order sent. A weak handle: the output ends when the
/// server and the reader of the client's input have ended, whoever still holds one.
#[derive(Clone)]
pub struct Frames(mpsc::WeakSender<Vec<u8>>);

impl Frames {
    /// Sends the JSON-RPC message `body` (framed here); false once the output has ended.
    pub async fn send(&self, body: Vec<u8>) -> bool {
        let Some(tx) = self.0.upgrade() else {
            return false;
        };
        tx.send(framed(&body)).await.is_ok()
    }
}

/// `body` with its `Content-Length` header.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// Runs `server` (given the input it should read and the output it should write) behind our
/// framing of `input` and `output`, until the server ends. The server ends at `exit`, or once
/// `input` ended and it has written its last answers. `ours` carries the frames of our own.
pub async fn run<I, O, S, F>(input: I, output: O, ours: Ours, server: S)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
    S: FnOnce(DuplexStream, DuplexStream) -> F,
    F: Future<Output = ()>,
{
    let (to_server, server_input) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let Ours {
        tx: replies,
        rx: replies_rx,
    } = ours;
    let serving = server(server_input, server_output);
    let reading = async move {
        read_client(input, to_server, replies).await;
        // The server sees the end of its input and ends by itself.
        std::future::pending::<()>().await
    };
    let writing = write_client(from_server, replies_rx, output);
    tokio::join!(
        async {
            // When the server ends (`exit`), reading stops: nothing more is passed on.
            tokio::select! {
                () = serving => {}
                () = reading => {}
            }
        },
        writing
    );
}

/// One message read from the client.
#[derive(Debug, PartialEq)]
enum Frame {
    /// A body, to be checked.
    Body(Vec<u8>),
    /// A framing problem, to be answered with a parse error.
    Bad(String),
    /// The end of the input.
    End,
}

/// Reads the client's header lines and bodies.
struct Reader<R> {
    inner: BufReader<R>,
    /// The bytes before the next frame are left over from a message without a usable length:
    /// skip them quietly up to the next `Content-Length`.
    resync: bool,
    /// A frame read after garbage was reported: returned by the next call.
    queued: Option<Frame>,
    /// [`MAX_BODY`], smaller in tests.
    max_body: usize,
}

/// What one header line is.
enum Line<'a> {
    /// The blank line that ends a header block.
    Blank,
    Header(&'a str, &'a str),
    /// Not a header (too long, not UTF-8, no colon, not a token before it).
    Junk,
}

fn classify(raw: &[u8], complete: bool) -> Line<'_> {
    if !complete {
        return Line::Junk;
    }
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if raw.is_empty() {
        return Line::Blank;
    }
    let Ok(text) = std::str::from_utf8(raw) else {
        return Line::Junk;
    };
    let Some((name, value)) = text.split_once(':') else {
        return Line::Junk;
    };
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Line::Junk;
    }
    Line::Header(name, value.trim())
}

/// Where `Content-Length` (any case) starts in `raw`.
fn find_content_length(raw: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length";
    raw.windows(NAME.len())
        .position(|w| w.eq_ignore_ascii_case(NAME))
}

fn parse_length(value: &str) -> Result<usize, String> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("Content-Length {value:?} is not a number"));
    }
    value
        .parse::<usize>()
        .map_err(|_| format!("Content-Length {value} is too large"))
}

impl<R: AsyncRead + Unpin> Reader<R> {
    fn new(inner: R, max_body: usize) -> Self {
        Reader {
            inner: BufReader::with_capacity(PIPE, inner),
            resync: false,
            queued: None,
            max_body,
        }
    }

    /// Reads up to the end of a line or [`MAX_HEADER_LINE`] bytes into `line`; returns whether
    /// the line is complete (ends with `\n`). An empty `line` is the end of the input.
    async fn read_line(&mut self, line: &mut Vec<u8>) -> std::io::Result<bool> {
        line.clear();
        (&mut self.inner)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', line)
            .await?;
        Ok(line.ends_with(b"\n"))
    }

    /// Reads the next frame.
    async fn next(&mut self) -> std::io::Result<Frame> {
        if let Some(frame) = self.queued.take() {
            return Ok(frame);
        }
        let mut line = Vec::new();
        // The `Content-Length` of the header block being read, once seen.
        let mut length: Option<Result<usize, String>> = None;
        let mut in_block = false;
        // Bytes that are no header were skipped.
        let mut junk = false;
        loop {
            let complete = self.read_line(&mut line).await?;
            if line.is_empty() {
                return Ok(Frame::End);
            }
            let mut header = &line[..];
            let is_length = matches!(classify(&line, complete),
                Line::Header(name, _) if name.eq_ignore_ascii_case("content-length"));
            // A frame may begin right after garbage on the same line (the body of a message
            // whose length was missing, then the next message's header).
            let resume = find_content_length(&line).filter(|&at| at > 0 && complete);
            if let (false, Some(at)) = (is_length, resume) {
                junk = true;
                in_block = false;
                length = None;
                header = &line[at..];
            } else if let Line::Junk = classify(&line, complete) {
                junk = true;
                in_block = false;
                length = None;
                continue;
            }
            match classify(header, true) {
                Line::Blank if in_block => break,
                Line::Blank if junk && !self.resync => {
                    // Garbage ended by a blank line: one malformed message.
                    return Ok(Frame::Bad(
                        "bytes that are not a message header".to_string(),
                    ));
                }
                Line::Blank => {}
                Line::Junk => {}
                Line::Header(name, value) => {
                    in_block = true;
                    if name.eq_ignore_ascii_case("content-length") {
                        let parsed = parse_length(value);
                        length = Some(match (length, parsed) {
                            (Some(Ok(a)), Ok(b)) if a != b => Err(format!(
                                "two different Content-Length headers ({a} and {b})"
                            )),
                            (Some(Err(e)), _) => Err(e),
                            (_, parsed) => parsed,
                        });
                    }
                }
            }
        }
        let garbage = junk && !self.resync;
        self.resync = false;
        let frame = self.body(length).await?;
        if garbage && frame != Frame::End {
            self.queued = Some(frame);
            return Ok(Frame::Bad(
                "bytes that are not a message header".to_string(),
            ));
        }
        Ok(frame)
    }

    /// Reads the body of a header block whose `Content-Length` was `length`.
    async fn body(&mut self, length: Option<Result<usize, String>>) -> std::io::Result<Frame> {
        let length = match length {
            Some(Ok(n)) => n,
            Some(Err(e)) => {
                self.resync = true;
                return Ok(Frame::Bad(e));
            }
            None => {
                self.resync = true;
                return Ok(Frame::Bad(
                    "a message without a Content-Length header".to_string(),
                ));
            }
        };
        if length > self.max_body {
            let skipped = tokio::io::copy(
                &mut (&mut self.inner).take(length as u64),
                &mut tokio::io::sink(),
            )
            .await?;
            if skipped < length as u64 {
                return Ok(Frame::End);
            }
            return Ok(Frame::Bad(format!(
                "a message of {length} bytes, more than the {} accepted",
                self.max_body
            )));
        }
        let mut body = Vec::with_capacity(length.min(PIPE));
        (&mut self.inner)
            .take(length as u64)
            .read_to_end(&mut body)
            .await?;
        if body.len() < length {
            return Ok(Frame::End);
        }
        Ok(Frame::Body(body))
    }
}

/// The shape of a request or notification as tower-lsp-server's `Request` requires it, field by
/// field with the same types and attributes, except that `params` is checked without being built
/// (a `didOpen` carries the whole text): what decodes as this, decodes as theirs (the tests
/// compare both on tricky messages).
#[derive(Deserialize)]
struct RequestShape<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(default, borrow)]
    method: Cow<'a, str>,
    #[serde(default, deserialize_with = "some")]
    #[allow(dead_code)] // Only checked.
    params: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "some")]
    id: Option<Id>,
}

/// Likewise for tower-lsp-server's `Response` (its `error` is their own type).
#[derive(Deserialize)]
#[allow(dead_code)] // Only checked.
struct ResponseShape<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(flatten)]
    kind: ResponseKind,
    id: Id,
}

#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // Only checked.
enum ResponseKind {
    Ok {
        result: IgnoredAny,
    },
    Err {
        error: tower_lsp_server::jsonrpc::Error,
    },
}

/// Whether a message has the members a response needs (`null` ones included).
#[derive(Deserialize)]
struct ResponseKeys {
    #[serde(default, deserialize_with = "some")]
    result: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "some")]
    error: Option<IgnoredAny>,
}

/// `#[serde(deserialize_with)]` for a present field: `null` is `Some` of the type's null.
fn some<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A request's or notification's method, and its id.
type Call<'a> = (Cow<'a, str>, Option<Id>);

/// What tower-lsp-server's codec would make of a JSON body: a response (`Ok(None)`), a request
/// or notification (`Ok(Some)`), or `Err` (it would end the session).
fn decode(text: &str) -> Result<Option<Call<'_>>, serde_json::Error> {
    // `Message` is `#[serde(untagged)] enum { Response, Request }`, and both need "2.0".
    let version = |v: &str| {
        if v == "2.0" {
            Ok(())
        } else {
            Err(serde::de::Error::custom(
                "expected JSON-RPC version \"2.0\"",
            ))
        }
    };
    // A response needs `result` or `error`; without them, trying one would only copy every
    // other member (the `flatten` buffers them), a `didOpen`'s text included.
    let may_be_response = serde_json::from_str::<ResponseKeys>(text)
        .map_or(true, |keys| keys.result.is_some() || keys.error.is_some());
    if may_be_response {
        if let Ok(response) = serde_json::from_str::<ResponseShape<'_>>(text) {
            if version(&response.jsonrpc).is_ok() {
                return Ok(None);
            }
        }
    }
    let request = serde_json::from_str::<RequestShape<'_>>(text)?;
    version(&request.jsonrpc)?;
    Ok(Some((request.method, request.id)))
}

/// The `id` of a message that is no valid JSON-RPC message, when it has a usable one.
#[derive(Deserialize)]
struct JustId {
    id: Option<Id>,
}

/// A JSON-RPC error answer, framed.
fn error_reply(id: &Value, code: i64, message: &str) -> Vec<u8> {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
        .to_string();
    framed(body.as_bytes())
}

/// What to do with a body: pass it to the server, or answer it ourselves (and why, for the log).
#[derive(Debug, PartialEq)]
enum Verdict {
    Pass,
    Answer { reply: Vec<u8>, why: String },
}

fn check(body: &[u8]) -> Verdict {
    let parse_error = |why: String| Verdict::Answer {
        reply: error_reply(&Value::Null, PARSE_ERROR, &format!("Parse error: {why}")),
        why,
    };
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            return parse_error(format!(
                "the message is not UTF-8 (byte {})",
                e.valid_up_to()
            ));
        }
    };
    // The syntax first (without building anything), then the shape.
    if let Err(e) = serde_json::from_str::<IgnoredAny>(text) {
        return parse_error(format!("the message is not JSON ({e})"));
    }
    match decode(text) {
        Ok(Some((method, Some(id)))) if method.starts_with("$/") => {
            let id = serde_json::to_value(id).unwrap_or(Value::Null);
            Verdict::Answer {
                reply: error_reply(
                    &id,
                    METHOD_NOT_FOUND,
                    &format!("Method not found: {method}"),
                ),
                why: format!("a request for {method}, which is no request"),
            }
        }
        Ok(_) => Verdict::Pass,
        Err(e) if e.is_data() => {
            let id = serde_json::from_str::<JustId>(text)
                .ok()
                .and_then(|j| j.id)
                .and_then(|id| serde_json::to_value(id).ok())
                .unwrap_or(Value::Null);
            Verdict::Answer {
                reply: error_reply(
                    &id,
                    INVALID_REQUEST,
                    "Invalid request: not a JSON-RPC 2.0 request, notification or response",
                ),
                why: "JSON that is no JSON-RPC 2.0 message".to_string(),
            }
        }
        Err(e) => parse_error(format!("the message is not JSON ({e})")),
    }
}

/// Reads the client's messages: passes the valid ones to the server, answers the others.
async fn read_client<I: AsyncRead + Unpin>(
    input: I,
    mut to_server: DuplexStream,
    replies: mpsc::Sender<Vec<u8>>,
) {
    let mut reader = Reader::new(input, MAX_BODY);
    let mut logged = 0;
    let mut log = |why: &str| {
        logged += 1;
        if logged <= MAX_LOGGED {
            eprintln!("manifest-lint: ignored a malformed message from the client: {why}");
        }
        if logged == MAX_LOGGED {
            eprintln!("manifest-lint: further malformed messages are not described");
        }
    };
    loop {
        let (reply, why) = match reader.next().await {
            Ok(Frame::End) | Err(_) => return,
            Ok(Frame::Bad(why)) => (
                error_reply(&Value::Null, PARSE_ERROR, &format!("Parse error: {why}")),
                why,
            ),
            Ok(Frame::Body(body)) => match check(&body) {
                Verdict::Pass => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let sent = async {
                        to_server.write_all(header.as_bytes()).await?;
                        to_server.write_all(&body).await?;
                        to_server.flush().await
                    };
                    if sent.await.is_err() {
                        return;
                    }
                    continue;
                }
                Verdict::Answer { reply, why } => (reply, why),
            },
        };
        log(&why);
        if replies.send(reply).await.is_err() {
            return;
        }
    }
}

/// Writes the server's messages, whole, and our answers between them, until both end.
async fn write_client<O: AsyncWrite>(
    from_server: DuplexStream,
    mut replies: mpsc::Receiver<Vec<u8>>,
    output: O,
) {
    let mut output = pin!(output);
    let mut server = BufReader::with_capacity(PIPE, from_server);
    let mut server_open = true;
    let mut replies_open = true;
    while server_open || replies_open {
        tokio::select! {
            reply = replies.recv(), if replies_open => match reply {
                Some(reply) => {
                    if output.write_all(&reply).await.is_err() || output.flush().await.is_err() {
                        return;
                    }
                }
                None => replies_open = false,
            },
            // `fill_buf` is cancel-safe: when an answer of ours comes first, nothing is lost.
            more = async { server.fill_buf().await.map(|b| !b.is_empty()) }, if server_open => {
                match more {
                    Ok(true) => {
                        if forward_frame(&mut server, &mut output).await.is_err() {
                            return;
                        }
                    }
                    _ => server_open = false,
                }
            }
        }
    }
}

/// Copies one frame the server wrote (`Content-Length: N`, a blank line, N bytes) to `output`.
async fn forward_frame<W: AsyncWrite + Unpin>(
    server: &mut BufReader<DuplexStream>,
    output: &mut W,
) -> std::io::Result<()> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if server.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<u64>().ok();
            }
        }
    }
    let length = length.ok_or(std::io::ErrorKind::InvalidData)?;
    // The header and the body in one buffer, written with one call: tokio's stdout hands each
    // write to a blocking thread and waits for it before the next, so a frame written in two
    // parts costs the client two more thread hand-overs before it sees the whole message.
    let header = format!("Content-Length: {length}\r\n\r\n");
    let mut frame = Vec::with_capacity(header.len() + length as usize);
    frame.extend_from_slice(header.as_bytes());
    let copied = (&mut *server).take(length).read_to_end(&mut frame).await?;
    if (copied as u64) < length {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    output.write_all(&frame).await?;
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const VALID: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    /// The frames `Reader` makes of `input`, up to the end.
    fn frames(input: &[u8]) -> Vec<Frame> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut reader = Reader::new(input, 100);
            let mut out = Vec::new();
            loop {
                match reader.next().await.unwrap() {
                    Frame::End => return out,
                    frame => out.push(frame),
                }
            }
        })
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    fn is_bad(frame: &Frame, needle: &str) -> bool {
        matches!(frame, Frame::Bad(why) if why.contains(needle))
    }

    #[test]
    fn headers_in_any_case_and_unknown_headers() {
        let input = format!(
            "{}content-length: {}\r\n\r\n{VALID}CONTENT-LENGTH:{}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{VALID}\n\n{}",
            frame(VALID),
            VALID.len(),
            VALID.len(),
            frame("{}"),
        );
        assert_eq!(
            frames(input.as_bytes()),
            [body(VALID), body(VALID), body(VALID), body("{}")]
        );
        // A bare `\n` ends header lines too.
        let input = format!("Content-Length: {}\n\n{VALID}", VALID.len());
        assert_eq!(frames(input.as_bytes()), [body(VALID)]);
    }

    #[test]
    fn a_message_without_a_usable_length_is_reported_and_skipped() {
        for header in [
            "Content-Type: x".to_string(),
            "Content-Length: ten".to_string(),
            "Content-Length: -4".to_string(),
            "Content-Length: 99999999999999999999999".to_string(),
            format!("Content-Length: {}\r\nContent-Length: 3", VALID.len()),
        ] {
            let input = format!("{header}\r\n\r\n{VALID}{}", frame(VALID));
            let got = frames(input.as_bytes());
            assert_eq!(got.len(), 2, "{header}: {got:?}");
            assert!(matches!(got[0], Frame::Bad(_)), "{header}: {got:?}");
            assert_eq!(got[1], body(VALID), "{header}");
        }
    }

    #[test]
    fn garbage_is_reported_once_and_the_next_message_read() {
        // A line that is no header, ended by a blank line.
        let input = format!("hello there\r\n\r\n{}", frame(VALID));
        let got = frames(input.as_bytes());
        assert!(is_bad(&got[0], "not a message header"), "{got:?}");
        assert_eq!(got[1..], [body(VALID)]);
        // Garbage right before a header, on the same line.
        let input = format!("xyz{}", frame(VALID));
        let got = frames(input.as_bytes());
        assert!(is_bad(&got[0], "not a message header"), "{got:?}");
        assert_eq!(got[1..], [body(VALID)]);
        // A header line longer than allowed.
        let input = format!(
            "X-Long: {}\r\n\r\n{}",
            "a".repeat(3 * MAX_HEADER_LINE),
            frame(VALID)
        );
        let got = frames(input.as_bytes());
        assert!(is_bad(&got[0], "not a message header"), "{got:?}");
        assert_eq!(got[1..], [body(VALID)]);
    }

    #[test]
    fn an_oversized_body_is_skipped_unread() {
        let big = "x".repeat(101);
        let input = format!("{}{}{}", frame(&big), frame(VALID), frame(&"y".repeat(100)));
        let got = frames(input.as_bytes());
        assert!(is_bad(&got[0], "101 bytes, more than the 100"), "{got:?}");
        assert_eq!(got[1..], [body(VALID), body(&"y".repeat(100))]);
        // Cut short by the end of the input.
        assert_eq!(frames(b"Content-Length: 500\r\n\r\nabc"), []);
        assert_eq!(frames(b"Content-Length: 50\r\n\r\nabc"), []);
    }

    fn answer(verdict: Verdict) -> Value {
        let Verdict::Answer { reply, .. } = verdict else {
            panic!("passed on");
        };
        let text = String::from_utf8(reply).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        serde_json::from_str(body).unwrap()
    }

    /// tower-lsp-server's `Message`, from its public parts.
    #[derive(Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Message {
        Response(tower_lsp_server::jsonrpc::Response),
        Request(tower_lsp_server::jsonrpc::Request),
    }

    #[test]
    fn the_check_accepts_exactly_what_tower_lsp_server_decodes() {
        let params = [
            "",
            r#","params":null"#,
            r#","params":{"a":[1,2,{"b":"\u00e9"}]}"#,
            r#","params":[1]"#,
            r#","params":3"#,
        ];
        let ids = [
            "",
            r#","id":1"#,
            r#","id":"x\n""#,
            r#","id":null"#,
            r#","id":-3"#,
            r#","id":1.5"#,
            r#","id":18446744073709551615"#,
            r#","id":true"#,
            r#","id":{}"#,
        ];
        let methods = [
            "",
            r#","method":"a/b""#,
            r#","method":null"#,
            r#","method":7"#,
            r#","method":"\u0024/x""#,
        ];
        let versions = [
            r#""jsonrpc":"2.0""#,
            r#""jsonrpc":"2.1""#,
            r#""jsonrpc":2"#,
            r#""jsonrpc":"2\u002e0""#,
            r#""other":1"#,
        ];
        let mut bodies = Vec::new();
        for v in versions {
            for m in methods {
                for p in params {
                    for i in ids {
                        bodies.push(format!("{{{v}{m}{p}{i}}}"));
                    }
                }
            }
            for i in ids {
                for tail in [
                    r#","result":null"#,
                    r#","result":{"x":1}"#,
                    r#","error":{"code":-32601,"message":"no"}"#,
                    r#","error":{"code":1,"message":"no","data":[1]}"#,
                    r#","error":{"code":1}"#,
                    r#","error":{"code":1,"message":"m","other":2}"#,
                    r#","error":null"#,
                    r#","result":1,"error":{"code":1,"message":"no"}"#,
                ] {
                    bodies.push(format!("{{{v}{i}{tail}}}"));
                }
            }
        }
        bodies.extend(
            [
                r#"{"jsonrpc":"2.0","method":"a","method":"b"}"#,
                r#"{"jsonrpc":"2.0","jsonrpc":"2.0","method":"a"}"#,
                r#"["2.0","shutdown",null,1]"#,
                r#"["2.0"]"#,
                r#"[]"#,
                r#""2.0""#,
                "null",
                "{}",
            ]
            .map(String::from),
        );
        for body in &bodies {
            let theirs = serde_json::from_str::<Message>(body).is_ok();
            let ours = decode(body).is_ok();
            assert_eq!(ours, theirs, "{body}");
        }
        assert!(bodies.len() > 1000);
    }

    #[test]
    fn bodies_are_checked_as_tower_lsp_server_decodes_them() {
        for ok in [
            VALID,
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":3}}"#,
            r#"{"jsonrpc":"2.0","id":"a","result":null}"#,
            r#"{"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"no"}}"#,
        ] {
            assert_eq!(check(ok.as_bytes()), Verdict::Pass, "{ok}");
        }
        let not_utf8 = answer(check(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}"));
        assert_eq!(not_utf8["error"]["code"], PARSE_ERROR);
        assert_eq!(not_utf8["id"], Value::Null);
        assert!(
            not_utf8["error"]["message"]
                .as_str()
                .unwrap()
                .contains("UTF-8")
        );
        for bad in ["", "not json", "{\"jsonrpc\": \"2.0\", ", "{} {}"] {
            let reply = answer(check(bad.as_bytes()));
            assert_eq!(reply["error"]["code"], PARSE_ERROR, "{bad}");
            assert_eq!(reply["id"], Value::Null, "{bad}");
        }
        for (bad, id) in [
            ("[1, 2]", Value::Null),
            ("42", Value::Null),
            (r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#, json!(7)),
            (r#"{"jsonrpc":"2.0","id":"k","method":5}"#, json!("k")),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Value::Null),
        ] {
            let reply = answer(check(bad.as_bytes()));
            assert_eq!(reply["error"]["code"], INVALID_REQUEST, "{bad}");
            assert_eq!(reply["id"], id, "{bad}");
        }
        let dollar = answer(check(br#"{"jsonrpc":"2.0","id":9,"method":"$/foo"}"#));
        assert_eq!(dollar["error"]["code"], METHOD_NOT_FOUND);
        assert_eq!(dollar["id"], 9);
    }
}
