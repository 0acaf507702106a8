# Quick start: `make demo` then open http://127.0.0.1:8000 ; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install demo test test-browser bench clean

install: $(STAMP)

# Rebuilt whenever requirements.txt changes; pip only ever talks to the package registry.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

demo: install
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Serving the demo clinic at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest -m "not browser"

# Needs Debian's chromium (/usr/bin/chromium); .ci/run installs it.
test-browser: install
	$(PY) -m pytest -m browser

clean:
	rm -rf $(VENV) var/*.sqlite3
