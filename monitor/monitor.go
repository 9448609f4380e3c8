// Package monitor keeps a customer book screened as the lists change:
// after every new snapshot of a list it screens only the listed entities
// added or changed against an index of the book (reverse screening), and
// tells the workspace which listings were removed; after a change of the
// engine or threshold it re-screens the whole book. Runs are checkpointed
// in a SQLite file, so that a run killed half-way resumes where it
// stopped, and the Sink sees every (subject, listed entity) pair of a run
// once.
//
// The workspace (package workspace) supplies the Book and the Sink; the
// in-memory and JSON-lines ones here serve tests, `lexscreen monitor` and
// lexbench.
package monitor

import (
	"context"

	"github.com/lexscreen/lexscreen"
)

// Book is an operator's customer book.
type Book interface {
	// Each calls fn for every subject of the book, in id order, stopping at fn's error.
	Each(ctx context.Context, fn func(lexscreen.Subject) error) error
}

// Sink receives what a monitoring run finds.
type Sink interface {
	// Found records screenings of subjects that matched (one Result per subject, only matches at or
	// above the threshold), opening or updating alerts; idempotent for the same (run, subject, entity).
	Found(ctx context.Context, run string, results []SubjectResult) error
	// Removed notes that listed entities were removed from their lists (annotate/close their alerts).
	Removed(ctx context.Context, run string, entityIDs []string) error
}

// SubjectResult is the screening of one subject that matched.
type SubjectResult struct {
	Subject            lexscreen.Subject
	Result             lexscreen.Result
	EntityFingerprints map[string]string // entity id -> lexscreen.EntityFingerprint of the listing matched
}

// Reevaluator is a Sink that can re-evaluate the obligations of its open
// alerts when a legal fact changes (a warrant's status, a new overlay, a
// designation date) while the listings stay the same. The runner calls
// it with a function that gives the obligations of one match today; the
// Sink applies it to every open alert and records what changed.
type Reevaluator interface {
	Reevaluate(ctx context.Context, run string, obligations ObligationsFunc) error
}

// ObligationsFunc returns what the law requires of the operator for a
// match of a subject screened for operator (its obligations and the
// conflicts between regimes), as of now.
type ObligationsFunc func(operator string, m lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error)
