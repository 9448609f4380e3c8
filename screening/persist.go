package screening

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/store"
)

// The persisted index: LoadSnapshots keeps the index it builds from a set
// of snapshots in <directory of the store>/index/<hash of its key>.lxi and
// reads it from there next time, instead of reading the whole store and
// building it again. The key names everything the index depends on: the
// file format, the engine and matcher versions, the lexscreen build (its
// executable's size and time), the attributes kept, and every field of
// every snapshot. A file whose key, version, length or checksum does not
// fit, or that does not decode, is said so (IndexNotes) and rebuilt, never
// used in part.

// IndexCacheEnv names the environment variable that turns the persisted
// index off ("off"): every load then reads the store and builds the index.
const IndexCacheEnv = "LEXSCREEN_INDEX_CACHE"

// indexFileFormat is the version of the whole file: the matcher index,
// then the ownership graph.
const indexFileFormat = 1_000 + match.FormatVersion

// keepIndexFiles is how many index files a directory keeps (the current
// lists, a few past dates a server screens as of, a previous version).
const keepIndexFiles = 6

// IndexNotes receives what happens to persisted index files that a
// compliance officer or operator should know: a file rebuilt because it
// was damaged or of another version, a file that could not be written.
// It writes to stderr unless set (a server sets its logger).
var IndexNotes = func(msg string) { fmt.Fprintln(os.Stderr, "lexscreen: "+msg) }

// IndexDir returns the directory of the persisted indexes of the store at
// storePath, "" for a store with no file.
func IndexDir(storePath string) string {
	if storePath == "" || strings.HasPrefix(storePath, ":memory:") || strings.HasPrefix(storePath, "file::memory:") {
		return ""
	}
	return filepath.Join(filepath.Dir(storePath), "index")
}

// indexDirOf is where the persisted indexes of db's snapshots are kept:
// beside a store file, or for a store that is no file (PostgreSQL) in the
// user's cache directory (the key names every snapshot, so stores never
// share a file by mistake). "" when there is nowhere to keep them.
func indexDirOf(db store.Store) string {
	if f, ok := db.(interface{ Path() string }); ok {
		return IndexDir(f.Path())
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "lexscreen", "index")
	}
	return ""
}

// indexCacheOn reports whether persisted indexes are used.
func indexCacheOn() bool { return os.Getenv(IndexCacheEnv) != "off" }

// buildID identifies the running lexscreen build (an index built by
// another build may index differently, whatever its version says; the
// executable's time changes with every `go run`): the Go build ID the
// linker wrote into the executable, a hash of its inputs and contents
// (read from the ELF notes in well under a millisecond), or, when there
// is none, the executable's size and contents hash (streaming a 50 MB
// executable from the page cache takes 20-30 ms).
var buildID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown executable"
	}
	if id := goBuildID(exe); id != "" {
		return "go build id " + id
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unreadable executable " + exe
	}
	defer f.Close()
	h := xxhash.New()
	n, err := io.CopyBuffer(h, f, make([]byte, 256<<10))
	if err != nil {
		return "unreadable executable " + exe
	}
	return fmt.Sprintf("%d bytes, xxhash %016x", n, h.Sum64())
})

// goBuildID returns the Go build ID of an ELF executable (the note
// section the Go linker writes), or "" when it has none.
func goBuildID(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil || sec.Size > 4096 {
		return ""
	}
	note, err := sec.Data()
	// A note: name size, description size, type (4: Go build ID), the
	// name "Go\x00\x00", the description (the ID).
	if err != nil || len(note) < 16 {
		return ""
	}
	nameSize, descSize, typ := f.ByteOrder.Uint32(note), f.ByteOrder.Uint32(note[4:]), f.ByteOrder.Uint32(note[8:])
	if nameSize != 4 || typ != 4 || string(note[12:16]) != "Go\x00\x00" || uint64(descSize) > uint64(len(note)-16) || descSize == 0 {
		return ""
	}
	return string(note[16 : 16+descSize])
}

