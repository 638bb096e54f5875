//! Service colours for canvases: the `--svc-N` custom properties the stylesheet defines (so the
//! theme decides them), read once per draw, with the palette's fallback where one is unset.
use leptos::prelude::document;
use spanscope_domain::service_palette;

/// One colour per palette slot.
pub fn service_colours() -> Vec<String> {
    let style =
        web_sys::window().and_then(|win| win.get_computed_style(&document().document_element()?).ok().flatten());
    service_palette::properties()
        .iter()
        .map(|p| style.as_ref().and_then(|s| s.get_property_value(p).ok()).unwrap_or_default())
        .map(|c| if c.trim().is_empty() { service_palette::FALLBACK.to_string() } else { c.trim().to_string() })
        .collect()
}

/// The colour of a service index (`TraceModel::services`).
pub fn colour_of(colours: &[String], service: u32) -> &str {
    service_palette::slot(service).and_then(|s| colours.get(s)).map_or(service_palette::FALLBACK, String::as_str)
}
