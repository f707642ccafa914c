"""How the browser tests (and docs/screenshots.py) start Debian's Chromium: headless,
without the background traffic that this machine's closed network refuses."""

EXECUTABLE = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
