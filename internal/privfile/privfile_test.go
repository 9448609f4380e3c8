package privfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSQLite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	path := filepath.Join(dir, "x.db")
	if err := SQLite(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file %v, want 0600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("dir %v, want 0700", fi.Mode().Perm())
	}
	// A journal left readable by others loses those rights.
	os.WriteFile(path+"-wal", nil, 0o644)
	os.Chmod(path+"-wal", 0o644)
	if err := SQLite(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path + "-wal"); fi.Mode().Perm() != 0o600 {
		t.Errorf("journal %v, want 0600", fi.Mode().Perm())
	}
}
