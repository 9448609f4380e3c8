package workspace

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Commits never checkpoint (the WAL is copied in the background), and the
// checkpointer starts the WAL over once it outgrows walRestartBytes, so
// that it does not grow without end under a steady stream of writes.
func TestCheckpointsInTheBackground(t *testing.T) {
	every, restart := checkpointEvery, walRestartBytes
	checkpointEvery, walRestartBytes = 20*time.Millisecond, 64<<10
	t.Cleanup(func() { checkpointEvery, walRestartBytes = every, restart })
	f := newFixture(t)
	ctx := context.Background()

	var auto int
	if err := f.s.DB().QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Errorf("wal_autocheckpoint %d: a commit would checkpoint in the writer", auto)
	}
	// Writes of some 300 KB in all, in several commits: well past the
	// restart size.
	admin := Actor{ID: "key:admin", Role: "admin"}
	for i := range 60 {
		sub := subject(fmt.Sprintf("C-%03d", i), fmt.Sprintf("Customer %d", i), "1970")
		if _, err := f.s.Put(ctx, admin, sub); err != nil {
			t.Fatal(err)
		}
		bout := boutEntity()
		f.found(t, "run-1", sub, bout)
	}
	before := f.s.ckpt.restarts.Load()
	deadline := time.Now().Add(5 * time.Second)
	for f.s.ckpt.restarts.Load() == before && time.Now().Before(deadline) {
		if _, err := f.s.Put(ctx, admin, subject("C-x", "Customer x", "1971")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if f.s.ckpt.restarts.Load() == before {
		t.Fatalf("no WAL restart in 5 s with %d bytes of WAL allowed", walRestartBytes)
	}
	// The next commit starts the WAL over: it holds only that commit's frames.
	if _, err := f.s.Put(ctx, admin, subject("C-y", "Customer y", "1972")); err != nil {
		t.Fatal(err)
	}
	frames, err := f.s.checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if frames*f.s.ckpt.pageSize > walRestartBytes {
		t.Errorf("after a restart the WAL holds %d frames (%d bytes), want fewer than %d bytes", frames, frames*f.s.ckpt.pageSize, walRestartBytes)
	}
	if st := f.s.WriteStats(); st.CheckpointFailures != 0 {
		t.Errorf("%d checkpoints failed", st.CheckpointFailures)
	}
}
