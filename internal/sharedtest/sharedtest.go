// Package sharedtest finds the shared data folder (real list files and
// evaluation data) for tests that use it when it is there. The folder is
// $LEXSCREEN_SHARED, else "shared" beside the repository; tests must pass
// without it, so Path skips the test when a file is missing.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the shared folder: $LEXSCREEN_SHARED, else ../shared from
// the module root (found from the working directory up to go.mod).
func Root() string {
	if d := os.Getenv("LEXSCREEN_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return "../shared"
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "../shared"
		}
		dir = parent
	}
}

// Path joins rel to the shared folder and skips the test when the result
// does not exist: "data/lists/un/2026-02-27/consolidated.xml".
func Path(t testing.TB, rel ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{Root()}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data not present: %s", p)
	}
	return p
}
