// Package lexscreen holds the domain of the lexscreen screening engine: the
// canonical entities that every official list is parsed into, the snapshots
// that record each import, and the application errors that the CLI and the
// HTTP API turn into messages and exit codes.
//
// The package has no dependencies beyond the standard library. Parsers live in
// source/..., persistence in store/..., the command line in cmd/lexscreen.
package lexscreen
