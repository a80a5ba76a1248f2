# One entry point. `make serve` and `make test` each set up everything they need first:
# a virtualenv from the hashed lock file, front-end packages from package-lock.json, and
# Debian's chromium (the build draws the flow diagrams with Mermaid in it; tests drive it).
# Re-running is cheap: each step redoes itself only when its lock file changes.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV ?= .venv
# What a user passes (`make lesson SLUG=...`) is data, never make or shell code: each is taken
# as written ($(value): a `$(shell ...)` in it is not run by make), exported, and recipes read
# it from the environment in double quotes ("$$SLUG"), so a backtick or `$(...)` is not run by
# the shell either.
USER_VARIABLES := PYTHON VENV SLUG LESSON SCALE
$(foreach name,$(USER_VARIABLES),$(eval override $(name) := $$(value $(name))))
export $(USER_VARIABLES)
BIN = "$$VENV"/bin
# Material 9.8 prints an end-of-life banner at every build; it says nothing about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build setup browser lock benchmark image-check record-reports lesson clean \
	check-lessons schema

serve: setup browser ## Set up, then serve the site with live reload at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: setup browser ## Set up, then lint and run every test (loader, build, browser, image)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

build: setup browser ## Strict build into site/ (flow diagrams are drawn in Chromium)
	$(BIN)/mkdocs build --strict

benchmark: setup browser ## Build time, page weights, Lighthouse beside bare Material (SCALE=1: 1-100 lessons; LESSON=slug: which one)
	args=(); [ -z "$$SCALE" ] || args+=(--scale); [ -z "$$LESSON" ] || args+=(--scale-lesson="$$LESSON"); \
	$(BIN)/python scripts/benchmark.py "$${args[@]}"

check-lessons: setup ## Check every lesson's data and pages as the build does, without building
	$(BIN)/python scripts/check_lessons.py

schema: setup ## Write schema/lesson.schema.json and schema/FIELDS.md from macros/models.py
	$(BIN)/python scripts/write_schema.py

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	scripts/ensure-python.sh "$$PYTHON" "$$VENV"
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch "$$VENV/.installed"

node_modules/.installed: package-lock.json
	scripts/ensure-node.sh
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	scripts/ensure-chromium.sh

lesson: setup ## Scaffold a new lesson and its example: make lesson SLUG=my-pattern
	@[ -n "$$SLUG" ] || { echo "make lesson: give the new lesson's slug: make lesson SLUG=my-pattern" >&2; exit 2; }
	$(BIN)/python scripts/new_lesson.py -- "$$SLUG"

image-check: ## Build and run examples/ml-model's image for amd64 and arm64; check each run
	scripts/check-example-image.sh

record-reports: ## Re-record examples/ml-model/reports/ from the local Buildah build (root)
	IMAGE_BUILDER=buildah scripts/check-example-image.sh --record

PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

lock: ## Re-pin Python dependencies after editing requirements.in or requirements-tools.in
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-tools.txt
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-tools.txt requirements-tools.in

clean:
	rm -rf site .pytest_cache
