# Two commands a new machine needs: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
ARGS   ?=
PYTEST_ARGS ?=

.PHONY: demo test lint bench clean graphviz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# Graphviz lays out the thematic map and the CONSORT diagram: installed like PostgreSQL (Debian, as root)
# when the 'dot' program is missing; fonts-dejavu-core gives it the font the figures name.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-dejavu-core >/dev/null; \
	  else echo "Graphviz ('dot') is missing: install the graphviz package" >&2; exit 1; fi; }

demo: $(STAMP) graphviz
	$(BIN)/thematica demo $(ARGS)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy

# mypy runs beside the tests (its output is held back and printed after theirs); the target fails when
# either fails. The test processes may write bytecode (PYTHONDONTWRITEBYTECODE emptied): otherwise every
# xdist worker and every child `thematica` process compiles the checkout and rewrites the tests anew.
test: $(STAMP) graphviz
	$(BIN)/lint-imports
	@typing=$$(mktemp); $(BIN)/mypy >"$$typing" 2>&1 & mypy=$$!; \
	PYTHONDONTWRITEBYTECODE= bash scripts/with-postgres.sh \
	  $(BIN)/python -m pytest -n 2 --dist worksteal --durations=15 $(PYTEST_ARGS); tests=$$?; \
	wait $$mypy; typed=$$?; echo "== mypy (ran beside the tests): exit $$typed"; cat "$$typing"; rm -f "$$typing"; \
	[ $$tests = 0 ] && [ $$typed = 0 ]

bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) .pytest_cache build dist
