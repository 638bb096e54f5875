//! The shipped bundle's size (issue 2): wasm, js and css in `dist/`, raw and gzip (level 9, what a static
//! server or CDN that precompresses would send), against the 400 kB gzip budget for the whole app.
use crate::measure::{Budget, Figure, Measure};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::Path;

const KB: f64 = 1000.0;

pub fn measure(dist: &Path) -> Vec<Measure> {
    let Ok(entries) = std::fs::read_dir(dist) else {
        return vec![Measure::new(
            "bundle",
            "wasm + js + css, gzip",
            "kB",
            Figure::Missing("n/a (no dist/)".into()),
            Budget::at_most(400.0),
        )];
    };
    let mut sizes = [("wasm", 0usize, 0usize), ("js", 0, 0), ("css", 0, 0)];
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_string();
        let Some(slot) = sizes.iter_mut().find(|(kind, _, _)| *kind == ext) else { continue };
        let Ok(bytes) = std::fs::read(&path) else { continue };
        slot.1 += bytes.len();
        slot.2 += gzip_len(&bytes);
    }
    let mut out: Vec<Measure> = sizes
        .iter()
        .map(|(kind, raw, gz)| {
            Measure::new("bundle", &format!("{kind}, gzip"), "kB", Figure::Single(*gz as f64 / KB), None)
                .note(format!("raw {:.1} kB", *raw as f64 / KB))
        })
        .collect();
    let raw: usize = sizes.iter().map(|s| s.1).sum();
    let gz: usize = sizes.iter().map(|s| s.2).sum();
    out.push(
        Measure::new("bundle", "wasm + js + css, gzip", "kB", Figure::Single(gz as f64 / KB), Budget::at_most(400.0))
            .note(format!("issue 2; raw {:.1} kB", raw as f64 / KB)),
    );
    out
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len())
}
