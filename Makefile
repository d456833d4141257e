# talentreg - 乡村人才登记
#
#   make run     build, set up a demo database and open the program
#   make test    build and run every test (installs what is missing first)
#   make asan    the same tests under AddressSanitizer and UBSan
#   make deps    install the Debian packages the build and tests need

VERSION     = 0.10
PREFIX     ?= /usr/local
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN        = -std=c11 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
              -Wmissing-prototypes -Wpointer-arith -Wvla
CPPFLAGS   += -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Iinclude -DTALENTREG_VERSION='"$(VERSION)"'
LIBS        = -lsqlite3 -liniparser -lxlsxwriter -lzip -lexpat -lsodium -lm
# the screens: ncursesw from pkg-config (read again by the sub-make that
# builds, after `make deps` has installed it)
CURSES_CFLAGS = $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null))
CURSES_LIBS   = $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)

# libsodium-dev: signing and sealing site bundles (src/seal.c);
# ncurses-term: the putty terminfo entries the key tests run under;
# openssh-server: the private sshd of tests/cli/test_ui_ssh.sh; locales:
# localedef for the GB18030 test; libzip and expat: reading .xlsx sign-in
# sheets (src/xlsx_read.c); libsodium: signed and sealed site bundles (src/seal.c)
DEB_PKGS    = gcc make pkg-config libncurses-dev libsqlite3-dev libiniparser-dev libsodium-dev \
              libcmocka-dev libxlsxwriter-dev libzip-dev libexpat1-dev sqlite3 tmux locales \
              python3 man-db ncurses-term openssh-server openssh-client

