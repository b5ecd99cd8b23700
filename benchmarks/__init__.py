"""Benchmarks for Boundaries against a floor (a bare PySide6 tray icon), measured in one run.

``python -m benchmarks`` (or ``make bench``) starts Xvfb, trayer, a private D-Bus with the
notification recorder and a private keyring, then measures start-up, memory, idle cost,
event-loop stalls under a slow Slack and nudge accuracy, and writes ``benchmarks/results/``.
Numbers are reported as ratios to the floor because a shared machine drifts between runs.
"""
