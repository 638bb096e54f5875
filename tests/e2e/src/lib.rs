//! End-to-end harness: starts `spanscope-devserver` serving the built `dist/` on an ephemeral
//! port and a headless Chromium through ChromeDriver, and finds elements the way people and
//! screen readers do (ARIA role + accessible name), never by CSS class.
use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub mod http;
pub mod paths;
pub mod tutorial_app;
pub use http::{http_get, read_request_line, serve_http};
pub use paths::{fixture, repo_root};
pub use tutorial_app::{report_tutorial_traces, TutorialRequest};

/// A running devserver; killed when dropped.
pub struct Devserver {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    /// The UDP port of its Jaeger agent, when started with `--jaeger-agent`.
    pub jaeger_agent_port: Option<u16>,
}

impl Devserver {
    /// Starts the release devserver with `--dist dist` plus `args`, on an ephemeral port (and learns the
    /// agent's port when `args` has `--jaeger-agent`).
    pub async fn start(args: &[&str]) -> Devserver {
        let root = repo_root();
        let binary = root.join("target/release/spanscope-devserver");
        assert!(binary.exists(), "build the devserver first (make devserver): {}", binary.display());
        // SPANSCOPE_DIST lets a developer test a build of their own (e.g. a debug one) in another folder.
        let dist = std::env::var_os("SPANSCOPE_DIST").map(PathBuf::from).unwrap_or_else(|| root.join("dist"));
        assert!(dist.join("index.html").exists(), "build the UI first (make dist): {}", dist.display());
        let mut child = Command::new(binary)
            .args(["--addr", "127.0.0.1:0", "--dist"])
            .arg(&dist)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start devserver");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let wants_agent = args.contains(&"--jaeger-agent");
        let (origin, jaeger_agent_port) = tokio::time::timeout(Duration::from_secs(60), async {
            // The address comes first; the agent's line follows it (devserver/src/server.rs, `run`).
            let (mut origin, mut agent) = (None, None);
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    origin = Some(addr.trim().to_string());
                } else if let Some(addr) = line.strip_prefix("jaeger agent on udp://") {
                    let port = addr.trim().rsplit(':').next().and_then(|p| p.parse::<u16>().ok());
                    agent = Some(port.expect("the agent's port"));
                }
                if let Some(origin) = origin.as_ref().filter(|_| agent.is_some() || !wants_agent) {
                    return (origin.clone(), agent);
                }
            }
            panic!("devserver exited before listening");
        })
        .await
        .expect("devserver did not start in 60 s");
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Devserver { child, origin, jaeger_agent_port }
    }

    /// The UI's URL for a path under the default base (`/zipkin`).
    pub fn ui(&self, path: &str) -> String {
        format!("{}/zipkin/{}", self.origin, path.trim_start_matches('/'))
    }
}

