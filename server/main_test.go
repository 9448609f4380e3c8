package server

import (
	"os"
	"testing"

	"github.com/lexscreen/lexscreen/workspace"
)

// TestMain makes the password hashes of the tests' users cheap: the
// tests create and sign in users again and again, and each real hash
// costs three passes over 64 MiB. The workspace package's own tests keep
// the real cost.
func TestMain(m *testing.M) {
	workspace.CheapPasswordHashes()
	os.Exit(m.Run())
}