// IndexKey returns the key of the index of snaps: what the index file
// holds was built from exactly this. It names what the index is made of
// (each snapshot's files by their content hash, read by this build), not
// when they were imported: the same files imported into two stores, or
// into a copy of a store, index alike.
func IndexKey(snaps []lexscreen.Snapshot, engineVersion string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "lexscreen index format %d\nengine %s\nmatcher %s\nbuild %s\nattributes %s\n",
		indexFileFormat, engineVersion, match.Version, buildID(), strings.Join(regime.ListingAttributes, ","))
	for _, s := range snaps {
		fmt.Fprintf(&b, "snapshot %d %s %s %q %s %s %d %d %d\n", s.ID, s.Source, s.Format, s.Version,
			s.Published.UTC().Format(time.RFC3339Nano), s.ContentHash, s.Entities, s.Names, s.Records)
	}
	return b.String()
}

// IndexFile returns the file that keeps the persisted index of snaps of
// db, "" when there is none (no place to keep it, or persisted indexes
// are off). The file may not exist yet.
func IndexFile(db store.Store, snaps []lexscreen.Snapshot, engineVersion string) string {
	dir, key := indexPlace(db, snaps, engineVersion)
	if dir == "" {
		return ""
	}
	return indexPath(dir, key)
}

// indexPlace returns the directory and key of the persisted index of
// snaps of db; dir is "" when none is kept.
func indexPlace(db store.Store, snaps []lexscreen.Snapshot, engineVersion string) (dir, key string) {
	if !indexCacheOn() {
		return "", ""
	}
	if dir = indexDirOf(db); dir == "" {
		return "", ""
	}
	return dir, IndexKey(snaps, engineVersion)
}

// indexPath returns the file of key in dir.
func indexPath(dir, key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(dir, hex.EncodeToString(h[:12])+".lxi")
}

// persisted is what an index file holds.
type persisted struct {
	ix        *match.Index
	ownership *regime.OwnershipGraph
	entities  int
}

// encodeIndexFile writes an index file to out.
func encodeIndexFile(out io.Writer, key string, p persisted) error {
	w := binfile.NewWriter()
	w.Uvarint(uint64(p.entities))
	p.ix.Encode(w)
	p.ownership.Encode(w)
	_, err := w.WriteTo(out, indexFileFormat, key)
	return err
}

// gcOffMax is the largest file decoded with the collector off: a larger
// index (a million entities: 470 MiB, with 5.5 GiB peak RSS when the
// collector was off) is decoded with it on.
const gcOffMax = 128 << 20

// decodeMu makes one decode at a time turn the collector off.
var decodeMu sync.Mutex

// decodeIndexFile reads the bytes of an index file of key, with the given
// list versions. Any error means nothing of the file may be used.
//
// The garbage collector is off meanwhile (files up to gcOffMax): a decode makes almost no
// garbage, and collecting as the heap grows from nothing to the index's
// size would mark it again and again (a third of the decode's time).
func decodeIndexFile(file []byte, key string, lists []lexscreen.ListVersion) (persisted, error) {
	if len(file) <= gcOffMax {
		decodeMu.Lock()
		defer decodeMu.Unlock()
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	got, r, err := binfile.OpenReleasing(file, indexFileFormat, dropPages)
	if err != nil {
		return persisted{}, err
	}
	if got != key {
		return persisted{}, fmt.Errorf("%w: built from other lists or another lexscreen build", binfile.ErrCorrupt)
	}
	var p persisted
	p.entities = int(r.Uvarint())
	if p.ix, err = match.DecodeIndex(r, lists); err != nil {
		return persisted{}, err
	}
	if p.ownership, err = regime.DecodeOwnership(r); err != nil {
		return persisted{}, err
	}
	if err := r.Done(); err != nil {
		return persisted{}, err
	}
	dropPages(file) // what a screening reads in place comes back as it is read
	return p, nil
}

// readIndexFile reads the index file of key in dir. ok is false when there
// is none to use: none yet (err nil), or one that fails (err says why;
// the caller rebuilds it).
func readIndexFile(dir, key string, lists []lexscreen.ListVersion) (p persisted, ok bool, err error) {
	path := indexPath(dir, key)
	file, err := mapFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return persisted{}, false, nil
	}
	if err != nil {
		return persisted{}, false, fmt.Errorf("index file %s unreadable: %v", path, err)
	}
	p, err = decodeIndexFile(file, key, lists)
	if err != nil {
		return persisted{}, false, fmt.Errorf("index file %s not used (%v): rebuilding it from the store", path, err)
	}
	return p, true, nil
}

