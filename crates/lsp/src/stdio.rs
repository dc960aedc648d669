//! Stdin and stdout on the runtime's own event loop, when they are pipes or sockets (as every
//! editor starts a language server: VS Code and Neovim through libuv's socket pairs, others
//! through pipes).
//!
//! tokio's `stdin()` and `stdout()` hand every read and write to a thread of the blocking pool
//! and wait for it: on each keystroke, the `didChange` read and the `publishDiagnostics` write
//! each cost a thread hand-over (futex wake-ups both ways), and std's line-buffered stdout splits
//! every frame into two writes at the header's last newline. Registered with the event loop
//! instead, a read or a write is one system call on the runtime's thread.
//!
//! The descriptors are duplicated and set non-blocking. That flag belongs to the open file
//! description, which the editor's end of a pipe or socket does not share. It does not stay
//! inside this process when stdout and stderr are one file (`2>&1`): a non-blocking stderr could
//! make a log line fail on a full pipe, so then stdout keeps tokio's blocking writer, as it does
//! for a terminal, a file or anything else that cannot be polled.

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::unix::pipe;

/// A readable end on the event loop.
pub enum Input {
    Pipe(pipe::Receiver),
    Socket(tokio::net::UnixStream),
}

/// A writable end on the event loop.
pub enum Output {
    Pipe(pipe::Sender),
    Socket(tokio::net::UnixStream),
}

/// Stdin and stdout on the event loop, or `None` when either is not a pipe or a socket, or
/// stdout is also stderr (callers then use tokio's blocking stdio). Must run inside the runtime.
pub fn nonblocking() -> Option<(Input, Output)> {
    let stdin = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let stdout = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
    let stderr = std::io::stderr().as_fd().try_clone_to_owned().ok();
    if let Some(stderr) = stderr {
        if same_file(&stdout, &stderr) {
            return None;
        }
    }
    // Both kinds first: nothing is set non-blocking unless both ends can be polled.
    let (in_kind, out_kind) = (kind(&stdin)?, kind(&stdout)?);
    let input = match in_kind {
        Kind::Pipe => Input::Pipe(pipe::Receiver::from_owned_fd(stdin).ok()?),
        Kind::Socket => Input::Socket(socket(stdin)?),
    };
    let output = match out_kind {
        Kind::Pipe => pipe::Sender::from_owned_fd(stdout).ok().map(Output::Pipe),
        Kind::Socket => socket(stdout).map(Output::Socket),
    };
    match output {
        Some(output) => Some((input, output)),
        None => {
            // Stdin is shared with tokio's blocking reader that takes over: blocking again.
            input.into_blocking();
            None
        }
    }
}

impl Input {
    /// Clears the non-blocking flag this module set (best effort: on failure the blocking
    /// reader sees `WouldBlock`, reported like any read error).
    fn into_blocking(self) {
        match self {
            Input::Pipe(p) => drop(p.into_blocking_fd()),
            Input::Socket(s) => {
                if let Ok(s) = s.into_std() {
                    let _ = s.set_nonblocking(false);
                }
            }
        }
    }
}

enum Kind {
    Pipe,
    Socket,
}

fn kind(fd: &OwnedFd) -> Option<Kind> {
    let file_type = File::from(fd.try_clone().ok()?)
        .metadata()
        .ok()?
        .file_type();
    if file_type.is_fifo() {
        Some(Kind::Pipe)
    } else if file_type.is_socket() {
        Some(Kind::Socket)
    } else {
        None
    }
}

fn socket(fd: OwnedFd) -> Option<tokio::net::UnixStream> {
    let stream = UnixStream::from(fd);
    stream.set_nonblocking(true).ok()?;
    tokio::net::UnixStream::from_std(stream).ok()
}

/// Whether `a` and `b` are the same file (the same device and inode).
fn same_file(a: &OwnedFd, b: &OwnedFd) -> bool {
    let id = |fd: &OwnedFd| {
        let meta = File::from(fd.try_clone().ok()?).metadata().ok()?;
        Some((meta.dev(), meta.ino()))
    };
    matches!((id(a), id(b)), (Some(x), Some(y)) if x == y)
}

impl AsyncRead for Input {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Input::Pipe(p) => Pin::new(p).poll_read(cx, buf),
            Input::Socket(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Output {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Output::Pipe(p) => Pin::new(p).poll_write(cx, buf),
            Output::Socket(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Output::Pipe(p) => Pin::new(p).poll_flush(cx),
            Output::Socket(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Output::Pipe(p) => Pin::new(p).poll_shutdown(cx),
            // Not `shutdown(2)`: the socket may also be stdin, and the editor may still write.
            Output::Socket(_) => Poll::Ready(Ok(())),
        }
    }
}
