//! Where the tests find the repository and the shared fixtures.
use std::path::PathBuf;

/// The repository root (this crate lives in tests/e2e).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root")
}

/// A file of the shared fixtures: `../shared/fixtures` beside the repository, or where
/// `SPANSCOPE_FIXTURES` says (a git worktree kept elsewhere).
pub fn fixture(relative: &str) -> PathBuf {
    let dir = std::env::var_os("SPANSCOPE_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/fixtures"));
    let path = dir.join(relative);
    path.canonicalize().unwrap_or(path)
}
