package screening

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// The index key names the build by the Go build ID the linker wrote: the
// test binary has one (four hashes joined by slashes), and a file that is
// no executable has none (the key then hashes the executable's bytes).
func TestGoBuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	id := goBuildID(exe)
	if runtime.GOOS == "linux" && (strings.Count(id, "/") < 1 || len(id) < 20) {
		t.Errorf("build id of %s: %q", exe, id)
	}
	t.Logf("%s", id)
	if got := goBuildID("persist.go"); got != "" {
		t.Errorf("a Go source file has build id %q", got)
	}
	if !strings.HasPrefix(buildID(), "go build id "+id) && id != "" {
		t.Errorf("buildID %q does not use the Go build ID %q", buildID(), id)
	}
}
