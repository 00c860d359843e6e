# galley: `make` installs what is missing, builds out/bin/galley and every document
# in content/ into out/; `make test` runs the whole suite.  Plain GNU make.

VERSION   = 0.1.0
PREFIX    = /usr/local
DATADIR   = $(PREFIX)/share/galley

# Everything galley and its tests need, all from Debian 12.
DEB_PACKAGES = gcc make pkg-config \
	libcmark-gfm-dev libcmark-gfm-extensions-dev libxslt1-dev libxml2-dev \
	liblua5.4-dev libhpdf-dev libharfbuzz-dev libfontconfig-dev libyaml-dev \
	libicu-dev zlib1g-dev libmicrohttpd-dev \
	fonts-noto-cjk texlive-lang-chinese \
	fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-liberation2 \
	fonts-lxgw-wenkai poppler-utils qpdf time valgrind python3
# What `make test-browser` needs besides: the browser and the test's language.
BROWSER_PACKAGES = chromium python3
# Only for `make fuzz`: clang and its libFuzzer runtime.
FUZZ_PACKAGES = clang libclang-rt-14-dev

PKGS      = libcmark-gfm libxslt libxml-2.0 yaml-0.1 lua5.4 fontconfig harfbuzz harfbuzz-subset zlib icu-uc icu-i18n libmicrohttpd
# Recursive (=) on purpose: pkg-config is asked only after `deps` installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcmark-gfm-extensions -lhpdf -lm -pthread
ICU_LIBS   = $(shell pkg-config --libs icu-uc icu-i18n)

CC        ?= cc
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
	-DGALLEY_VERSION='"$(VERSION)"' -MMD -MP
# float-cast-overflow: gcc leaves it out of undefined (clang, fuzzing, has it).
SAN_FLAGS = -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined,float-cast-overflow

