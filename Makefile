# The few commands everyone uses. `make demo` and `make test` work on a fresh
# machine with Python 3.11: each builds .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench install dev clean fuzz soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# The stock pip 23.x installs trafilatura without lxml_html_clean.
	$(BIN)/python -m pip install -q -U pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[embed,dedup,serve]'
	$(BIN)/python -c "import trafilatura, khabar"
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -c "import trafilatura, khabar, hypothesis"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

demo: $(VENV)/.installed
	$(BIN)/khabar demo

# pytest exit code 5 means no test was collected: that is a broken suite, say so.
test: $(VENV)/.dev-installed
	@$(BIN)/pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks fuzz
	$(BIN)/mypy

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/speed.py

# Long fuzzing by hand (CI runs a short version inside the test suite).
fuzz: $(VENV)/.dev-installed
	$(BIN)/python fuzz/run.py --runs $(or $(FUZZ_RUNS),2000)
	KHABAR_HARDENING_SLOW=1 $(BIN)/pytest -q tests/hardening/test_hostile.py -k slow

# Ten minutes of mixed traffic on loopback against a real `khabar serve`.
soak: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/load_soak.py --duration $(or $(SOAK_S),600) --out build/soak.json

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
