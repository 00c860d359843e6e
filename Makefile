# galley: `make` installs what is missing, builds out/bin/galley and every document
# in content/ into out/; `make test` runs the whole suite.  Plain GNU make.

VERSION   = 0.1.0
PREFIX    = /usr/local
DATADIR   = $(PREFIX)/share/galley

# Everything galley and its tests need, all from Debian 12.
DEB_PACKAGES = gcc make pkg-config \
	libcmark-gfm-dev libcmark-gfm-extensions-dev libxslt1-dev libxml2-dev \
	liblua5.4-dev libhpdf-dev libharfbuzz-dev libfontconfig-dev libyaml-dev \
	libicu-dev \
	fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-liberation2 \
	poppler-utils qpdf time

PKGS      = libcmark-gfm libxslt libxml-2.0 yaml-0.1
# Recursive (=) on purpose: pkg-config is asked only after `deps` installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcmark-gfm-extensions

CC        ?= cc
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
	-DGALLEY_VERSION='"$(VERSION)"' -MMD -MP
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined

SRCS      = $(sort $(wildcard tool/*.c))
LIB_SRCS  = $(filter-out tool/main.c,$(SRCS))
OBJS      = $(SRCS:tool/%.c=out/obj/%.o)
SAN_OBJS  = $(SRCS:tool/%.c=out/obj-san/%.o)
UNIT_SRCS = $(sort $(wildcard tests/unit/*.c))

GALLEY    = out/bin/galley
GALLEY_SAN = out/bin/galley-san
UNIT      = out/bin/unit-tests
UNIT_SAN  = out/bin/unit-tests-san

# Every Markdown file under content/ becomes out/<same path>.html.
DOCS      = $(shell find content -name '*.md' | sort)
HTML      = $(DOCS:content/%.md=out/%.html)
STYLE_FILES = $(shell find styles -type f | sort)

.PHONY: all deps docs test regen install bench clean
.DELETE_ON_ERROR:

all: deps $(GALLEY) docs

deps:
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(DEB_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" { ok[$$1] = 1 } END { split("$(DEB_PACKAGES)", want, " "); \
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

docs: $(HTML)

out/%.html: content/%.md $(GALLEY) $(STYLE_FILES)
	$(GALLEY) build -o $(@D) $<

test: deps $(GALLEY) $(GALLEY_SAN) $(UNIT) $(UNIT_SAN)
	@sh tests/run.sh $(GALLEY) $(GALLEY_SAN)

# Rewrites the expected outputs of the golden tests; review them with `git diff`.
regen: deps $(GALLEY)
	@sh tests/run.sh --regen $(GALLEY)

bench: deps $(GALLEY)
	@sh tests/bench.sh $(GALLEY)

install: $(GALLEY)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)
	install -m 755 $(GALLEY) $(DESTDIR)$(PREFIX)/bin/galley
	cp -R styles lua-filters $(DESTDIR)$(DATADIR)/

clean:
	rm -rf out

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d)
