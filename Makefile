# The whole set-up is `make run` or `make test`: both create .venv from nothing.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install bench installer translations clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: install
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ "$$QT_QPA_PLATFORM" != "offscreen" ]; then \
		$(PY) main.py; \
	else \
		echo "No display found: training the bundled example headless instead (python main.py train)."; \
		$(PY) main.py train resources/examples/iris/iris.mwproj --out runs/example-$$(date +%Y%m%d-%H%M%S); \
	fi

test: install
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests

bench: install
	$(PY) -m benchmarks

# Translations: refresh the .ts sources from the code (new strings appear as unfinished),
# then compile them to the .qm files the app loads. Translate with pyside6-linguist.
LANGUAGES := zh_CN en
TS_DIR := resources/translations
UI_SOURCES = $(shell find app/ui -name '*.py' | sort)

translations: install
	for lang in $(LANGUAGES); do \
		$(VENV)/bin/pyside6-lupdate -silent -locations none -no-obsolete -source-language en \
			-target-language $$lang $(UI_SOURCES) -ts $(TS_DIR)/modelwright_$$lang.ts || exit 1; \
		$(VENV)/bin/pyside6-lrelease -silent $(TS_DIR)/modelwright_$$lang.ts -qm $(TS_DIR)/modelwright_$$lang.qm || exit 1; \
	done

# The desktop bundle (one folder) in dist/Modelwright; see installer/README.md.
installer: install
	$(PY) -m pip install -q -c constraints.txt pyinstaller
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/modelwright.spec
	installer/check_bundle.sh dist/Modelwright

clean:
	rm -rf $(VENV) build dist
