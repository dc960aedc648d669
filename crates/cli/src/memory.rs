//! Transparent huge pages, only for runs that need the memory.
//!
//! The allocator (mimalloc, in the binary) asks the kernel for huge pages on its whole arena.
//! With Linux's default THP policy (`madvise`), each first touch of a 2 MiB region then costs a
//! zeroed huge page: a large manifest gains from that (a 5 MB manifest touches about 64 MB, in
//! a few dozen faults instead of 16,000), but a typical manifest touches three or four such
//! regions and spends more time on them than on the linting (measured in docs/benchmarks.md).
//! So a run starts with huge pages off for the process (`prctl(PR_SET_THP_DISABLE)`) and turns
//! them back on as soon as it reads an input large enough to gain from them, or becomes the
//! language server, which is long-lived. The setting is only a hint to the kernel: when the call
//! fails (another OS, an old kernel, a sandbox), nothing else changes.

/// Inputs from this size on turn huge pages back on: the run's heap is about ten times its
/// input, several huge pages' worth.
const LARGE_INPUT_BYTES: u64 = 512 * 1024;

/// Called first thing in `main`, before the allocator has touched its arena.
pub(crate) fn start_small() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// Called with the size of each input before it is read.
pub(crate) fn input(bytes: u64) {
    if bytes >= LARGE_INPUT_BYTES {
        long_or_large();
    }
}

/// For a run that will hold a lot of memory, or for a long time.
pub(crate) fn long_or_large() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(false);
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The flag is the process's (the kernel keeps it on the address space, not the thread), and
    /// a large input turns it back off while a small one leaves it.
    #[test]
    fn a_large_input_turns_huge_pages_back_on() {
        let Ok(before) = rustix::thread::transparent_huge_pages_are_disabled() else {
            eprintln!("SKIPPED: prctl(PR_GET_THP_DISABLE) is not available here");
            return;
        };
        start_small();
        assert!(rustix::thread::transparent_huge_pages_are_disabled().unwrap());
        input(LARGE_INPUT_BYTES - 1);
        assert!(rustix::thread::transparent_huge_pages_are_disabled().unwrap());
        input(LARGE_INPUT_BYTES);
        assert!(!rustix::thread::transparent_huge_pages_are_disabled().unwrap());
        let _ = rustix::thread::disable_transparent_huge_pages(before);
    }
}
