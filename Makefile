# pvd — build, test, install.  `make help` lists the targets.
# Every program is cmd/NAME/NAME.c (+ its man page cmd/NAME/NAME.1), linked
# against build/libpvd.a made from lib/*.c.  New modules and programs are
# picked up by wildcard: nothing to edit here to add one.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# libzip and expat read .xlsx/.ods (zip of XML), freexl reads .xls: see README "Spreadsheets".
PKGS    := yaml-0.1 jansson libzip expat freexl
CPPFLAGS += -D_GNU_SOURCE -DPVD_VERSION='"$(VERSION)"' -Ilib
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -Wall -Wextra -Wno-unused-parameter $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(XCFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
LDFLAGS += $(XLDFLAGS)

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB_A    := $(BUILD)/libpvd.a
PROGS    := $(notdir $(patsubst %/,%,$(sort $(wildcard cmd/*/))))
BINS     := $(PROGS:%=$(BUILD)/bin/%)
MANS     := $(wildcard cmd/*/*.1)
UNIT_SRC := $(sort $(wildcard test/unit/test_*.c))
UNITS    := $(UNIT_SRC:test/unit/%.c=$(BUILD)/unit/%)
TOOL_SRC := $(sort $(wildcard test/tools/*.c))
TOOLS    := $(TOOL_SRC:test/tools/%.c=$(BUILD)/tools/%)

# Fuzz harnesses: test/fuzz/NAME.c, each built twice (see test/fuzz/driver/fuzz.h):
# a replayer in every build (make test replays test/fuzz/regress/), and a
# libFuzzer binary in build-fuzz/ (make fuzz, clang only).
FUZZ_SRC := $(sort $(wildcard test/fuzz/*.c))
FUZZ_DRV := test/fuzz/driver/tmpfile.c test/fuzz/driver/fuzz.h
REPLAYS  := $(FUZZ_SRC:test/fuzz/%.c=$(BUILD)/fuzz-replay/%)
FUZZERS  := $(FUZZ_SRC:test/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_CPPFLAGS = -Itest/fuzz/driver -DPVD_FUZZ_ROOT='"$(CURDIR)"'

.PHONY: all test unit bats asan asan-test bench deps install uninstall deb schemas clean help demo quarter pkgcheck fuzz fuzz-build fuzzers
all: $(BINS) $(UNITS) $(TOOLS) $(REPLAYS)

# The main job on bundled data: the demo quarter, after the quarter before it.
demo: all
	@$(MAKE) --no-print-directory 2021-Q4
	@echo 'demo: out/2021-Q4/ (indicators.json, indicators.html, run-report.txt)'

# A missing library stops the build here, before a page of compiler errors.
pkgcheck:
	@pkg-config --exists $(PKGS) 2>/dev/null || { \
		echo "make: pkg-config module(s) missing:$$(for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || printf ' %s' $$p; done) (install them: make deps)" >&2; exit 1; }

# Each object records the headers it includes (-MMD): a header edit rebuilds its
# users.  An object without its .d (an older build) is rebuilt once to make it.
$(BUILD)/%.o: %.c $(BUILD)/%.d | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(LIB_OBJ:.o=.d): ;
-include $(LIB_OBJ:.o=.d)

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/%: $(LIB_A) $(wildcard lib/*.h) cmd/%/*.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $(filter %.c,$^) $(LIB_A) $(LDFLAGS) $(LDLIBS)

$(BUILD)/unit/%: test/unit/%.c test/unit/check.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itest/unit $(CFLAGS) -o $@ $< $(LIB_A) $(LDFLAGS) $(LDLIBS)

$(BUILD)/tools/%: test/tools/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB_A) $(LDFLAGS) $(LDLIBS)

$(BUILD)/fuzz-replay/%: test/fuzz/%.c test/fuzz/driver/replay.c $(FUZZ_DRV) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_CPPFLAGS) $(CFLAGS) -o $@ $< test/fuzz/driver/replay.c test/fuzz/driver/tmpfile.c $(LIB_A) $(LDFLAGS) $(LDLIBS)

$(BUILD)/fuzz/%: test/fuzz/%.c $(FUZZ_DRV) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< test/fuzz/driver/tmpfile.c $(LIB_A) $(LDFLAGS) $(LDLIBS)
fuzzers: $(FUZZERS)

# libFuzzer needs clang (Debian's clang-14 and libclang-rt-14-dev: make deps
# with test/install-deps --fuzz).  The library is built instrumented into
# build-fuzz/; each harness then runs FUZZ_SECONDS on the corpus assembled
# from fixtures/ (test/fuzz/run).  Ends with "N passed, N failed".
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 30
fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null || { echo 'make fuzz: needs $(FUZZ_CC) and libFuzzer: test/install-deps --fuzz' >&2; exit 1; }
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) XCFLAGS='-O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' XLDFLAGS='-fsanitize=address,undefined' fuzzers
fuzz: fuzz-build
	@test/fuzz/run $(FUZZ_SECONDS)

# The whole suite: C unit tests, then bats.  Ends with "N passed, N failed".
test: all
	@PVD_BUILD=$(BUILD) test/run-tests

unit: all
	@PVD_BUILD=$(BUILD) test/run-tests --unit-only

# Same suite, built and run with AddressSanitizer + UBSan.
asan:
	$(MAKE) BUILD=build-asan XCFLAGS='-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' XLDFLAGS='-fsanitize=address,undefined' all
asan-test: asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PVD_BUILD=build-asan test/run-tests

bench: all
	@PVD_BUILD=$(BUILD) test/bench/run

deps:
	test/install-deps

# JSON Schemas of the cleaned records, one per dataset, made from
# config/datasets/ (committed; test/schema.bats checks they are up to date).
DATASETS := $(notdir $(basename $(wildcard config/datasets/*.yaml)))
schemas: $(BUILD)/tools/record-schema
	@for d in $(DATASETS); do $(BUILD)/tools/record-schema config/datasets/$$d.yaml >config/schema/records/$$d.schema.json.tmp && mv config/schema/records/$$d.schema.json.tmp config/schema/records/$$d.schema.json || exit 1; done

# Installation: programs, man pages, the configuration and reference tables
# (share/pvd/config, found by the programs from their own place:
# BINDIR/../share/pvd, so any PREFIX or DESTDIR works, and a moved tree too),
# bash completion (one script; each program's name links to it, for
# bash-completion's loading on demand).
COMPLETION := cmd/pvd-completion.bash
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/pvd $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MANS) $(DESTDIR)$(PREFIX)/share/man/man1/
	rm -rf $(DESTDIR)$(PREFIX)/share/pvd/config
	cp -R config $(DESTDIR)$(PREFIX)/share/pvd/
	chmod -R u=rwX,go=rX $(DESTDIR)$(PREFIX)/share/pvd/config
	install -m 644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/pvd
	for p in $(PROGS); do ln -sf pvd $(DESTDIR)$(BASHCOMPDIR)/$$p; done

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(PREFIX)/bin/%) $(notdir $(MANS):%=$(DESTDIR)$(PREFIX)/share/man/man1/%)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/pvd $(PROGS:%=$(DESTDIR)$(BASHCOMPDIR)/%)
	rm -rf $(DESTDIR)$(PREFIX)/share/pvd

# The Debian package: `make install PREFIX=/usr` into a staging root, man
# pages compressed, a control file made here, then dpkg-deb --build.
# Depends: computed by dpkg-shlibdeps from the programs' libraries (dpkg-dev);
# without it, the packages owning the libraries ldd lists; else the list below.
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB      := $(BUILD)/pvd_$(VERSION)_$(DEB_ARCH).deb
DEB_ROOT  = $(BUILD)/deb/root
DEB_DEPENDS_FALLBACK := libc6, libyaml-0-2, libjansson4, libcsv3, libzip4, libexpat1, libfreexl1
deb: $(DEB)
$(DEB): $(BINS) $(MANS) $(COMPLETION) $(shell find config -type f 2>/dev/null) VERSION Makefile
	rm -rf $(BUILD)/deb
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(CURDIR)/$(DEB_ROOT) BUILD=$(BUILD)
	gzip -9n $(DEB_ROOT)/usr/share/man/man1/*.1
	install -d $(DEB_ROOT)/usr/share/doc/pvd $(DEB_ROOT)/DEBIAN
	install -m 644 README.md $(DEB_ROOT)/usr/share/doc/pvd/
	mkdir -p $(BUILD)/deb/debian && printf 'Source: pvd\n\nPackage: pvd\nArchitecture: any\n' >$(BUILD)/deb/debian/control
	deps=$$(cd $(BUILD)/deb && dpkg-shlibdeps -O $(PROGS:%=root/usr/bin/%) 2>/dev/null | sed -n 's/^shlibs:Depends=//p'); \
	[ -n "$$deps" ] || deps=$$(ldd $(PROGS:%=$(DEB_ROOT)/usr/bin/%) 2>/dev/null | awk '/=> \//{print $$3}' | sort -u | \
		while read -r f; do dpkg -S "$$f" 2>/dev/null || dpkg -S "$$(readlink -f "$$f")" 2>/dev/null; done | \
		cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g'); \
	{ echo 'Package: pvd'; echo 'Version: $(VERSION)'; echo 'Architecture: $(DEB_ARCH)'; \
	  echo 'Maintainer: pvd maintainers <pvd@localhost>'; echo 'Section: utils'; echo 'Priority: optional'; \
	  echo "Depends: $${deps:-$(DEB_DEPENDS_FALLBACK)}"; \
	  echo "Installed-Size: $$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)"; \
	  echo 'Description: Petites villes de demain indicator pipeline'; \
	  echo ' Small Unix filters (pvd-ingest, pvd-clean, pvd-join, pvd-aggregate,'; \
	  echo ' pvd-render) and the runner pvd-run that turn the raw exports sent about'; \
	  echo ' the programme Petites villes de demain into its consolidated indicators'; \
	  echo ' and quarterly dashboard, with exact amounts and every reject accounted for.'; \
	} >$(DEB_ROOT)/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $@

clean:
	rm -rf build build-asan build-fuzz

help:
	@echo 'make            build every program (build/bin/)'
	@echo 'make demo       run the demo quarter 2021-Q4 into out/2021-Q4/'
	@echo 'make 2021-Q4    run one quarter (pipelines/2021-Q4.yaml); also make quarter Q=2021-Q4'
	@echo 'make test       run the whole test suite'
	@echo 'make asan-test  the same suite under AddressSanitizer + UBSan'
	@echo 'make fuzz       run each fuzz harness FUZZ_SECONDS (30) seconds (clang)'
	@echo 'make bench      throughput benchmark against mlr / jq / DuckDB'
	@echo 'make deps       install the Debian 12 packages pvd needs'
	@echo 'make install    install programs, man pages, config, completion (PREFIX, DESTDIR)'
	@echo 'make schemas    regenerate config/schema/records/ from config/datasets/'
	@echo 'make deb        build the Debian package build/pvd_VERSION_ARCH.deb'

# Quarterly targets (make 2021-Q4, make quarter Q=2021-Q4) live beside the
# pipelines; included last so that `all` stays the default goal.
-include pipelines/quarters.mk
