# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The browser tests use Debian's Chromium; no tool may download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run dev test install messages extract-messages lint format openapi bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# NL Design System CSS and axe-core come from npm, pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Translations are committed as .po only; Babel compiles them (no GNU gettext needed).
# A file target: compiled again only when the .po changed, so two `make test`s
# side by side (.ci/run) never write the .mo at the same time.
MO := locale/nl/LC_MESSAGES/django.mo
$(MO): locale/nl/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel -q compile -d locale -D django

messages: $(MO)

install: $(STAMP) $(NODE_STAMP) $(MO)

# For developers: collect new interface strings into locale/nl (needs GNU gettext).
# The API speaks English only, so its modules stay out of the Dutch catalogue.
extract-messages: install
	$(BIN)/python manage.py makemessages -l nl --no-location -i '.venv/*' -i 'node_modules/*' \
		-i 'tests/*' -i 'components/api/*' -i 'registry/api.py' -i 'registry/openapi.py' -i 'bench/*'

# A secret key of this checkout's own, made once and kept out of git (.venv is ignored).
$(VENV)/secret-key: | $(BIN)/python
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# `make run` serves the site as production does (DEBUG off, gunicorn with the image's
# configuration, registry/gunicorn_conf.py, collected
# static files through WhiteNoise), over plain HTTP on 127.0.0.1 (HTTPS=False).
# The background worker (webhooks, harvests) runs beside it and stops with it;
# `harvest --schedule` queues the periodic harvest once (it is idempotent), and
# `dump_catalogue --schedule` the nightly dump.
run: export DEBUG = False
run: export HTTPS = False
run: export DB_CONN_MAX_AGE ?= 60
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install $(VENV)/secret-key
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat $(VENV)/secret-key)}"; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput -v 0 && \
	$(BIN)/python manage.py load_demo && \
	$(BIN)/python manage.py harvest --schedule && \
	$(BIN)/python manage.py dump_catalogue --schedule && \
	echo "Serving on http://127.0.0.1:$(PORT) (admin: create a user with '.venv/bin/python manage.py createsuperuser')" && \
	{ $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	HOST=127.0.0.1 PORT=$(PORT) GUNICORN_GRACEFUL_TIMEOUT=10 \
		$(BIN)/gunicorn --config python:registry.gunicorn_conf registry.wsgi; }

# For development: DEBUG pages, the autoreloading development server.
dev: export DEBUG = True
dev: export SITE_URL ?= http://127.0.0.1:$(PORT)
dev: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

# The benchmark on PostgreSQL in its own database (bench/run.py creates it):
# BENCH_SIZE=target (50,000 components, the default) or small (109 components).
BENCH_SIZE ?= target
bench: install
	@command -v wrk >/dev/null || (apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null))
	BENCH_SIZE=$(BENCH_SIZE) $(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
	find locale -name '*.mo' -delete
