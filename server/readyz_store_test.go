package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// unreachableStore is a store whose database stopped answering (its index
// stays loaded).
type unreachableStore struct {
	store.Store
	down bool
}

func (u *unreachableStore) Ping(context.Context) error {
	if u.down {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "postgres store: ping: connection refused")
	}
	return nil
}

// TestReadyzReflectsStore: /readyz answers 503 store_unavailable while the
// list database cannot be reached, and 200 again when it can.
func TestReadyzReflectsStore(t *testing.T) {
	e := newEnv(t, Config{})
	u := &unreachableStore{Store: e.db}
	srv := New(Config{Store: u, Audit: e.adb, EngineVersion: "test", Logger: e.srv.log})
	if _, err := srv.Reload(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	ready := func() (int, HealthResponse) {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		var h HealthResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return rec.Code, h
	}
	if code, h := ready(); code != 200 || h.Status != "ready" {
		t.Fatalf("store up: %d %+v", code, h)
	}
	u.down = true
	if code, h := ready(); code != 503 || h.Status != "store_unavailable" || h.Error == "" || h.Entities == 0 {
		t.Fatalf("store down: %d %+v", code, h)
	}
	u.down = false
	if code, _ := ready(); code != 200 {
		t.Fatalf("store back: %d", code)
	}
}
