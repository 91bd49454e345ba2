# OneWindow — every target sets up what it needs on a fresh Debian/Ubuntu machine.
# As root, missing system packages are installed; otherwise the exact apt-get
# command is printed and the target stops.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

SYSTEM_PACKAGES := python3-venv python3-dev gcc fonts-noto-cjk fonts-wqy-zenhei fonts-hanazono \
	poppler-utils zbar-tools sane-utils libsane1 libsane-dev cups cups-bsd \
	printer-driver-cups-pdf xvfb libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libdbus-1-3 libfontconfig1 \
	chromium

.PHONY: run test bench soak lint dist sysdeps venv clean translations

sysdeps:
	@bash tools/sysdeps.sh $(SYSTEM_PACKAGES)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python ≥ 3.11 is required (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[hall,dev,scanner]'
	touch $(STAMP)

venv: $(STAMP)

run: sysdeps venv
	$(PY) -m ui.launcher

test: sysdeps venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m "not slow"
	bash tools/hall_postgres_tests.sh $(PY)   # the hall suite again, the hall on PostgreSQL

soak: sysdeps venv
	QT_QPA_PLATFORM=offscreen ONEWINDOW_SOAK=1 $(PY) -m pytest -q -m slow tests

bench: sysdeps venv
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench

lint: venv
	$(VENV)/bin/ruff check .

dist: sysdeps venv
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

# Qt Linguist: extract English source strings from ui/ into the .ts (translators
# edit it with pyside6-linguist), then compile the .qm that ships.
TS_FILES := ui/i18n/onewindow_zh_CN.ts
translations: venv
	$(VENV)/bin/pyside6-lupdate $$(find ui -name '*.py' | sort) -ts $(TS_FILES) -no-obsolete
	for ts in $(TS_FILES); do $(VENV)/bin/pyside6-lrelease $$ts -qm $${ts%.ts}.qm; done

clean:
	rm -rf build dist $(VENV)
