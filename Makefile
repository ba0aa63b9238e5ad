# Tanya PPID: two commands, `make run` and `make test`, on a machine with only python3 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV     := $(VENV)/.dev-installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/python -m pip install --quiet --require-hashes

.PHONY: run test lint typecheck unit bench install clean browser-deps lock

# Runtime (what serves) and development (tests, linters, type checker) are locked apart, with hashes:
# `make run` installs requirements.lock only; the other targets add requirements-dev.lock.
$(RUNTIME): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(RUNTIME)

$(DEV): requirements-dev.lock $(RUNTIME)
	$(PIP) -r requirements-dev.lock
	touch $(DEV)

install: $(DEV)

run: $(RUNTIME)
	$(BIN)/tanya serve --host $(HOST) --port $(PORT) --sample-data

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV)
	$(BIN)/mypy bot handlers knowledge storage tests bench

# Both locks again from pyproject.toml, every package at its newest release (pip-tools in its own venv).
lock:
	$(PYTHON) -m venv $(VENV)-tools
	$(VENV)-tools/bin/python -m pip install --quiet --upgrade pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)-tools/bin/pip-compile --quiet --upgrade --generate-hashes \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)-tools/bin/pip-compile --quiet --upgrade --generate-hashes \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --extra dev \
		-c requirements.lock -o requirements-dev.lock pyproject.toml

# Debian's chromium for tests/browser (never a downloaded browser); only as root, else a no-op.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "warning: chromium not installed; browser tests skip (and fail under CI=true)"; \
	fi

unit: $(DEV) browser-deps
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(DEV)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(VENV)-tools build *.egg-info .mypy_cache .pytest_cache .ruff_cache
