# MRIKit: `make demo` and `make test` work on a fresh Debian machine (as root).
# Each target runs the idempotent set-up first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

export PKG_CONFIG_PATH := $(CURDIR)/.venv/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
# Where setup put libtorch (read after setup has run: recursive variable).
TORCH_DIR = $(shell sed -n 's/^prefix=//p' .venv/pkgconfig/libtorch.pc)
# libtorch's run-time path goes on the command line, not in Package.swift, so the
# package stays usable as a dependency (SwiftPM refuses unsafeFlags there).
RPATH = -Xlinker -rpath -Xlinker $(TORCH_DIR)/lib
SWIFT_BUILD_FLAGS ?=

.PHONY: setup build release test test-slow demo bench example clean fixtures

setup:
	@scripts/setup.sh >/dev/null

build: setup
	swift build $(RPATH) $(SWIFT_BUILD_FLAGS)

release: setup
	swift build -c release $(RPATH) $(SWIFT_BUILD_FLAGS)

test: setup
	swift build --build-tests $(RPATH) $(SWIFT_BUILD_FLAGS)
	# Serial: leak and memory tests read process-wide resident memory. A failure is repeated at
	# the end of the output (CI logs keep only their tail).
	scripts/run-tests.sh $(RPATH)
	$(MAKE) example

# Opt-in: tests that measure the resident set against tight budgets, in a process of their own.
test-slow: setup
	swift build --build-tests $(RPATH) $(SWIFT_BUILD_FLAGS)
	MRIKIT_SLOW_TESTS=1 scripts/run-tests.sh $(RPATH) --filter MemoryPlannerTests

demo: release
	.build/release/mrikit demo

bench: release
	scripts/setup-python-peer.sh
	scripts/setup-mri-peer.sh
	.build/release/mrikit bench

# Builds and runs the example package that depends on MRIKit by path.
example: setup
	cd Examples/UsingMRIKit && swift build $(RPATH) && swift run --skip-build $(RPATH) UsingMRIKit

# Regenerates the test fixtures with the reference tools (PyTorch, MONAI, fastMRI, BART, skimage,
# pygrappa, sigpy); the tests themselves never need them.
fixtures: setup
	scripts/setup-python-peer.sh
	scripts/setup-mri-peer.sh
	# A script names another interpreter with a `# fixture-python: .venv-NAME` line.
	for script in Tests/*/Fixtures/make_*.py; do \
	    venv=$$(sed -n 's/^# fixture-python: //p' "$$script"); echo "$$script ($${venv:-.venv})"; \
	    "$${venv:-.venv}/bin/python" "$$script" || exit 1; \
	done

clean:
	rm -rf .build Examples/UsingMRIKit/.build
