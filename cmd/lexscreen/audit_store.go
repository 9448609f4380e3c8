package main

import (
	"cmp"
	"os"
	"path/filepath"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/store/postgres"
)

// openAudit opens the audit log and API keys: in the PostgreSQL database
// of --store (or $LEXSCREEN_STORE) when it names one, where every replica
// on that database appends to one chain and shares the keys; else in
// <dir>/audit.db. The signing key and checkpoints file stay per replica
// (opts).
func (a *app) openAudit(dir string, opts audit.Options) (*audit.DB, error) {
	loc := cmp.Or(a.storeURL, os.Getenv("LEXSCREEN_STORE"))
	if !postgres.IsDSN(loc) {
		return audit.OpenWith(a.ctx, filepath.Join(dir, "audit.db"), opts)
	}
	if old := filepath.Join(dir, "audit.db"); a.signCheckpoints {
		if _, err := os.Stat(old); err == nil {
			a.note("The audit log and API keys are in the PostgreSQL database of --store; %s, from before, is no longer written or read (keep it: it verifies with `lexscreen audit verify` without --store).", old)
		}
	}
	return audit.OpenPostgres(a.ctx, loc, opts)
}
