package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkScreenHandler measures one POST /v1/screen through the
// server's handler, audit record included, without the network: the
// server's own cost per screening (the test lists are small, so the
// matcher's share is small).
func BenchmarkScreenHandler(b *testing.B) {
	e := newEnv(b, Config{RateLimit: -1})
	h := e.srv.Handler()
	body := `{"name": "Karim Khan"}`
	auth := "Bearer " + e.keys["screener"]
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/screen", strings.NewReader(body))
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}
