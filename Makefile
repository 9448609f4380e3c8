# Everyday commands. Each is one plain go command (see README "Development"):
# nothing here is needed to build or test lexscreen.

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: test cover lint eval bench bench-index fuzz ci run screenshots

test: ## all tests, offline (the README's test command)
	go test ./...

cover: ## coverage of every package, cmd/ included, by package (cover.out; go tool cover -html=cover.out to browse)
	go test -coverprofile=cover.out -coverpkg=./... ./...
	@awk -f scripts/coverage-by-package.awk cover.out

lint: ## go vet and staticcheck (as .ci/run does)
	go vet ./...
	go run $(STATICCHECK) ./...

eval: ## matcher quality, before and after a matcher change (needs ../shared/eval)
	go run ./cmd/lexbench eval

bench: ## screening latency and store benchmarks on the bundled lists
	go test ./match -bench Screen -run '^$$'
	go test ./store/sqlite -bench . -run '^$$'

bench-index: ## cold screening with and without the persisted index, server time to ready, a 1M-entity index load (medians)
	go build -o $${TMPDIR:-/tmp}/lexscreen-bench-index ./cmd/lexscreen
	$${TMPDIR:-/tmp}/lexscreen-bench-index screen "Karim Khan" >/dev/null
	go run ./cmd/lexbench index -data $${LEXSCREEN_DATA:-$${XDG_DATA_HOME:-$$HOME/.local/share}/lexscreen} -lexscreen $${TMPDIR:-/tmp}/lexscreen-bench-index

fuzz: ## a short fuzz run of the normaliser, the customer-file readers, the country table and the index decoder
	go test ./names -run '^$$' -fuzz FuzzFold -fuzztime 20s
	go test ./dates -run '^$$' -fuzz FuzzRead -fuzztime 20s
	go test ./batchfile -run '^$$' -fuzz FuzzNew -fuzztime 20s
	go test ./match -run '^$$' -fuzz FuzzIndexDecode -fuzztime 20s
	go test ./countries -run '^$$' -fuzz FuzzCode -fuzztime 20s

screenshots: ## refresh docs/screenshots/ from the web interface's browser tests (needs chromium)
	LEXSCREEN_SCREENSHOTS=$(CURDIR)/docs/screenshots go test ./web -count=1

ci: ## what CI runs on a clean checkout
	./.ci/run

run: ## the README's main command, on the bundled lists
	go run ./cmd/lexscreen screen --operator eu-subsidiary-of-us-bank "Karim Khan"
