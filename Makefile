# partyline — build, run, test, bench.
#
#   make run     set up what is missing, build, start on http://127.0.0.1:8080 with a demo company
#   make test    the whole suite: C unit tests (on SQLite, then the database tests again on a
#                throw-away PostgreSQL), API tests (masto.js) on a real server, browser tests
#                (playwright-core in Debian's chromium) of the web client, fuzzers (clang, libFuzzer)
#   make bench   benchmarks into BENCHMARKS.md
#
# SANITIZE=1 builds into build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer.

PKGS     := libh2o-evloop jansson sqlite3 libpq libsodium libcmark-gfm inih libcurl vips libmagic libarchive libxml-2.0
CC       ?= cc
ifeq ($(SANITIZE),1)
BUILD    := build-asan
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
BUILD    := build
OPT      := -O2 -g
endif
CFLAGS   := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
            -Isrc -I$(BUILD)/gen $(OPT) -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lwslay -lssl -lcrypto -lz -lpthread -lm
LDFLAGS  := $(OPT)

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
DRIVERS  := sqlite postgres
GEN_OBJ  := $(DRIVERS:%=$(BUILD)/gen/migrations_%.o) $(BUILD)/gen/web_assets.o \
            $(BUILD)/gen/tone_lexicon.o
# the browser client's sources; scripts/build-web.mjs bundles them into $(BUILD)/web/, which
# is embedded into the binary (src/http/web.c)
WEB_FILES := $(shell find web -type f | LC_ALL=C sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# the unit tests that open a database (through test_db.h): they run on PostgreSQL too
DB_UNIT_SRC := $(shell grep -l '"test_db.h"\|"app_fixture.h"' $(UNIT_SRC))
DB_UNIT_BIN := $(DB_UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The fuzz harnesses (tests/fuzz/fuzz_*.c): clang's libFuzzer with ASan+UBSan, linked against
# the server's own code built the same way into build-fuzz/ (an archive, so each harness
# takes only the objects it needs); `make test` runs each for FUZZ_SECONDS on its corpus.
FUZZ_BUILD   := build-fuzz
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_SECONDS ?= 15
# (the server's objects are held to -Werror by the gcc build; the harnesses here by clang)
FUZZ_CFLAGS  := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -g -O1 \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined -Isrc -I$(BUILD)/gen -MMD -MP
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o) \
                $(patsubst $(BUILD)/gen/%.o,$(FUZZ_BUILD)/gen/%.o,$(GEN_OBJ))

.PHONY: all run test test-unit test-unit-pg test-api test-api-pg test-api-both test-browser test-fuzz bench setup clean format check-format check-layers
all: $(BUILD)/partyline

$(BUILD)/partyline: $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# One table of embedded migrations per driver: migrations_sqlite[], migrations_postgres[].
define embed_migrations
$(BUILD)/gen/migrations_$(1).c: $(sort $(wildcard src/store/migrations/$(1)/*.sql)) scripts/embed-sql.sh
	@mkdir -p $$(dir $$@)
	sh scripts/embed-sql.sh $(1) $(sort $(wildcard src/store/migrations/$(1)/*.sql)) > $$@

$(BUILD)/gen/migrations_$(1).o: $(BUILD)/gen/migrations_$(1).c
	$$(CC) $$(CFLAGS) -c -o $$@ $$<
endef
$(foreach drv,$(DRIVERS),$(eval $(call embed_migrations,$(drv))))

# The tone lexicon (data/tone/lexicon.tsv, src/listen/tone.c) as a sorted table: the server
# reads no file for it.
$(BUILD)/gen/tone_lexicon.c: data/tone/lexicon.tsv scripts/embed-tone.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-tone.sh data/tone/lexicon.tsv > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/tone_lexicon.o: $(BUILD)/gen/tone_lexicon.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The web client built (esbuild: one minified bundle and stylesheet named by their content,
# the page naming them; scripts/build-web.mjs says why) and then embedded. The node packages
# are installed first if missing (scripts/node-modules), so a fresh clone builds with `make`.
$(BUILD)/web/index.html: $(WEB_FILES) scripts/build-web.mjs scripts/node-modules package-lock.json
	@scripts/node-modules
	@mkdir -p $(BUILD)
	node scripts/build-web.mjs web $(BUILD)/web

$(BUILD)/gen/web_assets.c: $(BUILD)/web/index.html scripts/embed-web.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-web.sh $(BUILD)/web $(BUILD)/web-csp.txt \
	  $$(find $(BUILD)/web -type f | LC_ALL=C sort) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) -lcmocka $(LDFLAGS)

# Benchmark programs linked like the unit tests (bench/*.c; make bench runs them).
$(BUILD)/bench/%: bench/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $(LDFLAGS)

setup:
	@scripts/setup

run: setup $(BUILD)/partyline
	@scripts/run-demo $(BUILD)/partyline

# The fuzz harnesses already run under the sanitizers, and the browser suite tests the web
# client, whose server is the API the sanitized API suite drives: the SANITIZE=1 pass leaves
# both out (`make test-browser SANITIZE=1` runs the browser suite against a sanitized server).
# The binaries are built first on every core; the API suite runs on SQLite and on PostgreSQL
# side by side (test-api-both); each part says its time when it passes. docs/ARCHITECTURE.md "Tests" says how the suite keeps its time.
test: setup
	@$(MAKE) --no-print-directory -j$$(nproc) $(BUILD)/partyline $(UNIT_BIN)
	@set -e; for t in test-unit test-unit-pg test-api-both \
	  $(if $(filter 1,$(SANITIZE)),,test-browser test-fuzz); do \
	  start=$$(date +%s); $(MAKE) --no-print-directory $$t; \
	  echo "== $$t$(if $(filter 1,$(SANITIZE)), (sanitized),): passed in $$(( $$(date +%s) - start )) s"; \
	done

# Leaks of the libraries' own process-wide caches (h2o, fontconfig, Pango) are suppressed in
# every sanitized run: tests/lsan.supp says which and why.
LSAN_SUPP := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp

# The unit tests UNIT_JOBS at a time (several wait on a disk's sync or a local server more than
# they compute), each one's output kept and printed whole, in order, when all have ended.
UNIT_JOBS ?= $(shell nproc)

test-unit: $(UNIT_BIN)
	@dir=$$(mktemp -d /tmp/partyline-unit-XXXXXX); \
	printf '%s\n' $(UNIT_BIN) | xargs -P $(UNIT_JOBS) -I{} sh -c \
	  '$(LSAN_SUPP) {} > "$$1/$$(basename {}).out" 2>&1 || touch "$$1/$$(basename {}).failed"' sh "$$dir"; \
	rc=0; for t in $(UNIT_BIN); do n=$$(basename $$t); echo "== $$t"; cat "$$dir/$$n.out"; \
	  if [ -e "$$dir/$$n.failed" ]; then echo "== $$t FAILED"; rc=1; fi; done; \
	rm -rf "$$dir"; exit $$rc

# The database unit tests on a throw-away PostgreSQL (scripts/pg-test-cluster), all at once
# (each binary makes its own database); the cluster is removed also when a test fails.
test-unit-pg: $(DB_UNIT_BIN)
	@dir=$$(mktemp -d /tmp/partyline-pg-XXXXXX); \
	trap 'scripts/pg-test-cluster stop "$$dir"' EXIT; \
	url=$$(scripts/pg-test-cluster start "$$dir") || exit 1; \
	pids=; for t in $(DB_UNIT_BIN); do \
	  $(LSAN_SUPP) PARTYLINE_TEST_DATABASE=$$url $$t > "$$dir/$$(basename $$t).out" 2>&1 & pids="$$pids $$!"; \
	done; \
	rc=0; for p in $$pids; do wait $$p || rc=1; done; \
	for t in $(DB_UNIT_BIN); do echo "== $$t (postgres)"; cat "$$dir/$$(basename $$t).out"; done; \
	exit $$rc

# API test files at once (per suite): a file spends most of its time waiting (on its servers,
# streams, the timers it waits out), so more run than there are cores. Under the sanitizers
# the servers compute several times as much: 2, as before the suites ran side by side.
ifeq ($(SANITIZE),1)
API_JOBS ?= 2
else
API_JOBS ?= 3
endif

test-api: $(BUILD)/partyline
	$(LSAN_SUPP) \
	PARTYLINE_BIN=$(BUILD)/partyline node --test --test-concurrency=$(API_JOBS) tests/api/

# The whole API suite again, with every server on its own database of a throw-away
# PostgreSQL (tests/api/harness.mjs makes and drops them); a server's is a copy of a template
# made once here by a command that opens it (migrated, with the everyone channel a first start
# adds), which saves each server start its migrations.
test-api-pg: $(BUILD)/partyline
	@dir=$$(mktemp -d /tmp/partyline-pg-XXXXXX); \
	trap 'scripts/pg-test-cluster stop "$$dir"' EXIT; \
	url=$$(scripts/pg-test-cluster start "$$dir") || exit 1; \
	echo "== API suite on PostgreSQL ($$url)"; \
	psql -X -q "$$url" -c "CREATE DATABASE partyline_template" && \
	$(LSAN_SUPP) PARTYLINE_DATABASE=$${url%/*}/partyline_template \
	  $(BUILD)/partyline admin list-users --data "$$dir/template" > /dev/null || exit 1; \
	$(LSAN_SUPP) PARTYLINE_TEST_DATABASE=$$url PARTYLINE_TEST_TEMPLATE=partyline_template \
	PARTYLINE_BIN=$(BUILD)/partyline node --test --test-concurrency=$(API_JOBS) tests/api/

# test-api and test-api-pg side by side (what make test runs): each one's output is kept and
# printed whole when both have ended, SQLite's first; fails if either failed.
test-api-both: $(BUILD)/partyline
	@tmp=$$(mktemp -d /tmp/partyline-api-XXXXXX); \
	echo "== API suite on SQLite and on PostgreSQL, side by side (their output follows when both end)"; \
	$(MAKE) --no-print-directory test-api > "$$tmp/sqlite.out" 2>&1 & s=$$!; \
	$(MAKE) --no-print-directory test-api-pg > "$$tmp/postgres.out" 2>&1 & p=$$!; \
	rc=0; wait $$s || rc=1; wait $$p || rc=1; \
	echo "== API suite on SQLite"; cat "$$tmp/sqlite.out"; cat "$$tmp/postgres.out"; \
	rm -rf "$$tmp"; exit $$rc

# The web client end to end: playwright-core drives /usr/bin/chromium (scripts/setup installs
# it) against real servers; screenshots land in tests/browser/screenshots/ (not in git).
# One file at a time: the suite is bound by the two cores (Chromium's renderers), not by its
# waits — two at once saved ~9% once and nothing on 2026-12-07 (658 s against one at a time's
# 639 s, load 13), and a file's timing then depends on which other file shares the cores
# (channels.test's moderator menu, shortcuts.test, compose.test's @mention completion and
# phonehome.test's avatar menu failed that way, never alone). BROWSER_JOBS=2 runs two.
BROWSER_JOBS ?= 1

test-browser: $(BUILD)/partyline
	$(LSAN_SUPP) \
	PARTYLINE_BIN=$(BUILD)/partyline node --test --test-concurrency=$(BROWSER_JOBS) tests/browser/

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC (fuzz) $<"
	@clang $(FUZZ_CFLAGS) -Wno-string-concatenation -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	@clang $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/libpartyline.a: $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libpartyline.a
	@echo "  LD $@"
	@clang $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libpartyline.a \
	  $(PKG_LIBS)

# Each harness for FUZZ_SECONDS, one per core at once (each is one process on one core, so
# every harness still gets FUZZ_SECONDS of a core): new inputs go to a temporary folder (the
# corpus in tests/fuzz/corpus/NAME/ is only read), a crash's input is kept there and its path
# printed.
test-fuzz:
	@$(MAKE) --no-print-directory -j$$(nproc) $(FUZZ_BIN)
	@tmp=$$(mktemp -d /tmp/partyline-fuzz-XXXXXX); \
	printf '%s\n' $(FUZZ_BIN) | xargs -P $$(nproc) -I{} sh -c '\
	  f={}; name=$${f##*/fuzz_}; mkdir -p "$$0/$$name"; \
	  dict=; [ -f tests/fuzz/fuzz_$$name.dict ] && dict=-dict=tests/fuzz/fuzz_$$name.dict; \
	  if $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix="$$0/" $$dict \
	       "$$0/$$name" tests/fuzz/corpus/$$name > "$$0/$$name.log" 2>&1; \
	  then echo ok > "$$0/$$name.rc"; else echo failed > "$$0/$$name.rc"; fi' "$$tmp"; \
	rc=0; for f in $(FUZZ_BIN); do \
	  name=$${f##*/fuzz_}; echo "== fuzz $$name ($(FUZZ_SECONDS) s)"; \
	  if [ "$$(cat "$$tmp/$$name.rc" 2>/dev/null)" != ok ]; then \
	    tail -n 40 "$$tmp/$$name.log"; echo "fuzz $$name failed: input kept in $$tmp"; rc=1; \
	  else grep -h '^Done' "$$tmp/$$name.log"; fi; \
	done; \
	if [ $$rc = 0 ]; then rm -rf "$$tmp"; fi; exit $$rc

bench: setup $(BUILD)/partyline
	@bench/run.sh $(BUILD)/partyline
	@node bench/streaming.mjs $(BUILD)/partyline
	@node bench/web.mjs $(BUILD)/partyline
	@$(MAKE) --no-print-directory $(BUILD)/bench/pictures_upload && $(BUILD)/bench/pictures_upload
	@$(MAKE) --no-print-directory $(BUILD)/bench/listen-match && $(BUILD)/bench/listen-match

# Both read the same files: the sources, every header, and the unit tests.
FORMAT_FILES = $(SRC) $(shell find src tests/unit -name '*.h' -o -name 'test_*.c')

format:
	clang-format -i $(FORMAT_FILES)

check-format:
	clang-format --dry-run --Werror $(FORMAT_FILES)

# Which layer may include which (docs/ARCHITECTURE.md, "Layers"): arrows point down only.
check-layers:
	@scripts/check-layers

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d) $(FUZZ_OBJ:.o=.d)
