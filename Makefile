# Qingdan — two commands on a fresh machine: `make site` and `make test`.
# Everything they need (Debian packages, .venv, pinned Python packages, the pinned npm
# packages of package-lock.json: Pagefind, which indexes the site for search) is installed here.

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
DEBS      := fonts-noto-cjk fonts-hanazono fonts-symbola chromium poppler-utils nginx libnginx-mod-http-brotli-static nodejs
NPMSTAMP  := node_modules/.installed
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test check fmt serve deps debs lock clean

site: deps                      ## validate, generate docs/, build site/ and the PDFs
	$(PY) -m generator build

check: deps                     ## validate the registers only
	$(PY) -m generator check registers

fmt: deps                       ## rewrite registers in the canonical layout
	$(PY) -m generator fmt registers

serve: deps                     ## preview with live reload
	$(PY) -m generator serve

test: deps                      ## the whole test suite (CI runs this)
	$(PY) -m pytest -q -n 2 --dist loadgroup

deps: debs $(STAMP) $(NPMSTAMP)

debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Pagefind (the search index) and axe-core (the accessibility tests), pinned by package-lock.json.
$(NPMSTAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPMSTAMP)

lock:                           ## refresh constraints.txt from the current .venv
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf site .cache node_modules
