//go:build unix

package screening

import (
	"os"
	"syscall"
)

// mapFile returns the contents of the file at path, mapped read-only into
// memory: pages are read when first touched, and are the page cache's,
// shared by every process that maps the file. The mapping is never
// undone (the index's arrays are read in place, and an index lives as
// long as anything refers to it); a file replaced or removed meanwhile
// stays readable through it. An empty file is read, not mapped.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size == 0 || size != int64(int(size)) {
		return os.ReadFile(path)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return os.ReadFile(path) // a file system that cannot map: read it whole
	}
	return b, nil
}
