//go:build !linux

package screening

// dropPages does nothing here (see the Linux version).
func dropPages([]byte) {}
