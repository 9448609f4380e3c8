package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Subjects imported without screening after the first monitoring run are
// screened by the next run although no list changed (a run that looked
// only at what changed in the lists would never match them); the run
// after that has nothing left to screen and opens nothing twice.
func TestMonitorScreensUnscreenedSubjects(t *testing.T) {
	t.Parallel()
	dir := bundledDir(t)
	tmp := t.TempDir()
	if _, errOut, code := lex(t, dir, "users", "create", "ana", "--role", "analyst"); code != 0 {
		t.Fatal(errOut)
	}
	first := filepath.Join(tmp, "book1.csv")
	os.WriteFile(first, []byte("id,name,dob\nk1,Maria Fernanda Oliveira,1988-04-02\n"), 0o600)
	if _, errOut, code := lex(t, dir, "subjects", "import", first, "--operator", "us-bank", "--as", "ana"); code != 0 {
		t.Fatal(errOut)
	}
	if rep := monitorWS(t, dir); rep.Stats == nil || rep.Stats.Kind != "full" {
		t.Fatalf("first run: %+v", rep)
	}
	// Imported without screening: a listed person and a customer who is not.
	second := filepath.Join(tmp, "book2.csv")
	os.WriteFile(second, []byte("id,name,dob\nk2,Vladimir Vladimirovich Putin,1952-10-07\nk3,Jonas Petersen,1990-01-15\n"), 0o600)
	if _, errOut, code := lex(t, dir, "subjects", "import", second, "--operator", "us-bank", "--no-screen", "--as", "ana"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ := lex(t, dir, "alerts", "list", "--subject", "k2", "--json")
	if strings.Contains(out, `"entity_id"`) {
		t.Fatalf("an alert before any screening: %s", out)
	}
	rep := monitorWS(t, dir)
	if rep.Skipped == "" {
		t.Errorf("no list changed, yet the run was not a skip of the lists: %+v", rep)
	}
	if u := rep.Unscreened; u == nil || u.Waiting != 2 || u.Screened != 2 || u.Matched != 1 || len(u.Failed) != 0 {
		t.Fatalf("subjects imported without screening: %+v", rep.Unscreened)
	}
	if rep.Alerts == nil || len(rep.Alerts.Opened) == 0 {
		t.Fatalf("no alert opened for the listed person: %+v", rep.Alerts)
	}
	out, _, _ = lex(t, dir, "alerts", "list", "--subject", "k2", "--json")
	if !strings.Contains(out, `"entity_id"`) {
		t.Errorf("k2's alerts: %s", out)
	}
	rep = monitorWS(t, dir)
	if u := rep.Unscreened; u == nil || u.Waiting != 0 || u.Screened != 0 || len(rep.Alerts.Opened) != 0 {
		t.Errorf("the run after: %+v, alerts %+v", rep.Unscreened, rep.Alerts)
	}
}
