//! `make bench`'s browser benchmark and report (issue 7): measures the trace, search and dependency pages in
//! headless Chromium against the devserver, gathers the host benchmarks' figures and the bundle size, and prints
//! one table of every budget in the issues (also `target/bench.json` and README.md's Benchmarks section).
//!
//! Run through `make bench` (which builds dist/, the devserver and runs the host benchmarks first), or alone:
//! `cargo run -p spanscope-e2e --bin bench`. Environment: `BENCH_RUNS` (runs per figure, default 5),
//! `BENCH_ONLY` (comma-separated sections: trace, search, dependency, host, bundle), `BENCH_README=0` (leave
//! README.md alone, e.g. for a partial run), `SPANSCOPE_DIST` (another build of the UI).
mod bundle;
mod cdp;
mod dependency_page;
mod host;
mod measure;
mod page;
mod report;
mod search_page;
mod servers;
mod trace_page;
mod trace_views;

use measure::Measure;
use page::Page;
use servers::GeneratedServer;
use spanscope_e2e::{repo_root, Browser};
use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let root = repo_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let dist = std::env::var_os("SPANSCOPE_DIST").map(PathBuf::from).unwrap_or_else(|| root.join("dist"));
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let wanted = |section: &str| only.is_empty() || only.split(',').any(|s| s.trim() == section);
    let browser_sections = ["trace", "search", "dependency"].iter().any(|s| wanted(s));

    let mut measures: Vec<Measure> = Vec::new();
    // Load average before anything of ours runs: the figures are only as quiet as the machine was.
    let mut machine = report::Machine::describe("Chromium (not started)".into());

    if browser_sections {
        eprintln!("bench: starting the devservers (generating 1,000 / 10,000 / 100,000-span traces and 1,000×50)");
        let traces = GeneratedServer::start(&["1000", "10000", "100000"]);
        let search = GeneratedServer::start(&["50x1000"]);
        let (traces, search) = tokio::join!(traces, search);
        // Each page is measured in a browser of its own, as a user opening it would: a page measured
        // earlier (the 100,000-span trace above all) must not leave its memory to the next one.
        for section in ["trace", "search", "dependency"].into_iter().filter(|s| wanted(s)) {
            let server = match if section == "search" { &search } else { &traces } {
                Ok(server) => server,
                Err(e) => {
                    eprintln!("bench: {section} server: {e}");
                    continue;
                }
            };
            let browser = Browser::start().await;
            match Page::install(&browser).await {
                Ok(page) => {
                    machine.browser = cdp::browser_version(&browser.client)
                        .await
                        .replace("HeadlessChrome/", "Chromium ")
                        .replace("Chrome/", "Chromium ");
                    measures.extend(match section {
                        "trace" => trace_page::measure(&page, server, runs).await,
                        "search" => search_page::measure(&page, server, runs).await,
                        _ => dependency_page::measure(&page, server, runs).await,
                    });
                }
                Err(e) => eprintln!("bench: the probe could not be installed, no {section} figures: {e}"),
            }
            browser.close().await;
        }
    }
    if wanted("host") {
        measures.extend(host::domain(&target));
        measures.extend(host::devserver(&target));
    }
    if wanted("bundle") {
        measures.extend(bundle::measure(&dist));
    }

    report::print_table(&measures, &machine);
    report::write_json(&target.join("bench.json"), &measures, &machine);
    if std::env::var("BENCH_README").map_or(true, |v| v != "0") {
        report::update_readme(&root.join("README.md"), &report::markdown(&measures, &machine));
    }
}
