// Package formats knows every list format lexscreen reads and decides which
// one reads a given file or folder.
package formats

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// Job is one publication to import: the files one format reads together.
type Job struct {
	Format source.Format
	Files  []source.File
	Dir    string // folder the files came from
}

// Paths returns the paths of the job's files.
func (j Job) Paths() []string {
	p := make([]string, len(j.Files))
	for i, f := range j.Files {
		p[i] = f.Path
	}
	return p
}

// ignored are files that sit beside lists but are not lists.
var ignoredExt = map[string]bool{".md": true, ".txt~": true, ".pdf": true, ".xsd": true, ".sha256": true, ".json~": true}

// Find returns the format that reads the named file, or nil.
func Find(name string, head []byte) *source.Format {
	for i := range All {
		if All[i].Sniff(name, head) {
			return &All[i]
		}
	}
	return nil
}

// ByID returns the format with the given id, or nil.
func ByID(id string) *source.Format {
	for i := range All {
		if All[i].ID == id {
			return &All[i]
		}
	}
	return nil
}

// Detect turns command-line paths into import jobs. A directory is walked
// recursively: every file a format recognises is taken, others (README,
// PDF, XSD ...) are skipped. A file named explicitly must be recognised.
// Files of a grouped format (the four OFAC CSV files) form one job per
// directory. Jobs come in path order.
func Detect(paths []string, formatID string) ([]Job, error) {
	var forced *source.Format
	if formatID != "" {
		if forced = ByID(formatID); forced == nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "unknown format %q (see `lexscreen formats`)", formatID)
		}
	}
	type key struct{ dir, format string }
	groups := map[key]*Job{}
	var order []key
	add := func(path string, explicit bool) error {
		f := forced
		if f == nil {
			head, err := readHead(path)
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINVALID, "%s: cannot read: %v", path, err)
			}
			f = Find(filepath.Base(path), head)
		}
		if f == nil {
			if explicit {
				return &lexscreen.Error{Code: lexscreen.EINVALID, File: path,
					Message: "not a list format lexscreen reads (see `lexscreen formats`; use --format to force one)"}
			}
			return nil
		}
		dir := filepath.Dir(path)
		k := key{dir, f.ID}
		if !f.Grouped {
			k = key{path, f.ID}
		}
		j, ok := groups[k]
		if !ok {
			j = &Job{Format: *f, Dir: dir}
			groups[k] = j
			order = append(order, k)
		}
		j.Files = append(j.Files, source.OSFile(path))
		return nil
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "%s: %v", p, unwrapPathErr(err))
		}
		if !st.IsDir() {
			if err := add(p, true); err != nil {
				return nil, err
			}
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if strings.HasPrefix(d.Name(), ".") && path != p {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") || ignoredExt[strings.ToLower(filepath.Ext(path))] {
				return nil
			}
			files = append(files, path)
			return nil
		})
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "%s: %v", p, err)
		}
		sort.Strings(files)
		for _, f := range files {
			if err := add(f, false); err != nil {
				return nil, err
			}
		}
	}
	jobs := make([]Job, 0, len(order))
	for _, k := range order {
		j := groups[k]
		sort.Slice(j.Files, func(a, b int) bool { return j.Files[a].Path < j.Files[b].Path })
		jobs = append(jobs, *j)
	}
	if len(jobs) == 0 {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "no list files found in %s", strings.Join(paths, ", "))
	}
	return jobs, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// HeadSize is how many leading bytes Sniff sees.
const HeadSize = 8 << 10

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, HeadSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return bytes.Clone(buf[:n]), nil
}

// Describe lists the formats for `lexscreen formats`.
func Describe() string {
	var b strings.Builder
	for _, f := range All {
		fmt.Fprintf(&b, "%-20s %s\n", f.ID, f.Title)
	}
	return b.String()
}
