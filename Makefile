# partyline — build, run, test, bench.
#
#   make run     set up what is missing, build, start on http://127.0.0.1:8080 with a demo company
#   make test    the whole suite: C unit tests, API tests (masto.js) on a real server
#   make bench   benchmarks into BENCHMARKS.md
#
# SANITIZE=1 builds into build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer.

PKGS     := libh2o-evloop jansson sqlite3 libpq libsodium libcmark-gfm inih
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
GEN_OBJ  := $(DRIVERS:%=$(BUILD)/gen/migrations_%.o)
OBJ      := $(SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test test-unit test-api bench setup clean format check-format
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

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) -lcmocka $(LDFLAGS)

setup:
	@scripts/setup

run: setup $(BUILD)/partyline
	@scripts/run-demo $(BUILD)/partyline

test: setup
	@$(MAKE) --no-print-directory test-unit test-api

test-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

test-api: $(BUILD)/partyline
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	PARTYLINE_BIN=$(BUILD)/partyline node --test --test-concurrency=2 tests/api/

bench: setup $(BUILD)/partyline
	@bench/run.sh $(BUILD)/partyline

format:
	clang-format -i $(SRC) $(shell find src tests/unit -name '*.h' -o -name 'test_*.c')

check-format:
	clang-format --dry-run --Werror $(SRC)

clean:
	rm -rf build build-asan

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d)
