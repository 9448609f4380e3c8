//go:build !unix

package screening

import "os"

// mapFile returns the contents of the file at path, read whole (no
// memory mapping on this system).
func mapFile(path string) ([]byte, error) { return os.ReadFile(path) }
