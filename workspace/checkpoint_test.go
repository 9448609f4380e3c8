package workspace

import (
	"context"
	"fmt"
	"testing"
)

// Commits never checkpoint (the WAL is copied in the background), and the
// checkpointer starts the WAL over once it outgrows walRestartBytes, so
// that it does not grow without end under a steady stream of writes.
func TestCheckpointsInTheBackground(t *testing.T) {
	restart := walRestartBytes
	walRestartBytes = 64 << 10
	t.Cleanup(func() { walRestartBytes = restart })
	f := newFixture(t)
	ctx := context.Background()

	var auto int
	if err := f.s.DB().QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Errorf("wal_autocheckpoint %d: a commit would checkpoint in the writer", auto)
	}
	// A reader that stays in one read transaction pins the WAL: no
	// checkpoint can copy what was written after it began, so the WAL
	// cannot start over by itself whatever the timing of the ticker.
	reader, err := f.s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	if _, err := reader.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, "SELECT count(*) FROM subjects").Scan(&n); err != nil {
		t.Fatal(err)
	}
	// Writes of some 300 KB in all, in several commits: well past the
	// restart size.
	admin := Actor{ID: "key:admin", Role: "admin"}
	for i := range 60 {
		sub := subject(fmt.Sprintf("C-%03d", i), fmt.Sprintf("Customer %d", i), "1970")
		if _, err := f.s.Put(ctx, admin, sub); err != nil {
			t.Fatal(err)
		}
		f.found(t, "run-1", sub, boutEntity())
	}
	frames, err := f.s.checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if frames*f.s.ckpt.pageSize <= walRestartBytes {
		t.Fatalf("the WAL holds %d bytes with a reader pinning it, want more than %d", frames*f.s.ckpt.pageSize, walRestartBytes)
	}
	if _, err := reader.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	// The reader gone, one tick copies the WAL and takes the restart step.
	if !f.s.checkpointStep(ctx) {
		t.Fatal("a WAL past the restart size did not take the restart step")
	}
	// The next commit starts the WAL over: it holds only that commit's frames.
	if _, err := f.s.Put(ctx, admin, subject("C-y", "Customer y", "1972")); err != nil {
		t.Fatal(err)
	}
	frames, err = f.s.checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if frames*f.s.ckpt.pageSize > walRestartBytes {
		t.Errorf("after a restart the WAL holds %d frames (%d bytes), want fewer than %d bytes", frames, frames*f.s.ckpt.pageSize, walRestartBytes)
	}
	// A small WAL takes no restart step.
	if f.s.checkpointStep(ctx) {
		t.Error("a WAL under the restart size took the restart step")
	}
	if st := f.s.WriteStats(); st.CheckpointFailures != 0 {
		t.Errorf("%d checkpoints failed", st.CheckpointFailures)
	}
}
