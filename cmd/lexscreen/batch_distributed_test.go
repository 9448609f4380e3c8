package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/distributed/natsembed"
)

// batch --distributed, screened by a worker, writes the same file, byte
// for byte, as a local batch; run again, it publishes nothing and writes
// the same again.
func TestBatchDistributedSameAsLocal(t *testing.T) {
	t.Parallel()
	dir := bundledDir(t)
	ns, err := natsembed.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	results := filepath.Join(t.TempDir(), "results.db")
	in := filepath.Join("testdata", "messy_customers.csv")
	local := filepath.Join(t.TempDir(), "local.jsonl")
	_, errOut, localCode := lex(t, dir, "batch", "--input", in, "--output", local, "--operator", "eu-bank")
	if localCode != exitOK && localCode != exitPartial {
		t.Fatalf("local batch: exit %d: %s", localCode, errOut)
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

	dist := filepath.Join(t.TempDir(), "dist.jsonl")
	args := []string{"--json", "batch", "--distributed", "--nats", ns.ClientURL(), "--results", results, "--chunk-rows", "6",
		"--input", in, "--output", dist, "--operator", "eu-bank"}
	out, errOut, code := lex(t, dir, args...)
	if code != localCode {
		t.Fatalf("distributed batch: exit %d, local %d: %s", code, localCode, errOut)
	}
	var sum batchSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	if sum.Rows != 20 || sum.Screened+sum.NotScreened != 20 || sum.Matched == 0 || sum.ExitCode != code {
		t.Errorf("summary %+v: want 20 rows, all accounted for, some matched, exit code %d", sum, code)
	}
	sameFile(t, local, dist)

	// Again: every row is stored, nothing is published, same output.
	os.Remove(dist)
	_, errOut, code = lex(t, dir, append([]string{"-q"}, args[1:]...)...)
	if code != localCode {
		t.Fatalf("distributed batch again: exit %d: %s", code, errOut)
	}
	sameFile(t, local, dist)
}

func sameFile(t *testing.T, want, got string) {
	t.Helper()
	w, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w, g) {
		wl, gl := strings.Split(string(w), "\n"), strings.Split(string(g), "\n")
		for i := range min(len(wl), len(gl)) {
			if wl[i] != gl[i] {
				t.Fatalf("%s differs from %s at line %d:\n got %.300s\nwant %.300s", got, want, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s has %d lines, %s %d", got, len(gl), want, len(wl))
	}
}

// A distributed batch without --nats or --results says what is missing.
func TestBatchDistributedNeedsQueue(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join("testdata", "messy_customers.csv")
	for _, tc := range []struct{ args, want string }{
		{"--results r.db", "--nats"},
		{"--nats nats://127.0.0.1:1", "--results"},
	} {
		args := append([]string{"batch", "--distributed", "--input", in, "--output", filepath.Join(dir, "o.jsonl")}, strings.Fields(tc.args)...)
		_, errOut, code := lex(t, dir, args...)
		if code != exitInvalid || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit %d naming %s", tc.args, code, errOut, exitInvalid, tc.want)
		}
	}
}
