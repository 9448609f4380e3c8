package update

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testFetcher(srv *httptest.Server) *Fetcher {
	f := NewFetcher()
	f.Client = srv.Client()
	f.Backoff = time.Millisecond
	f.Timeout = 2 * time.Second
	f.Mirror = srv.URL
	return f
}

func TestFetch(t *testing.T) {
	var flaky, forbidden atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/PublicationPreview/exports/SDN.CSV", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/signed/sdn.csv?X-Amz-Signature=abc", http.StatusFound)
	})
	mux.HandleFunc("/signed/sdn.csv", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("X-Amz-Signature") == "" {
			http.Error(w, "unsigned", http.StatusForbidden)
			return
		}
		w.Write([]byte("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\r\n\x1a"))
	})
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		forbidden.Add(1)
		http.Error(w, "bot", http.StatusForbidden)
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("only a part"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := testFetcher(srv)
	dir := t.TempDir()
	ctx := context.Background()

	// Redirect to a signed address is followed; the official host is replaced by the mirror.
	p := filepath.Join(dir, "sdn.csv")
	if err := f.Fetch(ctx, ofacSLS+"SDN.CSV", p); err != nil {
		t.Fatalf("redirect: %v", err)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "AEROCARIBBEAN") {
		t.Fatalf("redirect: got %q", b)
	}
	// 503 twice, then success.
	if err := f.Fetch(ctx, "https://example.org/flaky", filepath.Join(dir, "flaky")); err != nil || flaky.Load() != 3 {
		t.Fatalf("retry: err=%v attempts=%d", err, flaky.Load())
	}
	// 403 is not retried, and its message tells what to do.
	err := f.Fetch(ctx, "https://example.org/forbidden", filepath.Join(dir, "forbidden"))
	if err == nil || forbidden.Load() != 1 || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "lexscreen import") {
		t.Fatalf("403: err=%v attempts=%d", err, forbidden.Load())
	}
	if _, serr := os.Stat(filepath.Join(dir, "forbidden")); serr == nil {
		t.Fatal("403: a file was left behind")
	}
	// A body shorter than its Content-Length is an error and leaves no file.
	if err := f.Fetch(ctx, "https://example.org/truncated", filepath.Join(dir, "truncated")); err == nil {
		t.Fatal("truncated download accepted")
	}
	if _, serr := os.Stat(filepath.Join(dir, "truncated")); serr == nil {
		t.Fatal("truncated: a file was left behind")
	}
	// Time-outs end a stuck request.
	f.Timeout, f.Retries = 50*time.Millisecond, 0
	start := time.Now()
	if err := f.Fetch(ctx, "https://example.org/slow", filepath.Join(dir, "slow")); err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("timeout: err=%v after %v", err, time.Since(start))
	}
}

func TestOfficialTargets(t *testing.T) {
	seen := map[string]bool{}
	for _, tg := range Official {
		if seen[tg.Source] || tg.Format == "" || len(tg.Files) == 0 {
			t.Errorf("bad target %+v", tg)
		}
		seen[tg.Source] = true
		for _, f := range tg.Files {
			if !strings.HasPrefix(f.URL, "https://") {
				t.Errorf("%s: %s is not https", tg.Source, f.URL)
			}
		}
	}
}
