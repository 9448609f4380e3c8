package sqlite_test

import (
	"testing"

	"github.com/lexscreen/lexscreen/store/storetest"
)

// TestContract runs the store contract (store/storetest) on SQLite.
func TestContract(t *testing.T) { storetest.Run(t, storetest.OpenSQLite) }
