# Boundaries: `make run` starts the tray app, `make test` runs the whole test suite.
# Both set up what they need on a fresh Debian/Ubuntu machine (system packages via apt-get
# when run as root or with sudo, Python packages into .venv).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Runtime: Qt's xcb platform libraries and a notification client.
RUN_PACKAGES := python3-venv libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 \
	libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 \
	libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
# Tests: a real X server, tray host, D-Bus, Secret Service, and the tools the e2e tests use;
# headless sway with waybar's tray (StatusNotifierItem on Wayland), grim and wtype.
TEST_PACKAGES := $(RUN_PACKAGES) xvfb trayer dbus dbus-x11 gnome-keyring libnotify-bin \
	faketime x11-utils xdotool imagemagick desktop-file-utils appstream fonts-noto-color-emoji libglib2.0-bin \
	openbox xfconf dconf-service dconf-gsettings-backend gsettings-desktop-schemas \
	sway swaybg waybar grim wtype libwayland-client0

# Benchmarks: the test packages, and valgrind for instruction counts.
BENCH_PACKAGES := $(TEST_PACKAGES) valgrind

.PHONY: run test lint bench system-run system-test system-bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,packaging]'
	touch $@

system-run:
	@dpkg -s $(RUN_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(RUN_PACKAGES); }

system-test:
	@dpkg -s $(TEST_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_PACKAGES); }

system-bench:
	@dpkg -s $(BENCH_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BENCH_PACKAGES); }

run: system-run $(VENV)/.installed
	$(BIN)/boundaries

test: system-test $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: system-bench $(VENV)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
