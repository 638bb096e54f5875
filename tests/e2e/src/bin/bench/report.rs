//! The benchmark's outputs: the table on stdout, the raw figures in `target/bench.json`, and the same table in
//! README.md between `<!-- bench:start -->` and `<!-- bench:end -->` (the only part of the README it touches).
use crate::measure::Measure;
use serde_json::json;
use std::path::Path;

/// The machine the figures were measured on.
pub struct Machine {
    pub date: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub cpu: String,
    pub browser: String,
    pub load: String,
}

impl Machine {
    pub fn describe(browser: String) -> Machine {
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(f64::NAN);
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split(':').nth(1)))
            .map_or("unknown CPU".into(), |s| s.trim().to_string());
        let date = std::process::Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC"])
            .output()
            .ok()
            .map_or("unknown date".into(), |o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        let load = std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        Machine {
            date,
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory_gib: memory_kib / 1_048_576.0,
            cpu,
            browser: browser.replace("HeadlessChrome/", "Chromium "),
            load,
        }
    }

    /// A warning when other work shared the machine (load average above the core count): every figure is then
    /// slower than the app on a quiet machine, host and browser alike.
    pub fn busy_warning(&self) -> Option<String> {
        let load: f64 = self.load.split_whitespace().next()?.parse().ok()?;
        (load > self.cores as f64).then(|| {
            format!(
                "The machine was busy (load average {load:.1} on {} cores from other work): the figures are slower \
                 than on a quiet machine.",
                self.cores
            )
        })
    }

    pub fn line(&self) -> String {
        format!(
            "{}; {} cores ({}), {:.1} GiB memory; headless {}; load average at start {}",
            self.date, self.cores, self.cpu, self.memory_gib, self.browser, self.load
        )
    }
}

/// The table as aligned plain text.
pub fn print_table(measures: &[Measure], machine: &Machine) {
    let rows: Vec<[String; 4]> = measures
        .iter()
        .map(|m| [format!("{}: {}", m.group, m.name), m.figure_text(), m.budget_text(), m.result_text().to_string()])
        .collect();
    let heads = ["measure", "figure: median (min–max, runs)", "budget", "result"];
    let width =
        |i: usize| rows.iter().map(|r| r[i].chars().count()).chain([heads[i].chars().count()]).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2), width(3)];
    let line = |cells: [&str; 4]| {
        let padded: Vec<String> =
            cells.iter().zip(widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    println!();
    line(heads);
    line(widths.map(|w| "-".repeat(w)).each_ref().map(String::as_str));
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3]]);
    }
    println!();
    println!("machine: {}", machine.line());
    if let Some(warning) = machine.busy_warning() {
        println!("{warning}");
    }
    let missed: Vec<&Measure> = measures.iter().filter(|m| m.passed() == Some(false)).collect();
    let passed = measures.iter().filter(|m| m.passed() == Some(true)).count();
    let unmeasured = measures.iter().filter(|m| m.budget.is_some() && m.passed().is_none()).count();
    println!("budgets: {passed} pass, {} MISSED, {unmeasured} not measured", missed.len());
}

/// The table as Markdown, with the machine and date.
pub fn markdown(measures: &[Measure], machine: &Machine) -> String {
    let mut s = String::new();
    s.push_str(&format!("Measured by `make bench` on {}.\n", machine.line()));
    if let Some(warning) = machine.busy_warning() {
        s.push_str(&format!("{warning}\n"));
    }
    s.push('\n');
    s.push_str("| measure | figure: median (min–max, runs) | budget | result | note |\n|---|---|---|---|---|\n");
    for m in measures {
        let result = match m.result_text() {
            "MISSED" => "**MISSED**".to_string(),
            other => other.to_string(),
        };
        s.push_str(&format!(
            "| {}: {} | {} | {} | {} | {} |\n",
            m.group,
            m.name,
            m.figure_text().replace('|', "\\|"),
            m.budget_text(),
            result,
            m.note.replace('|', "\\|")
        ));
    }
    s.push_str(
        "\nBrowser figures are medians of runs on a warm bundle cache, timed from outside the app: a probe injected \
         through the DevTools Protocol before the app's scripts polls every animation frame, and a figure ends when \
         the frame that shows the result has been painted. Interactions run from the input event (real input through \
         WebDriver/CDP) to the painted frame after the DOM's last change, so they include waiting for the next frame \
         (up to 16.7 ms). Heap is after a full GC: V8's heap and array buffers plus the wasm linear memory. \
         Raw figures: `target/bench.json`.\n",
    );
    s
}

pub fn write_json(path: &Path, measures: &[Measure], machine: &Machine) {
    let doc = json!({
        "date": machine.date,
        "machine": { "cores": machine.cores, "memory_gib": machine.memory_gib, "cpu": machine.cpu,
                     "browser": machine.browser, "load_average": machine.load },
        "measures": measures.iter().map(Measure::to_json).collect::<Vec<_>>(),
    });
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(path, serde_json::to_vec_pretty(&doc).unwrap_or_default()) {
        Ok(()) => eprintln!("bench: wrote {}", path.display()),
        Err(e) => eprintln!("bench: could not write {}: {e}", path.display()),
    }
}

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// Replaces the README's benchmark section (between the markers), creating "## Benchmarks" with the markers at
/// the end of the file when they are absent. The file is read right before it is written: others edit it too.
pub fn update_readme(path: &Path, table: &str) {
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("bench: no {}; the table is not copied there", path.display());
        return;
    };
    let updated = match (text.find(START), text.find(END)) {
        (Some(a), Some(b)) if a < b => {
            // The heading goes inside the markers unless the README already has it (README links #benchmarks).
            let heading = if text[..a].contains("## Benchmarks") { "" } else { "## Benchmarks\n\n" };
            format!("{}{START}\n{heading}{table}{END}{}", &text[..a], &text[b + END.len()..])
        }
        _ => format!("{}\n## Benchmarks\n\n{START}\n{table}{END}\n", text.trim_end_matches('\n')),
    };
    match std::fs::write(path, updated) {
        Ok(()) => eprintln!("bench: updated the Benchmarks section of {}", path.display()),
        Err(e) => eprintln!("bench: could not write {}: {e}", path.display()),
    }
}
