# Everyday commands. Each is one plain go command (see README "Development"):
# nothing here is needed to build or test lexscreen.

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: test lint eval bench fuzz ci run

test: ## all tests, offline (the README's test command)
	go test ./...

lint: ## go vet and staticcheck (as .ci/run does)
	go vet ./...
	go run $(STATICCHECK) ./...

eval: ## matcher quality, before and after a matcher change (needs ../shared/eval)
	go run ./cmd/lexbench eval

bench: ## screening latency and store benchmarks on the bundled lists
	go test ./match -bench Screen -run '^$$'
	go test ./store/sqlite -bench . -run '^$$'

fuzz: ## a short fuzz run of the normaliser, the customer-file readers and the country table
	go test ./names -run '^$$' -fuzz FuzzFold -fuzztime 20s
	go test ./dates -run '^$$' -fuzz FuzzRead -fuzztime 20s
	go test ./batchfile -run '^$$' -fuzz FuzzNew -fuzztime 20s
	go test ./countries -run '^$$' -fuzz FuzzCode -fuzztime 20s

ci: ## what CI runs on a clean checkout
	./.ci/run

run: ## the README's main command, on the bundled lists
	go run ./cmd/lexscreen screen --operator eu-subsidiary-of-us-bank "Karim Khan"