impl Drop for Devserver {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// A headless Chromium session; ChromeDriver is killed when dropped.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1400,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {}
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("could not start a WebDriver session: {e}"),
            }
        };
        Browser { client, _driver: driver, _profile: profile }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Waits (up to 15 s) for the element with this ARIA role and accessible name.
    /// `name` matches when the accessible name equals it or starts with it.
    pub async fn by_role(&self, role: &str, name: &str) -> Element {
        self.wait_for(&format!("{role} named {name:?}"), || self.try_by_role(role, name)).await
    }

    /// The element with this role and name, if it is on the page now.
    pub async fn try_by_role(&self, role: &str, name: &str) -> Option<Element> {
        let found = self.client.execute(&find_by_role_script(), vec![json!(role), json!(name)]).await.ok()?;
        element(&self.client, found)
    }

    /// All elements with this role, in document order.
    pub async fn all_by_role(&self, role: &str) -> Vec<Element> {
        let found = self.client.execute(&find_all_by_role_script(), vec![json!(role)]).await.unwrap_or(Value::Null);
        match found {
            Value::Array(items) => items.into_iter().filter_map(|v| element(&self.client, v)).collect(),
            _ => Vec::new(),
        }
    }

    /// The accessible name Spanscope gives an element (as `by_role` computes it).
    pub async fn name_of(&self, el: &Element) -> String {
        let v = self.client.execute(&name_of_script(), vec![json!(el)]).await.unwrap_or(Value::Null);
        v.as_str().unwrap_or_default().to_string()
    }

    /// Waits (up to 15 s) until `probe` answers `Some`.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(found) = probe().await {
                return found;
            }
            if started.elapsed() > Duration::from_secs(15) {
                let text = self.page_text().await;
                panic!("timed out waiting for {what}; the page says:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page's visible text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        self.wait_for(&format!("text {needle:?}"), || async { self.page_text().await.contains(needle).then_some(()) })
            .await
    }

    /// The page's visible text.
    pub async fn page_text(&self) -> String {
        let v = self.client.execute("return document.body ? document.body.innerText : ''", vec![]).await;
        v.ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }

    /// The cells' text of each body row of the table whose `aria-label` is `name` (none while it is absent).
    pub async fn table_rows(&self, name: &str) -> Vec<Vec<String>> {
        let script = format!(
            "const t = Array.from(document.querySelectorAll('table')).find(t => t.getAttribute('aria-label') === {name:?});
             if (!t) return null;
             return Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()));"
        );
        match self.client.execute(&script, vec![]).await.expect("read table") {
            Value::Array(rows) => rows
                .iter()
                .map(|r| r.as_array().map(|cells| cells.iter().map(|c| c.as_str().unwrap_or("").to_string()).collect()))
                .map(Option::unwrap_or_default)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The current path and query (`/zipkin/traces/..?span=..`).
    pub async fn path_and_query(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_string(),
        }
    }

    /// Evaluates a JS expression and answers its JSON value.
    pub async fn eval(&self, expression: &str) -> Value {
        self.client.execute(&format!("return ({expression});"), vec![]).await.expect("eval")
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn element(client: &Client, value: Value) -> Option<Element> {
    let id = value.as_object()?.values().next()?.as_str()?.to_string();
    Some(Element::from_element_id(client.clone(), ElementRef::from(id)))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Accessible role and name, enough of the ARIA rules for Spanscope's markup:
/// explicit `role`, implicit roles of the semantic elements it uses, and names from
/// aria-label, aria-labelledby, `<label>`, or text content.
const A11Y: &str = r#"
const implicitRole = (el) => {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit.split(' ')[0];
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || 'text').toLowerCase();
  switch (tag) {
    case 'a': return el.hasAttribute('href') ? 'link' : null;
    case 'button': return 'button';
    case 'nav': return 'navigation';
    case 'main': return 'main';
    case 'header': return 'banner';
    case 'table': return 'table';
    case 'tr': return 'row';
    case 'th': return 'columnheader';
    case 'td': return 'cell';
    case 'ul': case 'ol': return 'list';
    case 'li': return 'listitem';
    case 'select': return el.multiple ? 'listbox' : 'combobox';
    case 'option': return 'option';
    case 'textarea': return 'textbox';
    case 'dialog': return 'dialog';
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
    case 'section': return (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) ? 'region' : null;
    case 'form': return (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) ? 'form' : null;
    case 'input':
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (type === 'button' || type === 'submit') return 'button';
      if (type === 'range') return 'slider';
      if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
      if (type === 'file' || type === 'hidden') return null;
      return el.hasAttribute('list') ? 'combobox' : 'textbox';
    case 'svg': return null;
  }
  return null;
};
const text = (el) => (el.innerText !== undefined ? el.innerText : el.textContent || '').replace(/\s+/g, ' ').trim();
const accessibleName = (el) => {
  const label = el.getAttribute('aria-label');
  if (label) return label.trim();
  const by = el.getAttribute('aria-labelledby');
  if (by) return by.split(/\s+/).map(id => { const t = document.getElementById(id); return t ? text(t) : ''; }).join(' ').trim();
  if (el.id) {
    const lab = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
    if (lab) return text(lab);
  }
  const wrapping = el.closest('label');
  if (wrapping && wrapping !== el && ['input','select','textarea'].includes(el.tagName.toLowerCase())) return text(wrapping);
  if (el.tagName.toLowerCase() === 'input') return (el.getAttribute('placeholder') || el.getAttribute('title') || '').trim();
  const title = el.getAttribute('title');
  const t = text(el);
  return t || (title ? title.trim() : '');
};
// Like the accessibility tree: hidden attributes and display:none/visibility:hidden leave it out
// (visually-hidden labels stay in).
const visible = (el) => !el.closest('[hidden],[aria-hidden="true"]')
  && (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true }));
"#;

/// Finds the first visible element with role `arguments[0]` whose name equals or starts with `arguments[1]`.
fn find_by_role_script() -> String {
    format!(
        "{A11Y}
        const [role, name] = arguments;
        for (const el of document.querySelectorAll('*')) {{
          if (implicitRole(el) !== role || !visible(el)) continue;
          const n = accessibleName(el);
          if (n === name || n.startsWith(name)) return el;
        }}
        return null;"
    )
}

fn find_all_by_role_script() -> String {
    format!(
        "{A11Y}
        const [role] = arguments;
        return Array.from(document.querySelectorAll('*')).filter(el => implicitRole(el) === role && visible(el));"
    )
}

fn name_of_script() -> String {
    format!("{A11Y} return accessibleName(arguments[0]);")
}
