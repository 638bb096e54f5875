// Spanscope benchmark probe. Installed through CDP (Page.addScriptToEvaluateOnNewDocument), so it runs before
// the app's own scripts on every navigation and times what a person sees, not what the app says about itself:
// - `first`: when the first waterfall row / search result / drawn graph was on screen, polled every frame with
//   requestAnimationFrame; "painted" is when that frame's rendering has finished (a message posted from a rAF
//   callback is handled after the frame's style, layout and paint);
// - `arm`/`result`: an interaction from its input event to the end of the frame that painted the DOM's last
//   change (a MutationObserver says which frames changed; the wait for quiet is not counted);
// - `startFrames`/`stopFrames`: the cost of each frame that handled input (pan, wheel), from the frame's start
//   to the end of its paint;
// - the wasm linear memory (kept from whichever loader instantiates the module) and long tasks.
(() => {
  if (window.__bench) return;
  const B = (window.__bench = { memories: [], first: {}, session: null, frames: null, longTasks: [] });

  // Paint-accurate timestamps: cb runs once the current frame has been rendered.
  const afterRender = (cb) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => cb(performance.now());
    ch.port2.postMessage(null);
  };

  // --- wasm memory ---------------------------------------------------------------------------------------
  const keep = (r) => {
    try {
      const exports = (r && (r.instance || r).exports) || {};
      for (const v of Object.values(exports)) if (v instanceof WebAssembly.Memory) B.memories.push(v);
    } catch (_) {}
    return r;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) WebAssembly[name] = function (...args) { return original.apply(this, args).then(keep); };
  }
  B.wasmBytes = () => B.memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);

  // --- long tasks ----------------------------------------------------------------------------------------
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (_) {}

  // --- canned answers for API requests (the 4,271-link dependency fixture) ---------------------------------
  // The harness sets window.__benchOverrides = [{ match, body }] in a script registered before this one.
  const originalFetch = window.fetch;
  B.served = {};
  window.fetch = function (input, init) {
    let url = typeof input === 'string' ? input : (input && input.url) || String(input);
    try { url = new URL(url, document.baseURI).href; } catch (_) {}
    for (const o of window.__benchOverrides || []) {
      if (url.includes(o.match)) {
        return new Promise((resolve) => setTimeout(() => {
          B.served[o.match] = performance.now();
          resolve(new Response(o.body, { status: 200, headers: { 'content-type': 'application/json' } }));
        }, 0));
      }
    }
    return originalFetch.apply(this, arguments);
  };

  // --- what "on screen" means per page ---------------------------------------------------------------------
  const labelOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    const labelled = by ? by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' ') : '';
    return `${el.getAttribute('aria-label') || ''} ${labelled} ${el.id || ''} ${el.className || ''}`;
  };
  // Search results: rows of the table or items of the list that holds them (named like results or traces),
  // header rows excluded. Falls back to the body rows of any table in the main region.
  B.searchRows = () => {
    const main = document.querySelector('main') || document.body;
    const sel = 'table, [role=table], [role=grid], [role=treegrid], [role=list], [role=listbox], [role=feed], ul, ol';
    const containers = [...main.querySelectorAll(sel)].filter((c) => !c.closest('nav, header, [role=navigation], [role=banner]'));
    const rowsOf = (c) => [...c.querySelectorAll('[role=row], tbody tr, li, [role=listitem], [role=option], [role=article]')]
      .filter((r) => !r.querySelector('th, [role=columnheader]') && r.closest(sel) === c);
    const named = containers.filter((c) => /result|trace/i.test(labelOf(c)));
    for (const c of named) { const rows = rowsOf(c); if (rows.length) return rows; }
    for (const c of containers.filter((c) => c.matches('table, [role=table], [role=grid]'))) {
      const rows = rowsOf(c); if (rows.length) return rows;
    }
    return [];
  };
  B.traceRows = () => document.querySelectorAll('[role=treegrid] [role=row]');
  const watchers = () => {
    const path = location.pathname;
    if (path.includes('/traces/')) {
      return { traceRows: () => B.traceRows().length > 0,
        progress: () => !B.first.traceRows && !!document.querySelector('[role=progressbar], progress, [aria-busy=true]') };
    }
    if (path.endsWith('/dependency')) {
      return { dependencyDrawn: () => performance.getEntriesByName('spanscope:dependency:drawn').length > 0 };
    }
    return { searchRows: () => B.searchRows().length > 0 };
  };
  const pollStarted = performance.now();
  const poll = () => {
    let pending = 0;
    const list = watchers();
    const primary = Object.keys(list)[0];
    for (const [name, test] of Object.entries(list)) {
      if (B.first[name] || B.first[primary]) continue;
      let hit = false;
      try { hit = test(); } catch (_) {}
      if (!hit) { pending++; continue; }
      const seen = performance.now();
      B.first[name] = { seen, painted: null };
      afterRender((t) => { B.first[name].painted = t; });
    }
    if (pending && performance.now() - pollStarted < 120000) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);

  // The last Resource Timing entry whose URL contains `part` (times relative to navigation start).
  B.resource = (part) => {
    const all = performance.getEntriesByType('resource').filter((e) => e.name.includes(part));
    const e = all[all.length - 1];
    return e ? { responseStart: e.responseStart, responseEnd: e.responseEnd, decodedBodySize: e.decodedBodySize,
      encodedBodySize: e.encodedBodySize, name: e.name } : null;
  };
  B.marks = (prefix) => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith(prefix)).map((m) => [m.name, m.startTime]));

  // --- interactions --------------------------------------------------------------------------------------
  // trigger: an event type (captured on window before the app sees it) or 'now'.
  const QUIET_MS = 250, NO_CHANGE_MS = 2000, MAX_MS = 15000;
  B.arm = (trigger) => {
    if (B.session && B.session.stop) B.session.stop();
    const s = (B.session = { start: null, end: null, changedFrames: 0, mutations: 0, mutated: false,
      lastChange: null, done: false, waiters: [] });
    const observer = new MutationObserver((records) => {
      if (s.start === null) return;
      s.mutated = true;
      s.mutations += records.length;
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const finish = () => {
      s.done = true;
      observer.disconnect();
      for (const w of s.waiters) w();
    };
    s.stop = finish;
    const frame = () => {
      if (s.done) return;
      const now = performance.now();
      if (s.firstFrame === undefined) {
        s.firstFrame = null;
        afterRender((t) => { s.firstFrame = t; });
      }
      if (s.mutated) {
        s.mutated = false;
        s.changedFrames++;
        s.lastChange = now;
        afterRender((t) => { s.end = t; });
      }
      const since = now - (s.lastChange === null ? s.start : s.lastChange);
      const limit = s.lastChange === null ? NO_CHANGE_MS : QUIET_MS;
      if (since > limit || now - s.start > MAX_MS) { setTimeout(finish, 0); return; }
      requestAnimationFrame(frame);
    };
    const begin = () => {
      if (s.start !== null) return;
      s.start = performance.now();
      requestAnimationFrame(frame);
    };
    if (trigger === 'now') begin();
    else window.addEventListener(trigger, begin, { capture: true, once: true });
  };
  // Calls cb with the finished session: { ms, nextFrameMs, changedFrames, mutations }: ms to the frame that
  // painted the last change (null when nothing changed), nextFrameMs to the first frame after the input.
  B.result = (cb) => {
    const s = B.session;
    const report = () => cb({ ms: s.end === null || s.start === null ? null : s.end - s.start,
      nextFrameMs: s.firstFrame == null || s.start === null ? null : s.firstFrame - s.start,
      started: s.start !== null, changedFrames: s.changedFrames, mutations: s.mutations });
    if (!s) return cb({ ms: null, started: false, changedFrames: 0, mutations: 0 });
    if (s.done) report(); else s.waiters.push(report);
  };

  // A cheap fingerprint of the element marked data-bench-graph (pixels of a canvas, markup of an svg), so the
  // harness can tell that a pan or zoom really moved the picture.
  B.fingerprint = () => {
    const e = document.querySelector('[data-bench-graph]');
    if (!e) return null;
    const s = e instanceof HTMLCanvasElement ? e.toDataURL() : e.outerHTML;
    let h = 0;
    for (let i = 0; i < s.length; i += 7) h = (h * 31 + s.charCodeAt(i)) | 0;
    return `${h}:${s.length}`;
  };

  // --- frame costs during continuous input ---------------------------------------------------------------
  B.startFrames = () => {
    const f = (B.frames = { costs: [], running: true, input: false });
    const mark = () => { f.input = true; };
    for (const t of ['pointermove', 'mousemove', 'wheel']) window.addEventListener(t, mark, { capture: true });
    f.detach = () => { for (const t of ['pointermove', 'mousemove', 'wheel']) window.removeEventListener(t, mark, { capture: true }); };
    const loop = (frameStart) => {
      if (!f.running) return;
      // Input is dispatched before rAF callbacks in the same frame; a frame that handled some is measured.
      if (f.input) {
        f.input = false;
        afterRender((t) => f.costs.push(t - frameStart));
      }
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  };
  B.stopFrames = () => {
    const f = B.frames;
    if (!f) return [];
    f.running = false;
    f.detach();
    return f.costs;
  };
})();
