# art60kit — the two commands of the README:
#   make dashboards   set up and serve the Voila dashboards on the bundled synthetic register
#   make test         set up and run every test (unit, property, notebooks, browser, benchmarks smoke)
# Both create what they need: a virtual environment in .venv and, on Debian as root,
# the system packages chromium (browser tests) and postgresql (register tests).

PYTHON ?= python3
# numba compiles the batch kernel once; keep its cache with the environment
export NUMBA_CACHE_DIR ?= $(CURDIR)/.venv/numba-cache
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: dashboards test venv system-deps axe plan-example bench clean

# the environment: .venv with every dependency of pyproject.toml (uv, else pip; the
# script prints each step and its time)
$(STAMP): pyproject.toml
	@PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/setup-venv
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

# ... and the compiled calculation engine: from the per-user store, or compiled once
# (`make dashboards` compiles it while it builds the register instead)
venv: $(STAMP)
	@echo "[set-up] calculation engine: compiled code from the per-user store, or compiled once"
	@$(BIN)/python -m art60kit.compile

# Debian packages: chromium for the Playwright browser tests (never `playwright install`),
# postgresql for the register tests against a real server, pango and DejaVu fonts for the
# PDF answer sheet (WeasyPrint), poppler-utils (pdftotext, pdfinfo) for its tests, npm for axe-core (accessibility checks).
# Only the missing ones are asked for: a machine whose Node.js comes with its own npm
# cannot also take Debian's npm package.
SYSTEM_PACKAGES := chromium postgresql libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils npm
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpangoft2-1.0-0"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then \
	  echo "system packages present: $(SYSTEM_PACKAGES)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing from apt:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    && echo "installed:$$missing" \
	    || echo "warning: apt could not install$$missing: the tests that need them will say so"; \
	else \
	  echo "warning:$$missing missing and cannot be installed here (need root on Debian): browser, PostgreSQL, answer-sheet and accessibility tests will say so"; \
	fi

# axe-core (WCAG checks injected into the dashboards by the browser tests), from npm
AXE_VERSION := 4.10.2
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
$(AXE):
	@mkdir -p $(VENV)/axe
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION)

axe: $(AXE)

dashboards: $(STAMP)
	@bash scripts/serve-dashboards

plan-example: venv
	$(BIN)/art60kit plan examples/demo-001.yaml --lang fr

test: venv system-deps
	@$(MAKE) --no-print-directory axe || echo "warning: axe-core could not be installed (npm): accessibility tests will say so"
	$(BIN)/python -m pytest tests art60kit
	$(BIN)/python benchmarks/bench_planner.py
	@if [ -f benchmarks/bench_batch.py ]; then $(BIN)/python benchmarks/bench_batch.py --smoke; fi

bench: venv
	$(BIN)/python benchmarks/bench_planner.py

clean:
	rm -rf $(VENV) var .pytest_cache
