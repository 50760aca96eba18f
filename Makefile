# Ligne: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/ligne-app/ligne/internal/version.version=$(VERSION)
BIN := bin
TEST_TIMEOUT ?= 60m

.PHONY: run build test check vet fmt-check test-go screenshot deps-build deps-test bench clean dist deps-dist

## run: install what is missing, build, and start Ligne (the demo workspace when no account exists yet)
run: deps-build build
	$(BIN)/ligne --demo

## build: build the window program and lignectl into bin/
build: go-check
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/ligne .
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/lignectl ./cmd/lignectl

## test: install the build and test dependencies, then every check and the whole suite with -race
test: deps-build deps-test check test-go

check: fmt-check vet

fmt-check:
	@bad=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^vendor/')); \
	if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi

vet: go-check
	$(GO) vet ./...

test-go: go-check
	$(GO) test -race -timeout $(TEST_TIMEOUT) ./...

## screenshot: run the program under Xvfb (demo workspace, then a real call through Kamailio and baresip)
## and write a PNG per section, one during a call and one with an incoming call, to docs/screenshots/
screenshot: deps-build deps-test go-check
	$(GO) test -count=1 -run 'TestScreenshots' . -args -shots=$(CURDIR)/docs/screenshots

## fuzz: run every fuzz target for FUZZTIME each (default 60s; `make test` runs their seed corpora);
## results and findings in docs/RELIABILITY.md
FUZZTIME ?= 60s
.PHONY: fuzz
fuzz: go-check
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## bench: run the benchmarks whose figures are in docs/PERFORMANCE.md
bench: go-check
	$(GO) test -run '^$$' -bench . -benchmem ./...

## dist: build every installer that can be built on Linux into dist/, with SHA256SUMS and release notes
## (Linux: fyne tarball and .deb; Windows: NSIS installer and zip; macOS: see .github/workflows/macos.yml)
dist: deps-build deps-dist go-check
	VERSION=$(VERSION) scripts/dist.sh -o dist all

deps-build:
	scripts/deps.sh build run

deps-dist:
	scripts/deps.sh dist

deps-test:
	scripts/deps.sh test

go-check:
	@scripts/check-go.sh

clean:
	rm -rf $(BIN) dist
