"""End-to-end tests: real Xvfb, trayer, D-Bus and app processes."""
