package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKeys: a key authenticates with its token only, by its role; a
// revoked key is refused at once; tokens of the wrong shape are refused
// without an error. On each backend.
func TestKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, l *testLog) {
		ctx := context.Background()
		db := l.open(t, Options{})
		if _, _, err := db.CreateKey(ctx, "superuser", ""); err == nil {
			t.Error("a key of an unknown role was made")
		}
		keys := map[string]string{}
		for _, role := range Roles {
			k, token, err := db.CreateKey(ctx, role, "desk "+role)
			if err != nil {
				t.Fatal(err)
			}
			keys[role] = token
			got, ok, err := db.Authenticate(ctx, token)
			if err != nil || !ok || got.ID != k.ID || got.Role != role {
				t.Errorf("%s key: %+v %v %v", role, got, ok, err)
			}
		}
		analyst := keys[RoleAnalyst]
		wrongSecret := analyst[:len(analyst)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", analyst[len(analyst)-1])+1)%16])
		for _, bad := range []string{"", "lxs_", "lxs__", analyst[4:], wrongSecret, "lxs_ffffffffffff_" + strings.Repeat("0", 48), analyst + "x"} {
			if k, ok, err := db.Authenticate(ctx, bad); ok || err != nil {
				t.Errorf("token %q: %+v %v %v", bad, k, ok, err)
			}
		}
		if err := db.RevokeKey(ctx, analyst); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.Authenticate(ctx, analyst); ok {
			t.Error("a revoked key still works")
		}
		if err := db.RevokeKey(ctx, analyst); err == nil {
			t.Error("a key was revoked twice")
		}
		list, err := db.Keys(ctx)
		if err != nil || len(list) != len(Roles) {
			t.Fatalf("keys: %+v %v", list, err)
		}
		for _, k := range list {
			if (k.Revoked != nil) != (k.Role == RoleAnalyst) || k.Created.IsZero() || k.Name != "desk "+k.Role {
				t.Errorf("listed key %+v", k)
			}
		}
	})
}