# tool/gen_*.c are build-time helpers, not part of galley.
SRCS      = $(filter-out tool/gen_%.c,$(sort $(wildcard tool/*.c)))
# Generated sources, out/gen/NAME.c: the Lua half of the filter engine compiled in as
# a string; the pinyin table made from ICU's transliterator (tool/gen_pinyin.c).
GEN       = lf_prelude coll_pinyin
OBJS      = $(SRCS:tool/%.c=out/obj/%.o) $(GEN:%=out/obj/%.o)
SAN_OBJS  = $(SRCS:tool/%.c=out/obj-san/%.o) $(GEN:%=out/obj-san/%.o)
UNIT_SRCS = $(sort $(wildcard tests/unit/*.c))

GALLEY    = out/bin/galley
GALLEY_SAN = out/bin/galley-san
UNIT      = out/bin/unit-tests
UNIT_SAN  = out/bin/unit-tests-san

# A folder under content/ holding issue.yaml is one bulletin issue, built from its
# article files into out/<folder>.html and .pdf; every other Markdown file under
# content/ becomes out/<same path>.html and .pdf.
ISSUES    = $(patsubst %/issue.yaml,%,$(shell find content -name issue.yaml | sort))
DOCS      = $(filter-out $(patsubst %,%/%,$(ISSUES)),$(shell find content -name '*.md' | sort))
HTML      = $(DOCS:content/%.md=out/%.html) $(ISSUES:content/%=out/%.html)
PDF       = $(DOCS:content/%.md=out/%.pdf) $(ISSUES:content/%=out/%.pdf)
# out/bulletin/index.html lists the issues under content/bulletin/, newest first.
BULLETINS = $(filter content/bulletin/%,$(ISSUES) $(DOCS))
# Drafts of standards also get their comment form (意见汇总表), as HTML and CSV.
STANDARDS = $(filter content/standard/%,$(DOCS))
FORMS     = $(STANDARDS:content/%.md=out/%.comments.html) $(STANDARDS:content/%.md=out/%.comments.csv)
# Their images are copied to the same place under out/, so the HTML finds them.
IMAGES    = $(shell find content -type f \( -name '*.png' -o -name '*.jpg' -o -name '*.jpeg' \) | sort)

# Reproducible PDFs: their date is the last commit's unless the caller sets one.
SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct 2>/dev/null),0)
export SOURCE_DATE_EPOCH
# What a document's build may read besides its source: styles, filters, and the images
# and data files (term bases) under content/.  Each build writes out/X/Y.d naming the
# files it did read (galley --depfile); until it has one, a document depends on all these.
DATA_FILES = $(shell find styles lua-filters -type f | sort) \
	$(shell find content -type f ! -name '*.md' | sort)
DEPFILES  = $(DOCS:content/%.md=out/%.d) $(ISSUES:content/%=out/%.d)
NO_DEPFILE = $(filter-out $(wildcard $(DEPFILES)),$(DEPFILES))

.PHONY: keys-doc all deps deps-browser fuzz-deps docs test test-browser valgrind regen install bench fuzz fuzzers clean
.DELETE_ON_ERROR:

all: deps $(GALLEY) docs

# $(call install_missing,PACKAGES): as root, installs those of the Debian PACKAGES that
# are missing; as another user, prints the apt-get line and fails.
define install_missing
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(1) 2>/dev/null \
		| awk '$$NF == "installed" { ok[$$1] = 1 } END { split("$(strip $(1))", want, " "); \
		for (i in want) if (!(want[i] in ok)) printf "%s ", want[i] }'); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "make: installing Debian packages: $$missing"; \
			apt-get update && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y --no-install-recommends $$missing || exit 1; \
		else \
			echo "galley needs Debian packages that are missing; as root run:"; \
			echo "  apt-get install $$missing"; \
			exit 1; \
		fi; \
	fi
endef

deps:
	$(call install_missing,$(DEB_PACKAGES))

deps-browser:
	$(call install_missing,$(BROWSER_PACKAGES))

# The prelude as Lua bytecode: compiling its source took longer than running most filters.
out/bin/gen-prelude: out/obj/gen_prelude.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ $(shell pkg-config --libs lua5.4) -o $@

# The filter engine's Lua, joined in this order into one chunk.
PRELUDE   = tool/lf_prelude.lua tool/lf_library.lua tool/lf_sandbox.lua
out/gen/lf_prelude.c: $(PRELUDE) out/bin/gen-prelude
	@mkdir -p $(@D)
	out/bin/gen-prelude $(PRELUDE) >$@.tmp && mv $@.tmp $@

# Run at build time, once: about a second.  A new generator makes a new table.
out/bin/gen-pinyin: out/obj/gen_pinyin.o out/obj/mem.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ $(ICU_LIBS) -o $@

out/gen/coll_pinyin.c: out/bin/gen-pinyin
	@mkdir -p $(@D)
	out/bin/gen-pinyin >$@.tmp && mv $@.tmp $@

out/obj/%.o: out/gen/%.c | deps
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -Itool -c $< -o $@

out/obj-san/%.o: out/gen/%.c | deps
	@mkdir -p $(@D)
	@echo "CC $< (sanitizers)"
	@$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itool -c $< -o $@

out/obj/%.o: tool/%.c | deps
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

out/obj-san/%.o: tool/%.c | deps
	@mkdir -p $(@D)
	@echo "CC $< (sanitizers)"
	@$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(GALLEY): $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(OBJS) $(PKG_LIBS) -o $@

$(GALLEY_SAN): $(SAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) $(SAN_OBJS) $(PKG_LIBS) -o $@

$(UNIT): $(UNIT_SRCS) $(filter-out out/obj/main.o,$(OBJS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itool $(UNIT_SRCS) $(filter-out out/obj/main.o,$(OBJS)) $(PKG_LIBS) -o $@

$(UNIT_SAN): $(UNIT_SRCS) $(filter-out out/obj-san/main.o,$(SAN_OBJS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itool $(UNIT_SRCS) $(filter-out out/obj-san/main.o,$(SAN_OBJS)) $(PKG_LIBS) -o $@

docs: $(HTML) $(PDF) $(FORMS) $(IMAGES:content/%=out/%) $(if $(BULLETINS),out/bulletin/index.html)

# One run writes both (a pattern rule with two targets makes them together), and the
# depfile: the files this document's build read (style, filters, images, fonts, data).
# galley leaves an output whose bytes did not change untouched; touch tells make it is
# up to date all the same, or make would run galley for it again and again.
out/%.html out/%.pdf: content/%.md $(GALLEY)
	$(GALLEY) build -t html,pdf -o $(@D) --depfile out/$*.d $<
	@touch out/$*.html out/$*.pdf

out/%.html out/%.pdf: content/%/issue.yaml $(GALLEY)
	$(GALLEY) build -t html,pdf -o $(@D) --depfile out/$*.d content/$*
	@touch out/$*.html out/$*.pdf

# The same for a standard, with its comment form (make takes this rule, the nearer match).
out/standard/%.html out/standard/%.pdf out/standard/%.comments.html out/standard/%.comments.csv: \
		content/standard/%.md $(GALLEY)
	$(GALLEY) build -t html,pdf --comments-form -o $(@D) --depfile out/standard/$*.d $<
	@touch out/standard/$*.html out/standard/$*.pdf out/standard/$*.comments.html \
		out/standard/$*.comments.csv

$(NO_DEPFILE:%.d=%.html) $(NO_DEPFILE:%.d=%.pdf) $(filter $(NO_DEPFILE:%.d=%.comments.html) \
	$(NO_DEPFILE:%.d=%.comments.csv),$(FORMS)): $(DATA_FILES)

# Its depfile adds the style files it read.
out/bulletin/index.html: $(foreach b,$(BULLETINS),$(if $(filter %.md,$b),$b,$b/issue.yaml)) \
		$(GALLEY)
	$(GALLEY) index -o $(@D) --depfile out/bulletin/index.d $(BULLETINS)
	@touch $@

$(IMAGES:content/%=out/%): out/%: content/%
	@mkdir -p $(@D)
	cp $< $@

test: deps $(GALLEY) $(GALLEY_SAN) $(UNIT) $(UNIT_SAN)
	@sh tests/run.sh $(GALLEY) $(GALLEY_SAN)

# Every built page in headless Chromium at phone and desktop width (tests/browser.py);
# screenshots go to out/browser/.
test-browser: deps-browser all
	@GALLEY=$(GALLEY) python3 tests/browser.py out $(HTML)

# The valgrind suite alone (make test runs it too).
valgrind: deps $(GALLEY)
	@sh tests/run.sh --valgrind $(GALLEY)

# Rewrites the expected outputs of the golden tests; review them with `git diff`.
regen: deps $(GALLEY)
	@sh tests/run.sh --regen $(GALLEY)

# styles/README.md's key reference is `galley keys`, between its markers.
keys-doc: $(GALLEY)
	@$(GALLEY) keys >out/keys.md && awk -v ref=out/keys.md \
		'/^<!-- galley keys -->/ { print; while ((getline l < ref) > 0) print l; skip = 1; next } \
		 /^<!-- end galley keys -->/ { skip = 0 } !skip' styles/README.md >out/README.tmp && \
		mv out/README.tmp styles/README.md

bench: deps $(GALLEY)
	@sh tests/bench.sh $(GALLEY)

# A live preview of content/: every document built into out/ and served at
# http://127.0.0.1:$(PORT)/, rebuilt when a file it read changes (galley serve).
PORT      ?= 8000
.PHONY: serve
serve: deps $(GALLEY)
	$(GALLEY) serve -p $(PORT) -o out content

# Fuzzing (libFuzzer, ASan, UBSan): each target in tests/fuzz/ (but the shared harness)
# builds the pipeline in memory.  `make fuzz` runs each for FUZZ_SECONDS; what it finds
# goes into out/fuzz/crash-TARGET-*, and once fixed into tests/fuzz/regressions/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= doc pdf filter
FUZZ_CC   = clang
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
FUZZ_OBJS = $(filter-out out/obj-fuzz/main.o,$(SRCS:tool/%.c=out/obj-fuzz/%.o)) \
	$(GEN:%=out/obj-fuzz/%.o) out/obj-fuzz/tests/harness.o
FUZZERS   = $(FUZZ_TARGETS:%=out/fuzz/%)
# Seeds: every document and golden case; for the filter target, each filter (a golden
# one followed by its own document, as tests/fuzz/filter.c reads an input, less the
# document's own naming of the filter).
FUZZ_SEEDS = $(DOCS) $(wildcard tests/golden/*.md)
FILTER_SEEDS = $(wildcard lua-filters/*.lua tests/golden/*.lua)

fuzz-deps: deps
	$(call install_missing,$(FUZZ_PACKAGES))

out/obj-fuzz/%.o: out/gen/%.c | fuzz-deps
	@mkdir -p $(@D)
	@echo "CC $< (fuzzing)"
	@$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -Itool -c $< -o $@

out/obj-fuzz/%.o: tool/%.c | fuzz-deps
	@mkdir -p $(@D)
	@echo "CC $< (fuzzing)"
	@$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

out/obj-fuzz/tests/%.o: tests/fuzz/%.c | fuzz-deps
	@mkdir -p $(@D)
	@echo "CC $< (fuzzing)"
	@$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -Itool -c $< -o $@

out/fuzz/%: out/obj-fuzz/tests/%.o $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $^ $(PKG_LIBS) -o $@

out/fuzz/corpus-doc/.seeded out/fuzz/corpus-pdf/.seeded: $(FUZZ_SEEDS)
	@mkdir -p $(@D)
	@for f in $^; do cp $$f $(@D)/$$(echo $$f | tr / -); done
	@touch $@

out/fuzz/corpus-filter/.seeded: $(FILTER_SEEDS) $(FUZZ_SEEDS)
	@mkdir -p $(@D)
	@for f in $(FILTER_SEEDS); do \
		seed=$(@D)/$$(echo $$f | tr / -); cp $$f $$seed; \
		if [ -f $${f%.lua}.md ]; then \
			printf '\n-- document --\n' >>$$seed; \
			sed '/^filters:/d' $${f%.lua}.md >>$$seed; \
		fi; \
	done
	@touch $@

fuzzers: fuzz-deps $(FUZZERS)
# Made by pattern rules, but kept: rebuilding a fuzzer relinks, not recompiles.
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_TARGETS:%=out/obj-fuzz/tests/%.o)

# libFuzzer's own lines go to a copy of standard error; galley's messages are dropped.
fuzz: fuzzers $(FUZZ_TARGETS:%=out/fuzz/corpus-%/.seeded)
	@failed=0; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		dict=tests/fuzz/markdown.dict; [ $$t = filter ] && dict=tests/fuzz/lua.dict; \
		LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
		out/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2560 \
			-close_fd_mask=2 -print_final_stats=1 -dict=$$dict \
			-artifact_prefix=out/fuzz/crash-$$t- out/fuzz/corpus-$$t \
			2>out/fuzz/$$t.log; rc=$$?; \
		grep -E '^#[0-9]+.*(DONE|cov:)' out/fuzz/$$t.log | tail -1; \
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
			out/fuzz/$$t.log; \
		if [ $$rc -ne 0 ]; then \
			failed=1; echo "fuzz $$t FAILED (exit $$rc): see out/fuzz/$$t.log"; \
			grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
				out/fuzz/$$t.log; \
		fi; \
	done; [ $$failed = 0 ]

install: $(GALLEY)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)
	install -m 755 $(GALLEY) $(DESTDIR)$(PREFIX)/bin/galley
	cp -R styles lua-filters $(DESTDIR)$(DATADIR)/

clean:
	rm -rf out

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) out/obj/gen_pinyin.d out/obj/gen_prelude.d $(DEPFILES) $(wildcard out/bulletin/index.d)
