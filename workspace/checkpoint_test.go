package workspace

import (
	"context"
	"fmt"
	"testing"

	"github.com/lexscreen/lexscreen/internal/sqlitewal"
)

// Commits never checkpoint (the WAL is copied in the background), and the
// checkpointer gets the WAL to start over once it outgrows walRestartBytes,
// so that it does not grow without end under a steady stream of writes:
// by catching up, or with the writer held when that fails.
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
	// The steps below are the test's alone: the background ones would race
	// with them (and count too).
	f.s.stopCheckpoints()
	admin := Actor{ID: "key:admin", Role: "admin"}
	for _, forced := range []bool{false, true} {
		// Forced: no catch-up pass, so the step falls back to a checkpoint
		// with the writer held.
		f.s.ckpt.wal.Passes = 0
		want := sqlitewal.CaughtUp
		if forced {
			f.s.ckpt.wal.Passes, want = -1, sqlitewal.Forced
		}
		// A reader that stays in one read transaction pins the WAL: no
		// checkpoint can copy what was written after it began, so the WAL
		// cannot start over by itself whatever the timing of the ticker.
		reader, err := f.s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reader.ExecContext(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := reader.QueryRowContext(ctx, "SELECT count(*) FROM subjects").Scan(&n); err != nil {
			t.Fatal(err)
		}
		// Writes of some 300 KB in all, in several commits: well past twice
		// the restart size.
		for i := range 60 {
			sub := subject(fmt.Sprintf("C-%v-%03d", forced, i), fmt.Sprintf("Customer %d", i), "1970")
			if _, err := f.s.Put(ctx, admin, sub); err != nil {
				t.Fatal(err)
			}
			f.found(t, "run-1", sub, boutEntity())
		}
		frames, copied, err := f.s.ckpt.wal.Passive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if frames*f.s.ckpt.wal.PageSize <= 2*walRestartBytes || copied >= frames {
			t.Fatalf("the WAL holds %d bytes (%d of %d frames copied) with a reader pinning it, want more than %d not all copied", frames*f.s.ckpt.wal.PageSize, copied, frames, 2*walRestartBytes)
		}
		if _, err := reader.ExecContext(ctx, "COMMIT"); err != nil {
			t.Fatal(err)
		}
		reader.Close()
		// The reader gone, one tick copies the WAL and gets it ready to
		// start over.
		if got, err := f.s.ckpt.wal.Step(ctx); got != want || err != nil {
			t.Fatalf("forced %v: a WAL past the restart size took step %v (%v), want %v", forced, got, err, want)
		}
		// The next commit starts the WAL over: it holds only that commit's frames.
		if _, err := f.s.Put(ctx, admin, subject(fmt.Sprintf("C-y-%v", forced), "Customer y", "1972")); err != nil {
			t.Fatal(err)
		}
		frames, _, err = f.s.ckpt.wal.Passive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if frames*f.s.ckpt.wal.PageSize > walRestartBytes {
			t.Errorf("forced %v: after a restart the WAL holds %d frames (%d bytes), want fewer than %d bytes", forced, frames, frames*f.s.ckpt.wal.PageSize, walRestartBytes)
		}
		// A small WAL is only copied.
		if got, err := f.s.ckpt.wal.Step(ctx); got != sqlitewal.Copied || err != nil {
			t.Errorf("a WAL under the restart size took step %v (%v)", got, err)
		}
	}
	if st := f.s.WriteStats(); st.WAL.Failures != 0 || st.WAL.CaughtUp != 1 || st.WAL.Forced != 1 {
		t.Errorf("WAL stats %+v, want no failure, one caught up, one forced", st.WAL)
	}
}
