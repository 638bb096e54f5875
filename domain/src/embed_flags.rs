//! Embed mode: the URL flags that turn Spanscope into a panel of another page (`?embed=1`, Jaeger's
//! `uiEmbed=v0`, `hideMinimap`, `hideTraceHeader`, `hideSearchForm`, `theme`), read from a query string and
//! written back into in-app URLs so they survive navigation inside the frame.
//!
//! ```
//! use spanscope_domain::embed_flags::{keep_flags, strip_flags, EmbedFlags, ThemeChoice};
//!
//! let flags = EmbedFlags::from_query("?uiEmbed=v0&theme=dark&span=00f1");
//! assert!(flags.embed && !flags.hide_minimap);
//! assert_eq!(flags.theme, Some(ThemeChoice::Dark));
//! // The router dropped the flags while navigating: put them back (canonical names).
//! assert_eq!(keep_flags("serviceName=api", &flags).as_deref(), Some("serviceName=api&embed=1&theme=dark"));
//! // "Open in Spanscope" opens the same page without them.
//! assert_eq!(strip_flags("?uiEmbed=v0&theme=dark&span=00f1"), "span=00f1");
//! ```

/// A theme a host page may force (`theme=` in the URL, or the `spanscope:setTheme` message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the operating system (overrides a person's stored choice, too).
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// `light`, `dark` or `system`, in any case; anything else is no theme.
    pub fn parse(text: &str) -> Option<ThemeChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "light" => Some(ThemeChoice::Light),
            "dark" => Some(ThemeChoice::Dark),
            "system" => Some(ThemeChoice::System),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }
}

/// What an embedding page asked to hide or force. Each flag works on its own; `embed` is the one
/// that hides the header and navigation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmbedFlags {
    /// Hide the header and navigation; show an "Open in Spanscope" link instead.
    pub embed: bool,
    /// Hide the trace page's minimap.
    pub hide_minimap: bool,
    /// Hide the trace page's header (title, figures, warnings).
    pub hide_trace_header: bool,
    /// Hide the search form: the search page shows its results only.
    pub hide_search_form: bool,
    /// A theme that wins over the stored preference and is never stored.
    pub theme: Option<ThemeChoice>,
}

/// Every query key that is an embed flag, Spanscope's and the Jaeger names that carry over
/// (`uiEmbed=v0`, `uiTimelineHideMinimap`, `uiTimelineHideSummary`).
const FLAG_KEYS: [&str; 8] = [
    "embed",
    "uiEmbed",
    "hideMinimap",
    "hideTraceHeader",
    "hideSearchForm",
    "theme",
    "uiTimelineHideMinimap",
    "uiTimelineHideSummary",
];

/// True when `key` (as written in a URL) is an embed flag.
pub fn is_flag_key(key: &str) -> bool {
    FLAG_KEYS.contains(&key)
}

/// `?embed` and `?embed=1|true|yes|on` are on; `0`, `false`, `no`, `off` and anything else are off,
/// so a flag is only ever turned on on purpose.
fn switch_on(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "" | "1" | "true" | "yes" | "on")
}

/// The `key=value` pairs of a query (leading `?` optional), undecoded: flag values are plain words,
/// and other parameters must come out exactly as they went in.
fn raw_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, "")))
}

impl EmbedFlags {
    /// Reads the flags from a URL query; unknown parameters are ignored. The last occurrence of a
    /// flag wins, as it does for the other parameters.
    pub fn from_query(query: &str) -> EmbedFlags {
        let mut flags = EmbedFlags::default();
        for (key, value) in raw_pairs(query) {
            match key {
                "embed" => flags.embed = switch_on(value),
                // Jaeger's embed switch is exactly `uiEmbed=v0` (its `embedded.tsx`).
                "uiEmbed" => flags.embed = value.trim() == "v0",
                "hideMinimap" | "uiTimelineHideMinimap" => flags.hide_minimap = switch_on(value),
                "hideTraceHeader" | "uiTimelineHideSummary" => flags.hide_trace_header = switch_on(value),
                "hideSearchForm" => flags.hide_search_form = switch_on(value),
                "theme" => flags.theme = ThemeChoice::parse(value),
                _ => {}
            }
        }
        flags
    }

    /// No flag set: Spanscope as a page of its own.
    pub fn is_empty(&self) -> bool {
        *self == EmbedFlags::default()
    }

    /// The flags as query pairs, in Spanscope's own names (what `from_query` reads back equal).
    pub fn to_pairs(&self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = Vec::new();
        let switches = [
            ("embed", self.embed),
            ("hideMinimap", self.hide_minimap),
            ("hideTraceHeader", self.hide_trace_header),
            ("hideSearchForm", self.hide_search_form),
        ];
        for (key, on) in switches {
            if on {
                pairs.push((key, "1"));
            }
        }
        if let Some(theme) = self.theme {
            pairs.push(("theme", theme.as_str()));
        }
        pairs
    }
}

