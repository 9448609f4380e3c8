//go:build linux

package screening

import (
	"os"
	"syscall"
	"unsafe"
)

// dropPages tells the kernel this process no longer needs the pages of a
// mapped file it has read (the checksum reads them all): they leave its
// resident memory, and the few read again (the decoder, the lookups of a
// screening) come back from the page cache.
// b may start anywhere: the pages wholly within it are dropped (the
// kernel takes only page-aligned addresses).
func dropPages(b []byte) {
	if len(b) == 0 {
		return
	}
	page := os.Getpagesize()
	if skip := (page - int(uintptr(unsafe.Pointer(&b[0]))%uintptr(page))) % page; skip < len(b) {
		syscall.Madvise(b[skip:], syscall.MADV_DONTNEED)
	}
}
