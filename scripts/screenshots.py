#!/usr/bin/env python3
"""Takes the user guide's screenshots (docs/*.png) in headless Chromium against the devserver's demo traffic.

Usage: make dist devserver && python3 scripts/screenshots.py [--all] [OUT_DIR]

It starts `target/release/spanscope-devserver --demo` on a free port, waits for the first OpenTelemetry-shaped
batch (a Kafka consumer linked to its producers, an exception), and photographs the pages the guide shows
(docs/guide.md). With --all it photographs every page at every size the product is held to (1600 px, 1024 px,
a 900x500 frame, a 390 px phone) and in the dark theme, for looking at, not for committing. Nothing here
asserts: the browser tests do that.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if a != "--all"]
ALL = "--all" in sys.argv[1:]
OUT = os.path.abspath(ARGS[0] if ARGS else os.path.join(ROOT, "docs"))
SIZES = {"1600": (1600, 1000), "1024": (1024, 768), "frame": (900, 500), "phone": (390, 844), "tall": (1600, 1900)}
# What docs/guide.md shows: (page, size, dark).
GUIDE = [("search", "1600", False), ("trace-links", "tall", False), ("trace-exception", "1600", False),
         ("trace-links", "1600", True), ("trace-links", "phone", False), ("trace-viewer", "1600", False),
         ("dependencies", "1600", False)]


def start_devserver():
    server = subprocess.Popen(
        [os.path.join(ROOT, "target/release/spanscope-devserver"), "--dist", os.path.join(ROOT, "dist"),
         "--addr", "127.0.0.1:0", "--demo"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = server.stdout.readline()
    # The first line names the address ("listening on http://127.0.0.1:PORT ...").
    address = next(word for word in first.split() if word.startswith("http://")).rstrip("/")
    return server, address


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def wait_for_trace(base, service, span_name, deadline_s=90):
    query = urllib.parse.urlencode({"serviceName": service, "spanName": span_name, "limit": 1, "lookback": 3600000})
    until = time.time() + deadline_s
    while time.time() < until:
        traces = get_json(f"{base}/zipkin/api/v2/traces?{query}")
        if traces:
            return traces[0]
        time.sleep(2)
    raise SystemExit(f"no {service} / {span_name} trace within {deadline_s} s")


def shoot(url, path, size, dark):
    width, height = SIZES[size]
    with tempfile.TemporaryDirectory() as profile:
        args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                f"--user-data-dir={profile}", f"--window-size={width},{height}", "--virtual-time-budget=8000",
                f"--screenshot={path}"]
        if dark:
            args.append("--blink-settings=preferredColorScheme=0")
        subprocess.run(args + [url], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    server, base = start_devserver()
    try:
        batch = wait_for_trace(base, "shipping-service", "orders.created process")
        consumer = next(s for s in batch if s.get("name") == "orders.created process")
        failed = next((s for s in batch if "error" in s.get("tags", {})), consumer)
        trace = f"{base}/zipkin/traces/{batch[0]['traceId']}"
        pages = {
            "search": f"{base}/zipkin/?serviceName=shipping-service&lookback=1h",
            "trace-links": f"{trace}?span={consumer['id']}",
            "trace-exception": f"{trace}?span={failed['id']}",
            "dependencies": f"{base}/zipkin/dependency",
            "trace-viewer": f"{base}/zipkin/traceViewer",
        }
        shots = GUIDE
        if ALL:
            shots = [(name, size, False) for name in pages for size in SIZES if size != "tall"]
            shots += [(name, "1600", True) for name in pages]
        for name, size, dark in shots:
            suffix = "-dark" if dark else ""
            shoot(pages[name], os.path.join(OUT, f"{name}-{size}{suffix}.png"), size, dark)
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
