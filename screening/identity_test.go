package screening_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/screening"
)

// IndexDumpEnv names the file TestBundledIndexDump writes.
const IndexDumpEnv = "LEXSCREEN_INDEX_DUMP"

// TestBundledIndexDump builds the index of every bundled list from a store,
// as the first screening after an import does, and compares the persisted
// index file without its header and key (which name the build) with the
// file $LEXSCREEN_INDEX_DUMP, or writes that file when there is none yet:
// two lexscreen builds that index alike write the same bytes. It is a
// check run by hand around a change that must not change the index (a
// faster builder):
//
//	rm -f /tmp/index.lxi
//	LEXSCREEN_INDEX_DUMP=/tmp/index.lxi go test ./screening -run BundledIndexDump -v   # writes it
//	# change, then the same command again: it fails if the index differs
//
// Skipped unless the variable is set (it ingests every bundled list).
func TestBundledIndexDump(t *testing.T) {
	out := os.Getenv(IndexDumpEnv)
	if out == "" {
		t.Skip(IndexDumpEnv + " not set")
	}
	ctx := context.Background()
	db, snaps := bundledStore(t)
	t.Setenv(screening.IndexCacheEnv, "")
	sc, err := screening.LoadSnapshots(ctx, db, snaps, "dump", time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(screening.IndexDir(db.Path()), "*.lxi"))
	if err != nil || len(files) != 1 {
		t.Fatalf("index files %v (%v), want one", files, err)
	}
	file, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// The header (24 bytes), the key's length and the key, padded to 8.
	keyLen, n := binary.Uvarint(file[24:])
	if n <= 0 || 24+uint64(n)+keyLen > uint64(len(file)) {
		t.Fatalf("index file %s: no key", files[0])
	}
	rest := file[(24+n+int(keyLen)+7)&^7:]
	t.Logf("%d entities, %d bytes, sha256 %x", sc.Entities(), len(rest), sha256.Sum256(rest))
	before, err := os.ReadFile(out)
	if os.IsNotExist(err) {
		if err := os.WriteFile(out, rest, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: run again after the change to compare", out)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, rest) {
		i := 0
		for i < min(len(before), len(rest)) && before[i] == rest[i] {
			i++
		}
		t.Errorf("the index differs from %s (sha256 %x, %d bytes) from byte %d on", out, sha256.Sum256(before), len(before), i)
	}
}
