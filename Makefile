# The whole set-up is `make run` or `make test`: both create .venv from nothing.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install bench installer clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: install
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || [ "$$QT_QPA_PLATFORM" = "offscreen" ]; then \
		$(PY) main.py; \
	else \
		echo "No display found: training the bundled example headless instead (python main.py train)."; \
		$(PY) main.py train resources/examples/iris/iris.mwproj --out runs/example; \
	fi

test: install
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests

bench: install
	$(PY) -m benchmarks

installer: install
	$(PY) -m pip install -q -c constraints.txt pyinstaller
	$(PY) -m PyInstaller --noconfirm installer/modelwright.spec

clean:
	rm -rf $(VENV) build dist
