package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/audit"
)

// TestAuditDataPermissions: a data directory made by lexscreen, and the
// audit database in it (screened names, key hashes), are its owner's only.
func TestAuditDataPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, stderr, code := runLex(t, dir, "keys", "create", "--role", "auditor"); code != 0 {
		t.Fatalf("keys create: %d %s", code, stderr)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "audit.db"): 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, fi.Mode().Perm(), want)
		}
	}
}

// TestAuditVerifyCheckpoint: audit verify checks the signed checkpoints
// that serve writes next to audit.db, and reports a cut tail whose chain
// head was fixed (which the chain alone takes for intact).
func TestAuditVerifyCheckpoint(t *testing.T) {
	dir := t.TempDir()
	signer, _, err := audit.LoadOrCreateSigner(filepath.Join(dir, "audit.key"), "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := audit.OpenWith(context.Background(), filepath.Join(dir, "audit.db"), audit.Options{Checkpoint: audit.CheckpointOptions{
		Signer: signer, File: filepath.Join(dir, "audit.checkpoints"), Every: 5, Interval: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 12; i++ {
		rec := &audit.Record{Kind: "screen", KeyID: "k1", Request: json.RawMessage(`{"name":"Vladimir Putin"}`), Result: json.RawMessage(`{"matches":[{"id":"x"}]}`)}
		if err := db.Append(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, stderr, code := runLex(t, dir, "audit", "verify")
	if code != 0 || !strings.Contains(out, "OK: 12 records") || !strings.Contains(out, "records 1 to 12 proven") {
		t.Fatalf("intact: %d\n%s%s", code, out, stderr)
	}
	pub, _, _ := runLex(t, dir, "audit", "public-key")
	if strings.TrimSpace(pub) != signer.Verifier().String() {
		t.Errorf("public-key: %q, want %q", pub, signer.Verifier())
	}
	// Hide the last 4 screenings: delete them, fix the chain head.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec(`DELETE FROM records WHERE id > 8`)
	raw.Exec(`UPDATE chain_head SET last_id = 8, hash = (SELECT hash FROM records WHERE id = 8)`)
	raw.Close()
	cps := filepath.Join(dir, "audit.checkpoints")
	out, stderr, code = runLex(t, dir, "audit", "verify", "--checkpoint", cps, "--public-key", strings.TrimSpace(pub))
	if code == 0 || !strings.Contains(out, "TAMPERED") || !strings.Contains(out, "tail was cut") {
		t.Errorf("tail cut: %d\n%s%s", code, out, stderr)
	}
	// Checked with another log's key, the checkpoints prove nothing: said so.
	other, _ := audit.NewSigner("example.com/other")
	out, stderr, code = runLex(t, dir, "audit", "verify", "--checkpoint", cps, "--public-key", other.Verifier().String())
	if code == 0 || !strings.Contains(out, "not signed by the key") {
		t.Errorf("another key: %d\n%s%s", code, out, stderr)
	}
}
