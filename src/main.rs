//! The `manifest-lint` binary. All of its logic lives in `crates/cli`; this file only exists so
//! that the binary can be installed from the repository root (`cargo install --path .`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    manifest_lint_cli::main()
}
