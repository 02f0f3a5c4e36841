# Two commands: `make run` serves the app with the demo plan, `make test` runs the whole suite.
# Only Python 3.11 is needed; everything else is installed into .venv from requirements.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export BDGTRAIN_ENV ?= development

# Translations: Vietnamese is the source language; these are the marking functions besides gettext's own.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k Message -k PluralMessage:1,2
LOCALES := en

.PHONY: run test lint install translations messages db demo demo-activity screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel -q compile -d translations; fi
	@# WTForms' built-in messages in Vietnamese (WTForms ships none): translations/vi/LC_MESSAGES/wtforms.po
	@$(BIN)/pybabel -q compile -d translations -D wtforms

# After changing user-facing texts: extract them into translations/messages.pot and merge it into each
# locale's messages.po (new texts arrive untranslated; tests/web/test_translations.py names them).
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) -c TRANSLATORS: --add-location=file --sort-output \
		--ignore-dirs=".* ._ .venv node_modules instance tests bench migrations" --project=bdgtrain \
		-o translations/messages.pot .
	for locale in $(LOCALES); do \
		$(BIN)/pybabel -q update -w 100 -i translations/messages.pot -d translations -l $$locale --init-missing \
			--ignore-obsolete || exit 1; \
	done

db: install
	$(BIN)/flask --app wsgi db upgrade

demo: db
	$(BIN)/flask --app wsgi demo load --with-users
	$(BIN)/flask --app wsgi users ensure-admin
	@echo "Tài khoản demo theo vai trò (cùng mật khẩu $$(cat instance/demo-password 2>/dev/null)):"
	@echo "  to-chuc@demo.local (tổ chức), noi-vu@demo.local và phu-nu@demo.local (cung cấp danh sách), giam-sat@demo.local (giám sát)"

# Once per instance: Lớp 3's two lists, sample attendance in its (2019) sessions, a planning pool and
# made-up feedback, so that every page of the demo has figures (docs/DEMO.md). Never on real data.
DEMO_DIR := instance/demo-files
demo-activity: demo
	@if [ ! -f instance/.demo-activity ]; then \
		set -e; mkdir -p $(DEMO_DIR); \
		$(BIN)/flask --app wsgi demo lists $(DEMO_DIR) >/dev/null; \
		$(BIN)/flask --app wsgi lists import --class LOP-3 --source SNV $(DEMO_DIR)/LOP-3-SNV.xlsx; \
		$(BIN)/flask --app wsgi lists import --class LOP-3 --source HLHPN $(DEMO_DIR)/LOP-3-HLHPN.xlsx; \
		$(BIN)/flask --app wsgi demo attendance; \
		$(BIN)/flask --app wsgi demo pool $(DEMO_DIR)/pool.xlsx >/dev/null; \
		$(BIN)/flask --app wsgi pool import --cycle 2016-2021 $(DEMO_DIR)/pool.xlsx; \
		$(BIN)/flask --app wsgi demo carry-pool; \
		$(BIN)/flask --app wsgi feedback sample HT-2019 --yes; \
		touch instance/.demo-activity; \
	fi

run: demo-activity
	$(BIN)/flask --app wsgi demo practice --base http://$(HOST):$(PORT)
	@echo "Mở http://$(HOST):$(PORT) trong trình duyệt."
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# The layers and areas of docs/ARCHITECTURE.md (import-linter, contracts in pyproject.toml) and the
# lint (ruff: pyflakes, pycodestyle, import order, no import inside a function without a reason).
lint: $(VENV)/.installed
	$(BIN)/ruff check --quiet bdgtrain tests bench migrations wsgi.py
	$(BIN)/lint-imports --no-cache

# A PNG of each main page (tests/browser/tour.py) at 1366x900 and 390x844 into docs/screenshots/, indexed in
# docs/SCREENSHOTS.md; on a throw-away database with the demo of `make run`. Needs Chromium (/usr/bin/chromium).
screenshots: install
	BDGTRAIN_ENV=testing $(BIN)/python -m tests.browser.screenshots

test: install lint
	BDGTRAIN_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
