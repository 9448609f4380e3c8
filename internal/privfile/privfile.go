// Package privfile creates files that hold personal data (screened names,
// customer books) readable by their owner only.
package privfile

import (
	"os"
	"path/filepath"
)

// SQLite creates the database file at path if needed, readable by its
// owner only (0600; its directory 0700 when created), and takes the
// group's and others' rights away from it and its SQLite journals
// (-wal, -shm) if they exist.
func SQLite(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return err
			}
		}
	}
	return nil
}
