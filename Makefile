# Two commands: `make run` serves the app with the demo plan, `make test` runs the whole suite.
# Only Python 3.11 is needed; everything else is installed into .venv from requirements.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export BDGTRAIN_ENV ?= development

.PHONY: run test install translations db demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel compile -q -d translations; fi

db: install
	$(BIN)/flask --app wsgi db upgrade

demo: db
	$(BIN)/flask --app wsgi demo load --with-users
	$(BIN)/flask --app wsgi users ensure-admin
	@echo "Tài khoản demo theo vai trò (cùng mật khẩu $$(cat instance/demo-password 2>/dev/null)):"
	@echo "  to-chuc@demo.local (tổ chức), noi-vu@demo.local và phu-nu@demo.local (cung cấp danh sách), giam-sat@demo.local (giám sát)"

run: demo
	@echo "Mở http://$(HOST):$(PORT) trong trình duyệt."
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: install
	BDGTRAIN_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