// readKept reads the kept index file of key in dir, if there is a good
// one, and marks it used (pruning keeps the files used last); a file that
// cannot be used is said (IndexNotes) and reported as none.
func readKept(dir, key string, lists []lexscreen.ListVersion) (persisted, bool) {
	p, ok, err := readIndexFile(dir, key, lists)
	if err != nil {
		IndexNotes(err.Error())
	}
	if ok {
		touch(indexPath(dir, key))
	}
	return p, ok
}

// writeIndexFile writes the index file of key in dir atomically (a
// temporary file renamed), then removes the oldest files beyond
// keepIndexFiles.
func writeIndexFile(dir, key string, p persisted) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := SaveIndex(indexPath(dir, key), key, p.ix, p.ownership, p.entities); err != nil {
		return err
	}
	pruneIndexFiles(dir)
	return nil
}

// pruneIndexFiles removes the index files of dir beyond the newest
// keepIndexFiles, and temporary files left by a write that died an hour
// ago or more. A process that has a removed file mapped keeps reading it.
func pruneIndexFiles(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		mod  time.Time
	}
	var files []file
	for _, e := range ents {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		switch {
		case strings.HasSuffix(e.Name(), ".lxi"):
			files = append(files, file{p, fi.ModTime()})
		case strings.HasPrefix(e.Name(), ".lxi-") && time.Since(fi.ModTime()) > time.Hour:
			os.Remove(p)
		}
	}
	slices.SortFunc(files, func(a, b file) int { return b.mod.Compare(a.mod) })
	for i := keepIndexFiles; i < len(files); i++ {
		os.Remove(files[i].path)
	}
}

// touch marks an index file used now, so that pruning keeps the files in
// use rather than the files built last.
func touch(path string) {
	now := time.Now()
	os.Chtimes(path, now, now)
}

// IndexFile returns the persisted index file the Screener screens on
// (read, or built by this load, written and read back), or "" when it
// screens on an index built on the heap (no file kept).
func (s *Screener) IndexFile() string { return s.indexFile }

// Built says whether this load built the index from the store, rather
// than read a file kept by an earlier one.
func (s *Screener) Built() bool { return s.built }

// SaveIndex writes an index, its ownership graph and entity count to an
// index file at path under key, atomically (for benchmarks and tools;
// LoadSnapshots keeps its own files).
func SaveIndex(path, key string, ix *match.Index, own *regime.OwnershipGraph, entities int) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".lxi-*.tmp")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = encodeIndexFile(bw, key, persisted{ix: ix, ownership: own, entities: entities})
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// OpenIndex reads an index file SaveIndex wrote under key, mapped as
// LoadSnapshots maps its own, with the given list versions.
func OpenIndex(path, key string, lists []lexscreen.ListVersion) (*match.Index, *regime.OwnershipGraph, int, error) {
	file, err := mapFile(path)
	if err != nil {
		return nil, nil, 0, err
	}
	p, err := decodeIndexFile(file, key, lists)
	if err != nil {
		return nil, nil, 0, err
	}
	return p.ix, p.ownership, p.entities, nil
}
