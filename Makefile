# nncert — the two set-up commands of README.md live here.
#   make demo   installs the C libraries where missing, builds nncert (release) and runs it on properties/
#   make test   installs the C libraries where missing and runs the whole test suite
# Both work on a fresh Debian machine with Swift 6.1+ on the PATH.

SWIFT ?= swift
APT_PACKAGES = libglpk-dev libopenblas-dev
NNCERT = .build/release/nncert

.PHONY: demo test deps build release clean

deps:
	@missing=""; \
	[ -f /usr/include/glpk.h ] || missing="$$missing libglpk-dev"; \
	[ -f /usr/include/x86_64-linux-gnu/cblas.h ] || [ -f /usr/include/cblas.h ] || [ -f /usr/include/aarch64-linux-gnu/cblas.h ] || missing="$$missing libopenblas-dev"; \
	pkg-config --exists openblas 2>/dev/null || missing="$$missing libopenblas-dev pkg-config"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product nncert

test: deps
	$(SWIFT) test

demo: release
	@sh scripts/demo.sh $(NNCERT)

clean:
	rm -rf .build
