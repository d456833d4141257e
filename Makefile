# talentreg - 乡村人才登记
#
#   make run     build, set up a demo database and open the program
#   make test    build and run every test (installs what is missing first)
#   make asan    the same tests under AddressSanitizer and UBSan
#   make deps    install the Debian packages the build and tests need

PREFIX     ?= /usr/local
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN        = -std=c11 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
              -Wmissing-prototypes -Wpointer-arith -Wvla
CPPFLAGS   += -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Iinclude
LIBS        = -lsqlite3 -liniparser -lxlsxwriter -lm

DEB_PKGS    = gcc make pkg-config libncurses-dev libsqlite3-dev libiniparser-dev \
              libcmocka-dev libxlsxwriter-dev sqlite3 tmux locales

BUILD      ?= build
SRC         = $(sort $(wildcard src/*.c))
CORE_SRC    = $(filter-out src/main.c,$(SRC))
OBJ         = $(SRC:src/%.c=$(BUILD)/obj/%.o)
CORE_OBJ    = $(CORE_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC    = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN         = $(BUILD)/talentreg

.PHONY: all deps run test unit cli asan clean demo
.DEFAULT_GOAL := all

all: $(BIN)

# Installs what is missing with apt-get when run as root; otherwise prints the
# exact command to run.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "make deps: missing packages; run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/obj/%.o: src/%.c $(wildcard include/*.h src/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -MMD -c -o $@ $<

$(BIN): $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(CORE_OBJ) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests/unit $(WARN) -Wno-missing-prototypes $(CFLAGS) -o $@ $< $(CORE_OBJ) $(LIBS) -lcmocka

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

-include $(OBJ:.o=.d)

# The demo: a database of sample records under data/, opened by the program.
DEMO_DB = data/talentreg.db
demo: $(BIN)
	@mkdir -p data
	@[ -f $(DEMO_DB) ] || { $(BIN) init --demo 300 >/dev/null && echo "make run: 已创建示例数据库 $(DEMO_DB)"; }

run: deps
	@$(MAKE) --no-print-directory demo
	@$(BIN) report

test: deps
	@$(MAKE) --no-print-directory $(BIN) $(UNIT_BIN)
	@BUILD=$(BUILD) tests/run

asan:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory test BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined"

clean:
	rm -rf build build-asan
