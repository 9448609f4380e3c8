package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

const crashEnv = "LEXSCREEN_SQLITE_CRASH_HELPER_DB"

// TestCrashHelper is the child process of TestCrashMidImport: it starts an
// import into the database named by the environment and adds entities until
// it is killed.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process for TestCrashMidImport")
	}
	importCacheKiB = 256 // spill uncommitted pages into the WAL early
	db, err := Open(context.Background(), path)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	imp, err := db.BeginImport(context.Background(), lexscreen.Snapshot{Source: "crash", Version: "partial", Published: day("2025-06-01")})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for i := 0; time.Now().Before(deadline); i++ {
		if err := imp.Add(synthetic("crash", i, 7)); err != nil {
			fmt.Println("ERROR", err)
			os.Exit(2)
		}
		if i == 3000 {
			fmt.Println("READY")
		}
	}
	fmt.Println("ERROR not killed")
	os.Exit(2)
}

func TestCrashMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a subprocess")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ents := make([]*lexscreen.Entity, 500)
	for i := range ents {
		ents[i] = synthetic("crash", i, 0)
	}
	s1 := mustImport(t, db, lexscreen.Snapshot{Source: "crash", Version: "complete", Published: day("2025-01-01")}, ents)
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		if l != "READY" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper said %q", l)
		}
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("helper never got ready")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range lines {
		}
	}()
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("helper did not die by SIGKILL: %v", err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil {
		t.Logf("WAL left by the killed import: %d bytes", fi.Size())
	}

	db, err = Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen after crash: %v", err)
	}
	defer db.Close()
	var check string
	if err := db.db.QueryRowContext(context.Background(), "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	snaps, err := db.Snapshots(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 || snaps[0].ID != s1.ID || snaps[0].Entities != 500 {
		t.Fatalf("snapshots after crash = %+v", snaps)
	}
	n := 0
	if err := db.Entities(context.Background(), s1.ID, func(e *lexscreen.Entity) error {
		if strings.HasPrefix(e.Remarks, "Synthetic") {
			n++
		}
		return nil
	}); err != nil || n != 500 {
		t.Fatalf("entities after crash: %d, %v", n, err)
	}
	var versions, members int
	db.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM entity_versions").Scan(&versions)
	db.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM snapshot_entities").Scan(&members)
	if versions != 500 || members != 500 {
		t.Errorf("after crash: %d versions, %d members; want 500, 500", versions, members)
	}
	// The store works: the interrupted import can be redone.
	s2 := mustImport(t, db, lexscreen.Snapshot{Source: "crash", Version: "again", Published: day("2025-06-01")}, ents)
	if s2.Entities != 500 {
		t.Errorf("import after crash = %+v", s2)
	}
}
