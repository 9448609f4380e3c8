package sharedtest

import "github.com/lexscreen/lexscreen"

// Names returns the full names of e of one kind, in order.
func Names(e *lexscreen.Entity, kind lexscreen.NameKind) []string {
	var out []string
	for _, n := range e.Names {
		if n.Kind == kind {
			out = append(out, n.Full)
		}
	}
	return out
}

// FindName returns the name of e written full, or nil.
func FindName(e *lexscreen.Entity, full string) *lexscreen.Name {
	for i := range e.Names {
		if e.Names[i].Full == full {
			return &e.Names[i]
		}
	}
	return nil
}

// Dates returns the dates as text (YYYY, YYYY-MM, YYYY-MM-DD, ranges).
func Dates(vs []lexscreen.DateValue) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.String())
	}
	return out
}
