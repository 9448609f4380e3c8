package audit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWitnessReceivesCheckpoints: every checkpoint reaches the witness,
// after retries when it fails at first; an unreachable witness is
// reported, never blocks.
func TestWitnessReceivesCheckpoints(t *testing.T) {
	var mu sync.Mutex
	var got []string
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable) // the first try fails
			return
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || r.Method != http.MethodPost {
			t.Errorf("%s %s", r.Method, ct)
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	w, err := NewWitness(srv.URL + "/cosign")
	if err != nil {
		t.Fatal(err)
	}
	w.backoff = 10 * time.Millisecond
	var failed atomic.Int32
	w.Failed = func([]byte, error) { failed.Add(1) }
	signer, _ := NewSigner("lexscreen.test/audit")
	for size := int64(1); size <= 3; size++ {
		note, _ := signer.Sign(size, strings.Repeat("ab", 32))
		w.Publish(note)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	w.Close(ctx)
	if len(got) != 3 || failed.Load() != 0 {
		t.Fatalf("witness got %d checkpoints, %d failed", len(got), failed.Load())
	}
	for _, note := range got {
		if _, err := signer.Verifier().Open([]byte(note)); err != nil {
			t.Errorf("the witness got a note that does not verify: %v", err)
		}
	}

	// Unreachable: reported, and Publish never blocks.
	dead, _ := NewWitness("http://127.0.0.1:1/")
	dead.backoff, dead.retries = time.Millisecond, 1
	var reported atomic.Int32
	dead.Failed = func([]byte, error) { reported.Add(1) }
	start := time.Now()
	for i := 0; i < 3*witnessQueue; i++ {
		dead.Publish([]byte("note"))
	}
	if time.Since(start) > time.Second {
		t.Error("Publish blocked on an unreachable witness")
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel2()
	dead.Close(ctx2)
	if reported.Load() == 0 {
		t.Error("an unreachable witness was not reported")
	}
	if _, err := NewWitness("file:///etc/passwd"); err == nil {
		t.Error("a non-http witness URL was accepted")
	}
}
