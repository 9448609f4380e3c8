package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// book writes a customer file of n subjects: the listed persons and
// organisations given (as customers write them) and made-up customers.
func writeBook(t *testing.T, dir string, n int, listed map[string]string) string {
	t.Helper()
	first := []string{"Anna", "Lars", "Sofia", "Mehmet", "Chen", "Olga", "Pedro", "Fatima", "Jonas", "Ines", "Tomasz", "Yuki", "Amara", "Henrik", "Lucia"}
	last := []string{"Lindqvist", "Okafor", "Moreau", "Kowalczyk", "Haugen", "Ferreira", "Nakamura", "Brennan", "Van Dijk", "Rossi", "Sandoval", "Eriksen", "Petit", "Novak", "Weber"}
	r := rand.New(rand.NewPCG(13, 13))
	var b strings.Builder
	b.WriteString("Customer ID,Full Name,Date of Birth,Nationality,Type\n")
	i := 0
	for id, name := range listed {
		fmt.Fprintf(&b, "%s,%q,,,%s\n", id, name, map[bool]string{true: "organization", false: "person"}[strings.HasPrefix(id, "ORG")])
		i++
	}
	for ; i < n; i++ {
		fmt.Fprintf(&b, "C-%05d,%s %s,%d-%02d-%02d,%s,person\n", i, first[r.IntN(len(first))], last[r.IntN(len(last))],
			1940+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28), []string{"NO", "SE", "DE", "FR", "PT", "PL"}[r.IntN(6)])
	}
	p := filepath.Join(dir, "book.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type alertsOut struct {
	Alerts []struct {
		ID        int64  `json:"id"`
		Status    string `json:"status"`
		SubjectID string `json:"subject_id"`
		EntityID  string `json:"entity_id"`
	} `json:"alerts"`
	Total int `json:"total"`
}

// The "Done when", the workspace's part: a book of 1,000 subjects
// with listed persons from the bundled lists; alerts open; four eyes
// (the same user approving is refused); screening again on the same lists
// opens nothing new; then monitoring (monitorEndToEnd).
func TestWorkspaceEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("screens 1,000 subjects on the bundled lists")
	}
	dir := bundledDir(t)
	for _, u := range [][2]string{{"ana", "analyst"}, {"bob", "approver"}, {"eve", "auditor"}} {
		if _, errOut, code := runLexInput(t, dir, strings.NewReader("a long enough password\n"), "users", "create", u[0], "--role", u[1], "--password-stdin"); code != 0 {
			t.Fatalf("users create %s: %d %s", u[0], code, errOut)
		}
	}
	listed := map[string]string{"ORG-1": "Banco Nacional de Cuba", "P-1": "Karim Asad Ahmad Khan", "P-2": "Ramzan Kadyrov", "P-3": "Vladimir Putin"}
	book := writeBook(t, t.TempDir(), 1000, listed)
	if _, errOut, code := lex(t, dir, "subjects", "import", book, "--operator", "us-bank"); code != 2 || !strings.Contains(errOut, "--as") {
		t.Fatalf("anonymous import: %d %s", code, errOut)
	}
	out, errOut, code := lex(t, dir, "subjects", "import", book, "--operator", "us-bank", "--as", "ana", "--json")
	if code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	var imp struct {
		Import struct{ Created, Failed int }
		Alerts struct{ Opened []int64 }
	}
	json.Unmarshal([]byte(out), &imp)
	if imp.Import.Created != 1000 || len(imp.Alerts.Opened) < len(listed) {
		t.Fatalf("import: %s", out)
	}
	out, _, _ = lex(t, dir, "alerts", "list", "--queue", "--limit", "1000", "--json")
	var q alertsOut
	if err := json.Unmarshal([]byte(out), &q); err != nil {
		t.Fatal(err)
	}
	hit := map[string]int64{}
	for _, a := range q.Alerts {
		if _, ok := listed[a.SubjectID]; ok && hit[a.SubjectID] == 0 {
			hit[a.SubjectID] = a.ID
		}
	}
	if len(hit) != len(listed) {
		t.Fatalf("listed subjects alerted: %v of %v", hit, listed)
	}
	t.Logf("1,000 subjects: %d alerts (%d on the %d listed subjects)", len(q.Alerts), len(hit), len(listed))
	id := fmt.Sprint(hit["ORG-1"])
	if _, errOut, code := lex(t, dir, "alerts", "decide", id, "--outcome", "false_positive", "--reason", "our customer is a namesake", "--as", "ana"); code != 0 {
		t.Fatalf("decide: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "approve", id, "--as", "ana"); code != 2 {
		t.Fatalf("analyst approval: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "decide", fmt.Sprint(hit["P-1"]), "--outcome", "true_match", "--reason", "same person", "--as", "bob"); code != 0 {
		t.Fatalf("decide: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "approve", fmt.Sprint(hit["P-1"]), "--as", "bob"); code != 4 || !strings.Contains(errOut, "four eyes") {
		t.Fatalf("self-approval: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "approve", id, "--as", "bob"); code != 0 {
		t.Fatalf("approve: %d %s", code, errOut)
	}
	if out, _, _ := lex(t, dir, "alerts", "show", id); !strings.Contains(out, "approved by user:bob") || !strings.Contains(out, "false_positive") {
		t.Fatalf("show: %s", out)
	}
	// The same lists again: no new alert; the approved false positive is suppressed.
	out, errOut, code = lex(t, dir, "subjects", "screen", "--as", "ana", "--json")
	if code != 0 {
		t.Fatalf("screen again: %d %s", code, errOut)
	}
	var again struct {
		Alerts struct {
			Opened     []int64
			Unchanged  int
			Suppressed int
		}
	}
	json.Unmarshal([]byte(out), &again)
	if len(again.Alerts.Opened) != 0 || again.Alerts.Suppressed == 0 || again.Alerts.Unchanged == 0 {
		t.Fatalf("screened again on the same lists: %s", out)
	}
	if _, _, code := lex(t, dir, "subjects", "import", book, "--operator", "us-bank", "--as", "ana"); code != 0 {
		t.Fatalf("re-import: %d", code)
	}
	x := filepath.Join(t.TempDir(), "alerts.xlsx")
	if _, errOut, code := lex(t, dir, "alerts", "export", "--format", "xlsx", "-o", x); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	if fi, err := os.Stat(x); err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", fi, err)
	}
	if out, _, _ := lex(t, dir, "audit", "verify", "--json"); !strings.Contains(out, `"ok": true`) {
		t.Fatalf("audit chain after the workspace's actions: %s", out)
	}
	t.Run("monitor", func(t *testing.T) { monitorEndToEnd(t, dir, book, hit["ORG-1"]) })
}

func TestWorkspaceCLIErrors(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := lex(t, dir, "alerts", "show", "x1"); code != 2 || !strings.Contains(errOut, "want its number") {
		t.Fatalf("bad id: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "show", "99"); code != 3 {
		t.Fatalf("missing alert: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "decide", "1", "--outcome", "true_match", "--reason", "x", "--as", "nobody"); code != 3 || !strings.Contains(errOut, "users create") {
		t.Fatalf("unknown user: %d %s", code, errOut)
	}
	if _, errOut, code := runLexInput(t, dir, strings.NewReader("short\n"), "users", "create", "ana", "--role", "analyst", "--password-stdin"); code != 2 {
		t.Fatalf("short password: %d %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "alerts", "export", "--format", "xlsx"); code != 2 || !strings.Contains(errOut, "-o") {
		t.Fatalf("xlsx to stdout: %d %s", code, errOut)
	}
}
