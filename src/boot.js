// Starts Spanscope from a file rather than an inline <script>, so a strict Content-Security-Policy
// (script-src 'self' 'wasm-unsafe-eval') needs neither 'unsafe-inline' nor a hash that changes with
// every build. trunk names the hashed bundle in <meta name="spanscope-bundle"> (Trunk.toml's
// pattern_script) and serves this file under a hashed name of its own; the module preloads trunk adds
// (with their integrity hashes) are what the import and the fetch below pick up.
const bundle = document.querySelector('meta[name="spanscope-bundle"]');
// Relative to <base href>, so one dist/ works under any base path.
const url = (path) => new URL(path, document.baseURI).href;
const { default: init } = await import(url(bundle.dataset.js));
const wasm = await init({ module_or_path: url(bundle.dataset.wasm) });
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
