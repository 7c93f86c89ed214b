# Bapas back office. `make run` and `make test` are the two commands a new machine needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8080
export FLASK_APP := run.py
SITE := $(shell test -x $(BIN)/python && $(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

.PHONY: run test test-sqlite test-postgres lint format setup setup-dev db bench bench-measure translations-extract translations-update translations-compile clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed translations-compile

setup-dev: $(BIN)/.installed-dev translations-compile

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask bapas sync-roles
	$(BIN)/flask bapas demo-data
	$(BIN)/flask bapas daily

run: db
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# SQLite always; PostgreSQL as well when TEST_DATABASE_URL is set (.ci/run sets it). The two runs go
# side by side (one core each), the PostgreSQL one with its own Redis database; its output follows.
test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pybabel compile -d translations --statistics 2>&1 | tee /dev/stderr | grep -q "100%"
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  log=$$(mktemp); \
	  TEST_REDIS_URL=redis://127.0.0.1:6379/4 TEST_RQ_REDIS_URL=redis://127.0.0.1:6379/11 $(BIN)/pytest -q -p no:cacheprovider -m "not browser" >$$log 2>&1 & pg=$$!; \
	  TEST_DATABASE_URL= $(BIN)/pytest -q; sqlite=$$?; \
	  wait $$pg; postgres=$$?; echo "--- PostgreSQL:"; cat $$log; rm -f $$log; \
	  test $$sqlite -eq 0 -a $$postgres -eq 0; \
	else TEST_DATABASE_URL= $(BIN)/pytest -q; fi

# The benchmark of issue #13 (README, "Benchmark"): BENCH_DATABASE_URL names a PostgreSQL database
# that `bench` DESTROYS and refills with BENCH_SCALE clients; `bench-measure` re-measures it as it is;
# `bench` ends with the daily job of next month's first night, which adds that month's work.
BENCH_SCALE ?= 1000000
BENCH_OUT ?= bench-results/$(BENCH_SCALE)
bench: setup
	$(BIN)/python scripts/bench.py generate --scale $(BENCH_SCALE)
	$(MAKE) bench-measure
	$(BIN)/python scripts/bench.py nightly --out $(BENCH_OUT)-nightly

bench-measure: setup
	mkdir -p $(dir $(BENCH_OUT))
	$(BIN)/python scripts/bench.py measure --out $(BENCH_OUT) $(if $(BENCH_PREVIOUS),--previous $(BENCH_PREVIOUS))
	$(BIN)/python scripts/bench.py load --out $(BENCH_OUT)-load
	$(BIN)/python scripts/bench.py load --think 5 --out $(BENCH_OUT)-load-paced

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# FAB and WTForms ship no Indonesian: their strings are extracted into our catalogue too.
translations-extract: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/app.pot .
	$(BIN)/pybabel extract --no-location -k _l -k lazy_gettext -k lazy_formatter_gettext \
		-F translations/vendor.cfg -o translations/vendor.pot $(SITE)/flask_appbuilder $(SITE)/wtforms
	$(BIN)/python translations/merge_pot.py translations/app.pot translations/vendor.pot translations/messages.pot
	rm translations/app.pot translations/vendor.pot

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l id --no-fuzzy-matching --ignore-obsolete

translations-compile: $(BIN)/.installed
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) instance/bapas.db
