# Two commands for a new user: `make run` and `make test`. Everything else here serves those.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
SYSTEM_PACKAGES_RUN  := gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-symbola
SYSTEM_PACKAGES_TEST := $(SYSTEM_PACKAGES_RUN) chromium libharfbuzz-subset0 poppler-utils nginx openssl

.PHONY: run test bench install install-test messages migrate demo lint security check test-sqlite test-postgres clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

messages: install
	scripts/system-packages $(SYSTEM_PACKAGES_RUN)
	$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: install
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py demo_data

run: messages demo
	@echo "Crisisroom: http://127.0.0.1:$(PORT)  (stop with Ctrl+C)"
	DJANGO_SETTINGS_MODULE=crisisroom.settings.dev $(VENV)/bin/uvicorn crisisroom.asgi:application \
	  --host 127.0.0.1 --port $(PORT) --no-access-log --lifespan off --timeout-graceful-shutdown 2

# ruff, the import contract (one direction between the apps, no module cycles: see
# [tool.importlinter] in pyproject.toml) and the type checker.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The deployment check runs on the production settings with throw-away values: zero warnings.
# Static security checks: bandit on the application (no exceptions beyond reviewed # nosec
# lines), then the dependency vulnerability audit (scripts/audit-dependencies explains itself).
security: install-test
	$(VENV)/bin/bandit -q -r crisisroom meetings formats resilience exercises -x '*/migrations/*'
	scripts/audit-dependencies $(VENV)/bin/pip-audit

check: install-test
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=crisisroom.settings.production DJANGO_ALLOWED_HOSTS=crisis.example.nl \
	  DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DATABASE_URL=postgres://check@127.0.0.1/check \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Both passes run on two workers (pytest-xdist), each with its own test database and its own
# live server port. addopts says --dist loadgroup: the real-browser journeys all go to one
# worker (tests/conftest.py), so two Chromiums never fight over the two cores while a
# screen must follow the table within two seconds; the other worker takes the rest test by test.
PYTEST  := DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest
WORKERS ?= 2

test-sqlite: install-test
	$(PYTEST) -m "not postgres" -n $(WORKERS)

# The postgres tests (tests/faults) restart the one PostgreSQL server and run gunicorn on it:
# they run after the rest, one at a time, so no other test loses its connection mid-flight.
test-postgres: install-test
	scripts/with-postgres sh -c '$(PYTEST) -m "not postgres" -n $(WORKERS) && $(PYTEST) -m postgres'

test: install-test
	scripts/system-packages $(SYSTEM_PACKAGES_TEST)
	scripts/system-packages --postgresql
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(MAKE) --no-print-directory lint security check
	@echo "== suite on SQLite =="
	$(MAKE) --no-print-directory test-sqlite
	@echo "== suite on PostgreSQL =="
	$(MAKE) --no-print-directory test-postgres

# Benchmarks measure and print (and write bench/results.json); they never fail on timing.
bench: install-test
	scripts/system-packages $(SYSTEM_PACKAGES_TEST)
	scripts/system-packages --postgresql
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) -m bench.meeting_pages
	scripts/with-postgres $(PY) -m bench.meeting_pages
	$(PY) -m bench.analysis
	scripts/with-postgres $(PY) -m bench.analysis
	$(PY) -m bench.resilience
	scripts/with-postgres $(PY) -m bench.resilience
	$(PY) -m bench.first72
	scripts/with-postgres $(PY) -m bench.first72
	$(PY) -m bench.exercises
	scripts/with-postgres $(PY) -m bench.exercises
	$(PY) -m bench.live_latency
	scripts/with-postgres $(PY) -m bench.live_latency
	scripts/with-postgres sh -c '$(PY) -m bench.load --mode poll && $(PY) -m bench.load --mode push \
	  && $(PY) -m bench.load --mode push --meetings 10 --loggers 1'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
