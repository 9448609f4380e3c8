//go:build linux

package screening

import "syscall"

// dropPages tells the kernel this process no longer needs the pages of a
// mapped file it has read (the checksum reads them all): they leave its
// resident memory, and the few read again (the decoder, the lookups of a
// screening) come back from the page cache.
func dropPages(b []byte) {
	if len(b) > 0 {
		syscall.Madvise(b, syscall.MADV_DONTNEED)
	}
}