// TestReplicasOneChain: two replicas on one PostgreSQL database, appending
// from many goroutines each, make one chain: every id from 1 to the total
// once, no gaps, each replica's signed checkpoints a prefix of it.
func TestReplicasOneChain(t *testing.T) {
	l := newPostgresLog(t)
	ctx := context.Background()
	dir := t.TempDir()
	signer, _, err := LoadOrCreateSigner(filepath.Join(dir, "audit.key"), "")
	if err != nil {
		t.Fatal(err)
	}
	const replicas, goroutines, each = 2, 8, 40
	dbs := make([]*DB, replicas)
	for i := range dbs {
		dbs[i] = l.open(t, Options{Sync: "normal", Checkpoint: CheckpointOptions{Signer: signer,
			File: filepath.Join(dir, fmt.Sprintf("replica%d.checkpoints", i)), Every: 25, Interval: time.Hour}})
	}
	var mu sync.Mutex
	ids := map[int64]int{} // id: the replica that wrote it
	var wg sync.WaitGroup
	for r, db := range dbs {
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					rec := matchRecord(t)
					rec.KeyID = fmt.Sprintf("replica%d", r)
					rec.Request = json.RawMessage(fmt.Sprintf(`{"name":"n%d-%d-%d"}`, r, g, i))
					if err := db.Append(ctx, &rec); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if w, dup := ids[rec.ID]; dup {
						t.Errorf("record %d written by replicas %d and %d", rec.ID, w, r)
					}
					ids[rec.ID] = r
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	const total = replicas * goroutines * each
	if len(ids) != total {
		t.Fatalf("%d records numbered, want %d", len(ids), total)
	}
	switches := 0 // how often the writer changes along the chain
	for id := int64(1); id <= total; id++ {
		if _, ok := ids[id]; !ok {
			t.Fatalf("record %d missing: a gap in the sequence", id)
		}
		if id > 1 && ids[id] != ids[id-1] {
			switches++
		}
	}
	if switches < 2 {
		t.Errorf("the replicas took turns %d times: their appends were not concurrent", switches)
	}
	for i := range dbs {
		if err := dbs[i].Close(); err != nil { // signs a last checkpoint
			t.Fatal(err)
		}
	}
	db := l.open(t, Options{})
	for i := range dbs {
		rep, err := db.VerifyWith(ctx, VerifyOptions{Verifier: signer.Verifier(), CheckpointFile: filepath.Join(dir, fmt.Sprintf("replica%d.checkpoints", i))})
		if err != nil || !rep.OK || rep.Records != total || rep.LastID != total || rep.Checkpoints < 2 {
			t.Fatalf("replica %d's checkpoints: %+v %v", i, rep, err)
		}
	}
	list, err := db.List(ctx, 0, total)
	if err != nil || len(list) != total {
		t.Fatalf("list: %d records, %v", len(list), err)
	}
	for i, r := range list {
		if r.ID != int64(i+1) || (i > 0 && r.PrevHash != list[i-1].Hash) {
			t.Fatalf("record %d at %d, previous hash %.12s…", r.ID, i, r.PrevHash)
		}
	}
	// A record deleted from the shared chain is found, whoever wrote it.
	l.exec(t, `DELETE FROM records WHERE id = ?`, total/2)
	rep, err := db.Verify(ctx)
	if err != nil || rep.OK || len(rep.Problems) == 0 || rep.Problems[0].ID != total/2 {
		t.Fatalf("record %d deleted: %+v %v", total/2, rep, err)
	}
}

// TestReplicasKeys: a key created through one replica works through the
// other, and once revoked (or rotated) through one is refused by the
// other although it had it cached: the NOTIFY, not the cache's lifetime
// (made an hour here), ends it.
func TestReplicasKeys(t *testing.T) {
	l := newPostgresLog(t)
	ctx := context.Background()
	a, b := l.open(t, Options{}), l.open(t, Options{})
	for _, db := range []*DB{a, b} {
		db.keys.mu.Lock()
		db.keys.ttl = time.Hour
		db.keys.mu.Unlock()
		select {
		case <-db.pg.listening:
		case <-time.After(10 * time.Second):
			t.Fatal("the key listener did not start")
		}
	}
	old, oldToken, err := a.CreateKey(ctx, RoleScreener, "batch job")
	if err != nil {
		t.Fatal(err)
	}
	for i, db := range []*DB{a, b} { // both cache it
		if k, ok, err := db.Authenticate(ctx, oldToken); !ok || err != nil || k.ID != old.ID {
			t.Fatalf("a key made through replica a, through replica %d: %+v %v %v", i, k, ok, err)
		}
	}
	// Rotation through b: a new key, then the old one revoked.
	_, newToken, err := b.CreateKey(ctx, RoleScreener, "batch job (rotated)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.RevokeKey(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		_, ok, err := a.Authenticate(ctx, oldToken)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("replica a still takes a key revoked through b 5 s later")
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("revoked through b, refused by a after %s", time.Since(start).Round(time.Microsecond))
	if _, ok, err := a.Authenticate(ctx, newToken); !ok || err != nil {
		t.Fatalf("the rotated key through a: %v %v", ok, err)
	}
	keys, err := a.Keys(ctx)
	if err != nil || len(keys) != 2 || !slices.ContainsFunc(keys, func(k Key) bool { return k.ID == old.ID && k.Revoked != nil }) {
		t.Fatalf("keys: %+v %v", keys, err)
	}
}

// TestPgSQL: queries written for SQLite are rewritten for PostgreSQL, the
// audit tables prefixed (whole words only) and placeholders numbered,
// quoted text untouched.
func TestPgSQL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT hash FROM records WHERE id = ?`, `SELECT hash FROM audit_records WHERE id = $1`},
		{`UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL`, `UPDATE audit_api_keys SET revoked = $1 WHERE id = $2 AND revoked IS NULL`},
		{`SELECT (SELECT last_id FROM chain_head WHERE one = 1) FROM records ORDER BY id`, `SELECT (SELECT last_id FROM audit_chain_head WHERE one = 1) FROM audit_records ORDER BY id`},
		{`SELECT records_x, list_sets2, xrecords FROM list_sets`, `SELECT records_x, list_sets2, xrecords FROM audit_list_sets`},
		{`UPDATE records SET key_id = 'records? api_keys' WHERE id = ?`, `UPDATE audit_records SET key_id = 'records? api_keys' WHERE id = $1`},
		{`SELECT 'unterminated ? records`, `SELECT 'unterminated ? records`},
	} {
		if got := pgSQL(c.in); got != c.want {
			t.Errorf("pgSQL(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}

// Requests with the same token at once (a client's connections all
// starting) check it in the database once, and still get its answer.
func TestKeyReadShared(t *testing.T) {
	ctx := context.Background()
	db := newSQLiteLog(t).open(t, Options{})
	k, token, err := db.CreateKey(ctx, RoleScreener, "")
	if err != nil {
		t.Fatal(err)
	}
	before := db.keys.misses.Load()
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, ok, err := db.Authenticate(ctx, token)
			if err != nil || !ok || got.ID != k.ID {
				t.Errorf("authenticate: %+v %v %v", got, ok, err)
			}
		}()
	}
	wg.Wait()
	if n := db.keys.misses.Load() - before; n != 1 {
		t.Errorf("64 requests at once checked the token %d times in the database, want 1", n)
	}
}
