package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/monitor"
)

// TestMonitor: a first run screens the whole book; a run with no list
// changed does nothing; a new list is screened against the book alone
// (its entities found in the book, nothing else); a new version of it
// finds the changed listing again and reports the removed one.
func TestMonitor(t *testing.T) {
	t.Parallel()
	dir := bundledDir(t)
	tmp := t.TempDir()
	book := filepath.Join(tmp, "customers.csv")
	rows := []string{"id,name,type,dob,country",
		"c01,Ingeborg Abrahamsn,person,1972-11-21,NO", // a listed name of the custom list, misspelt
		"c02,Acme Trading L.L.C.,organization,,",
		"c03,Vladimir Vladimirovich Putin,person,1952-10-07,RU", // on the bundled lists
		"c04,,person,,", // no name: reported, not screened
	}
	for _, n := range []string{"Kathryn Barr", "Pierre Dubois", "Maria Garcia Lopez", "Oleksandr Kovalenko", "Wei Zhang",
		"Blue River Logistics GmbH", "Hannah Schmidt", "Juan Perez", "Emily Clark", "Raj Patel"} {
		rows = append(rows, "x"+strings.ReplaceAll(strings.ToLower(n), " ", "")+","+n+",,,")
	}
	if err := os.WriteFile(book, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "findings.jsonl")
	run := func(args ...string) monitorReport {
		t.Helper()
		stdout, stderr, code := lex(t, dir, append([]string{"monitor", "--book", book, "--out", out, "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("monitor: exit %d\n%s\n%s", code, stdout, stderr)
		}
		var rep monitorReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		return rep
	}
	findings := func(run string) (found map[string][]string, removed []string) {
		t.Helper()
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		found = map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			var fd monitor.Finding
			if err := json.Unmarshal([]byte(line), &fd); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			if fd.Run != run {
				continue
			}
			if fd.Kind == "removed" {
				removed = append(removed, fd.EntityID)
				continue
			}
			for _, m := range fd.Result.Matches {
				found[fd.Subject.ID] = append(found[fd.Subject.ID], m.Entity.ID)
				if fd.EntityFingerprints[m.Entity.ID] == "" {
					t.Errorf("%s ~ %s without the listing's fingerprint", fd.Subject.ID, m.Entity.ID)
				}
			}
		}
		return found, removed
	}

	first := run()
	if first.Stats == nil || first.Stats.Kind != monitor.KindFull || len(first.BadRows) != 1 {
		t.Fatalf("first run: %+v", first)
	}
	found, _ := findings(first.Stats.Run)
	if len(found["c03"]) == 0 || len(found["c01"]) != 0 {
		t.Errorf("first run found %v: want Putin (c03) and no custom listing yet", found)
	}

	if again := run(); again.Stats != nil || again.Skipped == "" {
		t.Errorf("no list changed, yet: %+v", again)
	}

	if o, e, code := lex(t, dir, "import", "testdata/custom/bank-internal.csv"); code != 0 {
		t.Fatalf("import: %d %s %s", code, o, e)
	}
	d := run()
	if d.Stats == nil || d.Stats.Kind != monitor.KindDelta || d.Stats.Added != 2 || d.Stats.Changed != 0 {
		t.Fatalf("after a new list: %+v", d.Stats)
	}
	found, _ = findings(d.Stats.Run)
	if strings.Join(found["c01"], ",") != "bank-internal:b2" || strings.Join(found["c02"], ",") != "bank-internal:b1" || len(found) != 2 {
		t.Errorf("delta run found %v: want c01 ~ b2 and c02 ~ b1 only", found)
	}

	// A new version: b1 delisted, b2's listing changed (a date of birth
	// given as a year).
	v2 := filepath.Join(tmp, "v2")
	os.MkdirAll(v2, 0o755)
	os.WriteFile(filepath.Join(v2, "bank-internal.csv"), []byte("ID,Name,Type,Source,Date of Birth\nb2,Ingeborg Abrahamsen,Person,bank-internal,1972\n"), 0o644)
	if o, e, code := lex(t, dir, "import", "--force", filepath.Join(v2, "bank-internal.csv")); code != 0 {
		t.Fatalf("import v2: %d %s %s", code, o, e)
	}
	d2 := run()
	if d2.Stats == nil || d2.Stats.Changed != 1 || d2.Stats.Removed != 1 || d2.Stats.Added != 0 {
		t.Fatalf("after v2: %+v", d2.Stats)
	}
	found, removed := findings(d2.Stats.Run)
	if strings.Join(found["c01"], ",") != "bank-internal:b2" || len(found) != 1 || strings.Join(removed, ",") != "bank-internal:b1" {
		t.Errorf("v2 run found %v, removed %v", found, removed)
	}

	// Text output names the run and where the findings are.
	stdout, _, code := lex(t, dir, "monitor", "--book", book, "--out", out, "--full")
	if code != 0 || !strings.Contains(stdout, "full") || !strings.Contains(stdout, out) || !strings.Contains(stdout, "line 5") {
		t.Errorf("text output: exit %d\n%s", code, stdout)
	}
	if _, stderr, code := lex(t, dir, "monitor", "--out", out); code != 2 || !strings.Contains(stderr, "--book") {
		t.Errorf("--out without --book: exit %d %s", code, stderr)
	}
}
