package sharedtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

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

// LocatedError checks that err is a *lexscreen.Error that names file and a
// line, and says want; name names the case in failures.
func LocatedError(t testing.TB, name string, err error, file, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", name)
		return
	}
	var le *lexscreen.Error
	if !errors.As(err, &le) || le.File != file || le.Line == 0 {
		t.Errorf("%s: error %#v not located in %s", name, err, file)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %q, want %q", name, err, want)
	}
}
