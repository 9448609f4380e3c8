package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: bad line %q: %v", path, sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// batch screens every row in order, reports bad rows without stopping,
// and resumes an interrupted run.
func TestBatch(t *testing.T) {
	dir := t.TempDir()
	lists(t, dir) // load the bundled lists once
	in := filepath.Join(t.TempDir(), "customers.csv")
	os.WriteFile(in, []byte("ID,Full_Name,Date_of_Birth,Nationality,Type\n"+
		"c1,Karim Asad Ahmad Khan,1970-03-30,United Kingdom,person\n"+
		"c2,Ingeborg Abrahamsen,1972-11-21,France,person\n"+
		"c3,Francesca Albanese,1977-31-31,Italy,person\n"+ // invalid date: an error line, the run goes on
		"c4,,,,\n"+ // no name
		",Al Haq,,,organization\n"), 0o644) // no id: row-5
	out := filepath.Join(t.TempDir(), "results.jsonl")
	if _, errOut, code := lex(t, dir, "batch", "--input", in, "--output", out); code != 0 {
		t.Fatalf("batch: exit %d: %s", code, errOut)
	}
	lines := readLines(t, out)
	if len(lines) != 5 {
		t.Fatalf("%d output lines, want 5", len(lines))
	}
	idOf := func(m map[string]any) string {
		if q, ok := m["query"].(map[string]any); ok {
			return q["id"].(string)
		}
		return m["id"].(string)
	}
	for i, want := range []string{"c1", "c2", "c3", "c4", "row-5"} {
		if got := idOf(lines[i]); got != want {
			t.Errorf("line %d: id %q, want %q (input order)", i+1, got, want)
		}
	}
	if ms := lines[0]["matches"].([]any); len(ms) == 0 {
		t.Error("c1 (the ICC prosecutor) did not match")
	}
	if ms := lines[1]["matches"].([]any); len(ms) != 0 {
		t.Errorf("c2 matched: %v", ms)
	}
	for _, i := range []int{2, 3} {
		e, ok := lines[i]["error"].(map[string]any)
		if !ok || e["code"] != "invalid" || e["line"] == nil {
			t.Errorf("line %d: want a located error, got %v", i+1, lines[i])
		}
	}

	// An interrupted run: keep two whole lines and half of the third.
	b, _ := os.ReadFile(out)
	cut := strings.Index(string(b), "\n") + 1
	cut += strings.Index(string(b[cut:]), "\n") + 1
	os.WriteFile(out, b[:cut+10], 0o644)
	_, errOut, code := lex(t, dir, "batch", "--input", in, "--output", out)
	if code != 0 || !strings.Contains(errOut, "2 already done") {
		t.Fatalf("resume: exit %d: %s", code, errOut)
	}
	if lines := readLines(t, out); len(lines) != 5 {
		t.Errorf("after resume: %d lines, want 5", len(lines))
	}

	// JSON lines in, with the same keys.
	jin := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(jin, []byte(`{"id":"j1","name":"Kareem Khan","type":"person","dob":"1970"}`+"\n"+`not json`+"\n"), 0o644)
	jout := filepath.Join(t.TempDir(), "j.jsonl")
	if _, errOut, code := lex(t, dir, "batch", "--input", jin, "--output", jout); code != 0 {
		t.Fatalf("jsonl batch: exit %d: %s", code, errOut)
	}
	if jl := readLines(t, jout); len(jl) != 2 || jl[1]["error"] == nil {
		t.Errorf("jsonl batch: %v", jl)
	}
}

// fileCommand runs a command that reads --input and writes JSON lines to
// --output (batch, score-pairs) on the bundled lists, with an input file
// of the given name and content, and returns the output lines.
func fileCommand(t *testing.T, cmd, name, content string) []map[string]any {
	t.Helper()
	dir := t.TempDir()
	lists(t, dir)
	in := filepath.Join(t.TempDir(), name)
	os.WriteFile(in, []byte(content), 0o644)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	if _, errOut, code := lex(t, dir, cmd, "--input", in, "--output", out); code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, errOut)
	}
	return readLines(t, out)
}

// score-pairs scores labelled pairs at the default threshold.
func TestScorePairs(t *testing.T) {
	lines := fileCommand(t, "score-pairs", "pairs.csv",
		"id,name1,name2,schema\np1,Olaf Scholz,Olaf Scholz,Person\np2,Siemens AG,Siemens Aktiengesellschaft,Company\np3,John Smith,Jane Doe,Person\n")
	got := map[string]bool{}
	for _, l := range lines {
		got[l["id"].(string)] = l["match"].(bool)
	}
	if !got["p1"] || !got["p2"] || got["p3"] {
		t.Errorf("score-pairs: %v", got)
	}
}

// A row with a quote that never closes is reported as a bad row with its
// line; it used to crash batch.
func TestBatchUnclosedQuote(t *testing.T) {
	lines := fileCommand(t, "batch", "names.csv", "full_name\nIngeborg Abrahamsen\n\"Merel West\nFrancesca Albanese\n")
	if len(lines) != 2 {
		t.Fatalf("%d output lines, want 2 (a good row, then the bad one)", len(lines))
	}
	if e, ok := lines[1]["error"].(map[string]any); !ok || e["line"] == nil || !strings.Contains(e["message"].(string), "quote") {
		t.Errorf("want a located error about the quote, got %v", lines[1])
	}
}
