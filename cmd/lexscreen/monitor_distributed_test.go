package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/distributed/natsembed"
	"github.com/lexscreen/lexscreen/monitor"
)

// monitor --distributed, screened by a worker, finds what a local run
// finds, match for match (scores, explanations, obligations), in a full
// re-screen; and the delta of a new list, which the worker, started on
// the older lists, picks up from its store. (Package distributed checks
// deltas against local runs pair for pair.)
func TestMonitorDistributedSameAsLocal(t *testing.T) {
	dir := bundledDir(t)
	ns, err := natsembed.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	tmp := t.TempDir()
	results := filepath.Join(tmp, "results.db")
	// The messy customers, and two near the listings of the custom list.
	messy, err := os.ReadFile(filepath.Join("testdata", "messy_customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(tmp, "book.csv")
	extra := "c21;Ingeborg Abrahamsn;21.11.1972;Norway;individual;\nc22;Acme Trading L.L.C.;;;organization;\n"
	if err := os.WriteFile(book, append(messy, extra...), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(context.Background())
	workerDone := make(chan int)
	var workerErr bytes.Buffer
	go func() {
		workerDone <- run(ctx, []string{"--data-dir", dir, "-q", "worker", "--nats", ns.ClientURL(), "--results", results,
			"--slots", "2", "--ack-wait", "10s"}, strings.NewReader(""), io.Discard, &workerErr)
	}()
	defer func() {
		stop()
		if code := <-workerDone; code != exitOK {
			t.Errorf("worker: exit %d: %s", code, workerErr.String())
		}
	}()

	monitorBook := func(out string, args ...string) (monitorReport, map[string]string) {
		t.Helper()
		stdout, stderr, code := lex(t, dir, append([]string{"monitor", "--json", "--operator", "eu-bank", "--book", book, "--out", out}, args...)...)
		if code != exitOK {
			t.Fatalf("monitor %v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
		var rep monitorReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Stats == nil {
			t.Fatalf("monitor %v: %v\n%s", args, err, stdout)
		}
		return rep, bookFindings(t, out, rep.Stats.Run)
	}
	distributed := []string{"--chunk", "4", "--distributed", ns.ClientURL(), "--results", results}
	check := func(what string, local, dist map[string]string, distRep monitorReport) {
		t.Helper()
		if len(local) == 0 {
			t.Fatalf("%s: the local run found nothing to compare with", what)
		}
		for k, v := range local {
			if dist[k] != v {
				t.Errorf("%s: %s\n got %.400s\nwant %.400s", what, k, dist[k], v)
			}
		}
		for k := range dist {
			if _, ok := local[k]; !ok {
				t.Errorf("%s: %s found by the distributed run only", what, k)
			}
		}
		if distRep.Stats.Remote == 0 {
			t.Errorf("%s: no chunk was screened on a worker: %+v", what, distRep.Stats)
		}
	}

	_, localFull := monitorBook(filepath.Join(tmp, "local.jsonl"), "--full")
	distRep, distFull := monitorBook(filepath.Join(tmp, "dist.jsonl"), append([]string{"--full"}, distributed...)...)
	check("full", localFull, distFull, distRep)

	// A new list: the distributed delta finds the customers near its two
	// listings (the worker, started on the older lists, picks it up).
	if o, e, code := lex(t, dir, "import", "testdata/custom/bank-internal.csv"); code != exitOK {
		t.Fatalf("import: %d %s %s", code, o, e)
	}
	distRep, distDelta := monitorBook(filepath.Join(tmp, "dist.jsonl"), distributed...)
	if distRep.Stats.Kind != monitor.KindDelta || distRep.Stats.Added != 2 || distRep.Stats.Remote == 0 {
		t.Fatalf("after a new list: %+v, want a delta of 2 listings added, screened on the worker", distRep.Stats)
	}
	var pairs []string
	for k := range distDelta {
		pairs = append(pairs, k)
	}
	slices.Sort(pairs)
	// c17 is the listed name itself, c21 misspelt, c22 the firm with
	// another legal-form spelling.
	want := "c17 ~ bank-internal:b2, c21 ~ bank-internal:b2, c22 ~ bank-internal:b1"
	if got := strings.Join(pairs, ", "); got != want {
		t.Errorf("delta found %s; want %s", got, want)
	}
}

// bookFindings reads the findings of run in a findings file: the JSON of
// each match (entity, score, explanation, obligations) by "subject ~
// entity".
func bookFindings(t *testing.T, path, run string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var fd monitor.Finding
		if err := json.Unmarshal([]byte(line), &fd); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if fd.Run != run || fd.Kind != "found" {
			continue
		}
		for _, m := range fd.Result.Matches {
			b, _ := json.Marshal(m)
			k := fd.Subject.ID + " ~ " + m.Entity.ID
			if _, dup := out[k]; dup {
				t.Errorf("%s found twice in run %s", k, run)
			}
			out[k] = string(b) + " fingerprint " + fd.EntityFingerprints[m.Entity.ID]
		}
	}
	return out
}

// monitor --distributed without --results, or with something that is not
// a URL, says what is missing.
func TestMonitorDistributedNeedsQueue(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ args, want string }{
		{"--distributed nats://127.0.0.1:1", "--results"},
		{"--distributed 127.0.0.1 --results r.db", "nats://"},
	} {
		args := append([]string{"monitor", "--book", filepath.Join("testdata", "messy_customers.csv"), "--out", filepath.Join(dir, "f.jsonl")}, strings.Fields(tc.args)...)
		_, errOut, code := lex(t, dir, args...)
		if code != exitInvalid || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit %d naming %s", tc.args, code, errOut, exitInvalid, tc.want)
		}
	}
}