BUILD      ?= build
SRC         = $(sort $(wildcard src/*.c src/ui/*.c))
# the core: everything the unit tests link, with no terminal
CORE_SRC    = $(filter-out src/main.c src/ui/%,$(SRC))
OBJ         = $(SRC:src/%.c=$(BUILD)/obj/%.o)
CORE_OBJ    = $(CORE_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC    = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN         = $(BUILD)/talentreg

.PHONY: all deps run test test-quick binaries asan clean demo
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

$(BUILD)/obj/ui/%.o: src/ui/%.c $(wildcard include/*.h src/ui/*.h) | $(BUILD)/obj
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CURSES_CFLAGS) $(WARN) $(CFLAGS) -MMD -c -o $@ $<

$(BIN): $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS) $(CURSES_LIBS)

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
	@$(BIN)

# The sanitizer build: the same program and tests in build-asan/.
ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined"

binaries: $(BIN) $(UNIT_BIN) $(BUILD)/tools/mksheet

# what the command-line tests make their files with: an .xlsx sign-in
# sheet written by libxlsxwriter (tests/tools/mksheet.c)
$(BUILD)/tools/mksheet: tests/tools/mksheet.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< -lxlsxwriter

# Every test, then every test again under AddressSanitizer and UBSan.
test: deps
	@$(MAKE) --no-print-directory binaries
	@$(ASAN_MAKE) binaries
	@BUILDS="$(BUILD) build-asan" tests/run

# The tests once, without the sanitizer pass.
test-quick: deps
	@$(MAKE) --no-print-directory binaries
	@BUILDS="$(BUILD)" tests/run

asan: deps
	@$(ASAN_MAKE) binaries
	@BUILDS="build-asan" tests/run

clean:
	rm -rf build build-asan

# ---- installing on a server ----
#   make install       [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc/talentreg]
#                      [LOCALSTATEDIR=/var/lib/talentreg] [GROUP=talentreg]
#   make post-install  the same variables: the group and the ownership
#   make uninstall     removes the program and its man page; keeps config and data
# The installed program is built apart, in INSTALL_BUILD, with SYSCONFDIR
# compiled in: setgid, it reads its configuration from nowhere else.
# `make install` copies the files; it needs no root, so a packager can run
# it with DESTDIR. The server's part, `make post-install`, needs root: it
# makes GROUP (groupadd) when missing and gives the program (2755) and the
# data directory (2770) to root:GROUP; officers are not in GROUP, so only
# the program, never the sqlite3 shell, opens the database (src/priv.c).
# `make install` runs it when it is root and DESTDIR is empty, and
# otherwise prints it. Existing config and form files are kept; a changed
# shipped one is put beside it as FILE.new.
SYSCONFDIR    ?= /etc/talentreg
LOCALSTATEDIR ?= /var/lib/talentreg
MANDIR        ?= $(PREFIX)/share/man
GROUP         ?= talentreg
INSTALL_BUILD ?= build/install
CPPFLAGS      += -DTALENTREG_SYSCONFDIR='"$(SYSCONFDIR)"'

.PHONY: install install-build post-install uninstall

# A SYSCONFDIR other than the last one's rebuilds main.o, which holds it.
install-build:
	@mkdir -p $(INSTALL_BUILD)
	@printf '%s\n' '$(SYSCONFDIR)' | cmp -s - $(INSTALL_BUILD)/sysconfdir 2>/dev/null || \
	  { rm -f $(INSTALL_BUILD)/obj/main.o; printf '%s\n' '$(SYSCONFDIR)' >$(INSTALL_BUILD)/sysconfdir; }
	@$(MAKE) --no-print-directory BUILD=$(INSTALL_BUILD) SYSCONFDIR='$(SYSCONFDIR)' $(INSTALL_BUILD)/talentreg

install: install-build
	@set -e; \
	bin='$(DESTDIR)$(PREFIX)/bin'; etc='$(DESTDIR)$(SYSCONFDIR)'; \
	var='$(DESTDIR)$(LOCALSTATEDIR)'; man='$(DESTDIR)$(MANDIR)/man1'; \
	conf() { if [ ! -e "$$2" ]; then install -m 0644 "$$1" "$$2"; \
	  elif ! cmp -s "$$1" "$$2"; then install -m 0644 "$$1" "$$2.new"; \
	    echo "make install: kept $$2; the shipped version is $$2.new"; fi; }; \
	install -d "$$bin" "$$etc/forms" "$$etc/forms/events" "$$man"; \
	install -m 0755 $(INSTALL_BUILD)/talentreg "$$bin/talentreg"; \
	tmp=$$(mktemp); \
	sed -e 's|^database *=.*|database = $(LOCALSTATEDIR)/talentreg.db|' \
	    -e 's|^forms *=.*|forms = $(SYSCONFDIR)/forms|' config/talentreg.ini >"$$tmp"; \
	conf "$$tmp" "$$etc/talentreg.ini"; rm -f "$$tmp"; \
	for f in users.ini areas.ini targets.ini tasks.ini sites.ini regions.txt; do conf "config/$$f" "$$etc/$$f"; done; \
	for f in forms/*.ini forms/events/*.ini; do conf "$$f" "$$etc/$$f"; done; \
	install -d -m 0770 "$$var"; \
	install -m 0644 doc/talentreg.1 "$$man/talentreg.1"; \
	echo "make install: $$bin/talentreg, config in $$etc, data in $$var"; \
	if [ "$$(id -u)" = 0 ] && [ -z '$(DESTDIR)' ]; then \
	  $(MAKE) --no-print-directory post-install; \
	else \
	  echo "make install: on the server, as root, run: make post-install PREFIX=$(PREFIX) LOCALSTATEDIR=$(LOCALSTATEDIR) GROUP=$(GROUP)"; \
	fi

post-install:
	@set -e; \
	if [ "$$(id -u)" != 0 ]; then echo "make post-install: needs root"; exit 1; fi; \
	getent group '$(GROUP)' >/dev/null || groupadd --system '$(GROUP)'; \
	chown root:'$(GROUP)' '$(PREFIX)/bin/talentreg' '$(LOCALSTATEDIR)'; \
	chmod 2755 '$(PREFIX)/bin/talentreg'; \
	chmod 2770 '$(LOCALSTATEDIR)'; \
	echo "make post-install: $(PREFIX)/bin/talentreg is setgid $(GROUP); $(LOCALSTATEDIR) is root:$(GROUP) 2770"

uninstall:
	rm -f '$(DESTDIR)$(PREFIX)/bin/talentreg' '$(DESTDIR)$(MANDIR)/man1/talentreg.1'
	@echo "make uninstall: kept the configuration $(DESTDIR)$(SYSCONFDIR), the data $(DESTDIR)$(LOCALSTATEDIR) and the group $(GROUP)"

# ---- benchmarks (bench/; owner: the benchmarks) -----------------------------
#   make bench [BENCH_FLAGS="--quick --only search,browse"]
# Every budget of DESIGN.md measured next to its reference, with the ratio
# (bench/README.md). The data sets (a 100,000-row CSV, databases of 100,000
# and 1,000,000 records) are made once into bench/data/ and kept; the first
# run takes about 15 minutes, later ones less. bench/page is the browse
# benchmark, linked with the core like the unit tests.
BENCH_PKGS  = dialog hyperfine time
BENCH_FLAGS ?=

.PHONY: bench bench-deps

# dialog (the reference screens) and hyperfine, with the same apt-get
# logic as `make deps`
bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS='$(BENCH_PKGS)'

$(BUILD)/bench/page: bench/page.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(LIBS)

bench: deps bench-deps
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/bench/page
	@BUILD=$(BUILD) python3 bench/bench.py $(BENCH_FLAGS)

# ---- reliability (tests/reliability/; owner: the reliability suite) ----------
#   make reliability                 the long forms: crash (500 SIGKILLs among
#                                    10 writers), storage faults (full tmpfs,
#                                    read-only; needs root), hangup (50 tmux
#                                    sessions), concurrency (10 x 1,000 adds),
#                                    hostile input (about 300 strings); ~10 min
#   make reliability REL="crash"     only the ones named
# Prints a line per test and "N passed, N failed"; logs in build/reliability/.
# The short forms are tests/cli/test_rel_*.sh, run by make test.
.PHONY: reliability
reliability: deps
	@$(MAKE) --no-print-directory $(BIN)
	@bash tests/reliability/run $(REL)

# ---- fuzzing (fuzz/; owner: the fuzzers) -------------------------------------
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="csv bundle"] [FUZZ_FLAGS=...]
# One libFuzzer harness per parser, fuzz/fuzz_NAME.c, built with clang and
# -fsanitize=fuzzer,address,undefined over the core compiled the same way
# (in FUZZ_BUILD), each run for FUZZ_SECONDS from its seeds in
# fuzz/corpus/NAME and what earlier runs found (FUZZ_BUILD/corpus/NAME).
# A crash is saved in fuzz/regressions/NAME/ and stays there once fixed:
# every harness is also built with $(CC) and fuzz/replay_main.c into
# $(BUILD)/fuzz/replay_NAME, which `make test` builds in both builds and
# tests/cli/test_fuzz_replay.sh runs over the seeds and the regressions.
FUZZ_NAMES    = loader csv validators sanitize bundle xlsx
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?= -timeout=25
FUZZ_PKGS     = clang libclang-rt-14-dev
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_REPLAY   = $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)

.PHONY: fuzz fuzz-deps fuzz-build

binaries: $(FUZZ_REPLAY)

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay_main.c fuzz/fuzz.h $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< fuzz/replay_main.c $(CORE_OBJ) $(LIBS)

# made by fuzz-build's sub-make, where BUILD is FUZZ_BUILD and CC clang
$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ifuzz $(WARN) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(LIBS)

# clang and libFuzzer's runtime, with the same apt-get logic as `make deps`
fuzz-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS='$(FUZZ_PKGS)'

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" LDFLAGS="$(FUZZ_SAN)" \
	  $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)

# Runs each harness in turn; prints one line of figures per harness (its
# whole output is in FUZZ_BUILD/log/NAME.log) and fails when one crashed.
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@mkdir -p $(FUZZ_BUILD)/log; failed=""; \
	for n in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/regressions/$$n $(FUZZ_BUILD)/corpus/$$n; \
	  log=$(FUZZ_BUILD)/log/$$n.log; dict=""; \
	  [ -f fuzz/$$n.dict ] && dict=-dict=fuzz/$$n.dict; \
	  echo "make fuzz: $$n, $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=fuzz/regressions/$$n/ $$dict $(FUZZ_FLAGS) \
	    $(FUZZ_BUILD)/corpus/$$n fuzz/corpus/$$n >$$log 2>&1; rc=$$?; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
	  speed=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log); \
	  cov=$$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' $$log | tail -1); \
	  if [ $$rc -eq 0 ]; then verdict="no crash"; \
	  else verdict="FAILED (exit $$rc): see $$log; the input is in fuzz/regressions/$$n/"; failed="$$failed $$n"; fi; \
	  echo "  $$n: $${runs:-?} runs, $${speed:-?} exec/s, $${cov:-no coverage line}; $$verdict"; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: crashes in:$$failed"; exit 1; fi
