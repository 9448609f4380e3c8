package postgres_test

import (
	"testing"

	"github.com/lexscreen/lexscreen/store/storetest"
)

// TestContract runs the store contract (store/storetest) on PostgreSQL
// (LEXSCREEN_TEST_POSTGRES; skipped without it, failed with
// LEXSCREEN_REQUIRE_POSTGRES=1).
func TestContract(t *testing.T) {
	storetest.PostgresDSN(t) // one loud skip rather than one per case
	storetest.Run(t, storetest.OpenPostgres)
}