/// The query without any embed flag (no leading `?`); the other parameters are kept verbatim and in order.
pub fn strip_flags(query: &str) -> String {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !is_flag_key(p.split_once('=').map_or(*p, |(k, _)| k)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The query an in-app URL should have so that it still carries `flags` (no leading `?`), or `None`
/// when it already does. Pages build their links from their own parameters and drop the flags; the
/// shell puts them back with this after every navigation.
pub fn keep_flags(query: &str, flags: &EmbedFlags) -> Option<String> {
    if EmbedFlags::from_query(query) == *flags {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let rest = strip_flags(query);
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.extend(flags.to_pairs().into_iter().map(|(k, v)| format!("{k}={v}")));
    Some(parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_flags_is_a_page_of_its_own() {
        assert!(EmbedFlags::from_query("").is_empty());
        assert!(EmbedFlags::from_query("?serviceName=api&limit=10").is_empty());
        assert!(EmbedFlags::from_query("?embed=0&uiEmbed=v1&theme=purple").is_empty());
    }

    #[test]
    fn every_flag_is_read() {
        let flags = EmbedFlags::from_query("embed=1&hideMinimap=1&hideTraceHeader=true&hideSearchForm&theme=Light");
        assert_eq!(
            flags,
            EmbedFlags {
                embed: true,
                hide_minimap: true,
                hide_trace_header: true,
                hide_search_form: true,
                theme: Some(ThemeChoice::Light)
            }
        );
    }

    #[test]
    fn jaeger_embed_links_carry_over() {
        let flags = EmbedFlags::from_query("?uiEmbed=v0&uiTimelineHideMinimap=1&uiTimelineHideSummary=1");
        assert!(flags.embed && flags.hide_minimap && flags.hide_trace_header);
        assert!(!EmbedFlags::from_query("uiEmbed=1").embed, "Jaeger only knows v0");
    }

    #[test]
    fn the_last_occurrence_wins() {
        assert!(!EmbedFlags::from_query("embed=1&embed=0").embed);
        assert_eq!(EmbedFlags::from_query("theme=dark&theme=light").theme, Some(ThemeChoice::Light));
    }

    #[test]
    fn pairs_read_back_equal() {
        for query in ["embed=1", "uiEmbed=v0&theme=system", "hideMinimap=yes&hideSearchForm=on&theme=dark", ""] {
            let flags = EmbedFlags::from_query(query);
            let written: Vec<String> = flags.to_pairs().iter().map(|(k, v)| format!("{k}={v}")).collect();
            assert_eq!(EmbedFlags::from_query(&written.join("&")), flags, "{query}");
        }
    }

    #[test]
    fn stripping_keeps_everything_else_verbatim() {
        assert_eq!(
            strip_flags("?serviceName=a%20b&embed=1&annotationQuery=http.path%3D%2Fx&uiEmbed=v0&theme=dark"),
            "serviceName=a%20b&annotationQuery=http.path%3D%2Fx"
        );
        assert_eq!(strip_flags("?embed=1"), "");
        assert_eq!(strip_flags(""), "");
        // A key that merely starts like a flag is not one.
        assert_eq!(strip_flags("embedded=1&themes=x"), "embedded=1&themes=x");
    }

    #[test]
    fn flags_are_put_back_only_when_missing() {
        let flags = EmbedFlags::from_query("embed=1&hideMinimap=1");
        assert_eq!(keep_flags("span=ab&embed=1&hideMinimap=1", &flags), None);
        assert_eq!(keep_flags("", &flags).as_deref(), Some("embed=1&hideMinimap=1"));
        assert_eq!(keep_flags("?span=ab", &flags).as_deref(), Some("span=ab&embed=1&hideMinimap=1"));
        // A URL with other flags gets the frame's own.
        assert_eq!(keep_flags("embed=0&span=ab", &flags).as_deref(), Some("span=ab&embed=1&hideMinimap=1"));
        // Without flags nothing is ever added.
        assert_eq!(keep_flags("span=ab", &EmbedFlags::default()), None);
        assert_eq!(keep_flags("span=ab&embed=1", &EmbedFlags::default()).as_deref(), Some("span=ab"));
    }

    #[test]
    fn jaeger_names_become_spanscope_names_once_kept() {
        let flags = EmbedFlags::from_query("uiEmbed=v0");
        assert_eq!(keep_flags("uiEmbed=v0", &flags), None);
        assert_eq!(keep_flags("serviceName=x", &flags).as_deref(), Some("serviceName=x&embed=1"));
    }
}
