//! The service colours, in one place: how many the palette has (the `--svc-N` custom properties
//! and `.svc-N` classes of style/trace.css) and which class or property a row's colour index maps
//! to, so the waterfall's bars and the minimap's canvas always agree.

/// Number of colours in the palette: `--svc-0` … `--svc-11` in style/trace.css.
pub const SIZE: u32 = 12;

/// What a canvas paints when a row has no service or a property cannot be read.
pub const FALLBACK: &str = "#888";

/// Static names, so drawing a row costs no string formatting.
const CLASSES: [&str; SIZE as usize] =
    ["svc-0", "svc-1", "svc-2", "svc-3", "svc-4", "svc-5", "svc-6", "svc-7", "svc-8", "svc-9", "svc-10", "svc-11"];
const PROPERTIES: [&str; SIZE as usize] = [
    "--svc-0", "--svc-1", "--svc-2", "--svc-3", "--svc-4", "--svc-5", "--svc-6", "--svc-7", "--svc-8", "--svc-9",
    "--svc-10", "--svc-11",
];

/// The palette slot of a colour index (`VisibleRow::color`, `Row::service`); `u32::MAX`, a row
/// without a service, has none. Services past the palette's end reuse it from the start.
pub fn slot(color: u32) -> Option<usize> {
    (color != u32::MAX).then_some((color % SIZE) as usize)
}

/// The CSS class that paints a colour index as a background: `svc-N`, or `svc-none`.
pub fn class(color: u32) -> &'static str {
    slot(color).map_or("svc-none", |s| CLASSES[s])
}

/// The custom property holding each slot's colour (`--svc-N`), in slot order, for a canvas that
/// reads the colours from the computed style.
pub fn properties() -> &'static [&'static str] {
    &PROPERTIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_indices_wrap_and_none_has_its_own_class() {
        assert_eq!(class(0), "svc-0");
        assert_eq!(class(11), "svc-11");
        assert_eq!(class(12), "svc-0");
        assert_eq!(class(25), "svc-1");
        assert_eq!(class(u32::MAX), "svc-none");
        assert_eq!(slot(u32::MAX), None);
        // 2³² − 2 ≡ 4 − 2 (mod 12): the largest real index still lands in the palette.
        assert_eq!(slot(u32::MAX - 1), Some(2));
        assert_eq!(properties().len(), SIZE as usize);
        assert_eq!(properties()[10], "--svc-10");
    }

    /// The stylesheet defines exactly the palette's colours, each as a property and a class.
    #[test]
    fn the_stylesheet_defines_every_slot_and_no_more() {
        let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../style/trace.css"))
            .expect("style/trace.css");
        for (i, (property, class)) in PROPERTIES.iter().zip(CLASSES).enumerate() {
            assert_eq!((*property, class), (format!("--svc-{i}").as_str(), format!("svc-{i}").as_str()));
            assert!(css.contains(&format!("{property}: #")), "{property} is not defined");
            assert!(css.contains(&format!(".{class} {{ background: var({property}); }}")), ".{class} is not defined");
        }
        assert!(!css.contains(&format!("--svc-{SIZE}:")), "the stylesheet has more colours than the palette");
        assert!(css.contains(".svc-none {"));
    }
}
