// Package source defines what every list parser provides and the helpers
// they share: the File and Meta types, the Format contract, located parse
// errors, and readers for the dates, countries and identifier labels that
// official lists spell in many ways.
//
// Each publisher's formats live in a sub-package (source/ofac, source/un,
// ...); source/formats registers them all and detects which one reads a file.
package source

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/lexscreen/lexscreen"
)

// File is one input file of a publication.
type File struct {
	Name string // base name, used for detection and in error messages
	Path string // full path or URL, for messages
	Open func() (io.ReadCloser, error)
}

// OSFile returns a File that opens path on disk.
func OSFile(path string) File {
	return File{Name: filepath.Base(path), Path: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// Meta is what a parser learns about the publication it read.
type Meta struct {
	Source    string    // source id, e.g. "us-ofac-sdn"; parsers must set it
	Version   string    // publisher's version label or date as given, may be empty
	Published time.Time // publisher's date, zero when the file carries none
	Declared  int       // record count the file itself declares (0 when none); checked against what was parsed
	Records   int       // records read when several make one entity (rows of one party), else 0
}

// Emit receives each parsed entity in file order. Returning an error stops
// the parse and that error is returned from Parse.
type Emit func(*lexscreen.Entity) error

// Format is one official list format.
type Format struct {
	ID    string // "ofac-csv", "un-xml", ...
	Title string // for users: "OFAC legacy CSV (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV)"

	// Sniff reports whether this format reads a file, given its base name and
	// its first bytes (up to 8 KiB; a zip's first entry is not unpacked).
	Sniff func(name string, head []byte) bool

	// Grouped formats take all sniffed files of one directory as one
	// publication (the four OFAC CSV files); others take one file at a time.
	Grouped bool

	// Parse reads the files of one publication and calls emit once per
	// entity. It streams: memory does not grow with file size beyond what
	// joining rows of one entity needs. Errors name the file and the line or
	// element (use NewError).
	Parse func(ctx context.Context, files []File, emit Emit) (Meta, error)
}

// SourceInfos describes every source id the bundled parsers produce, with the
// publisher's attribution. Parsers for new publishers add theirs here.
var SourceInfos = map[string]lexscreen.SourceInfo{
	"us-ofac-sdn":  {ID: "us-ofac-sdn", Title: "OFAC Specially Designated Nationals and Blocked Persons List", Authority: "US-OFAC", Attribution: "U.S. Department of the Treasury, Office of Foreign Assets Control (public domain)"},
	"us-ofac-cons": {ID: "us-ofac-cons", Title: "OFAC Consolidated (non-SDN) Sanctions List", Authority: "US-OFAC", Attribution: "U.S. Department of the Treasury, Office of Foreign Assets Control (public domain)"},
	"un-sc":        {ID: "un-sc", Title: "United Nations Security Council Consolidated List", Authority: "UN-SC", Attribution: "United Nations Security Council (public information)"},
	"eu-fsf":       {ID: "eu-fsf", Title: "EU Consolidated Financial Sanctions List (FSF)", Authority: "EU", Attribution: "European Commission, Financial Sanctions Files (© European Union, reuse authorised)"},
	"gb-ofsi":      {ID: "gb-ofsi", Title: "UK OFSI Consolidated List of Financial Sanctions Targets", Authority: "GB-OFSI", Attribution: "HM Treasury, Office of Financial Sanctions Implementation (Open Government Licence v3.0)"},
	"gb-fcdo":      {ID: "gb-fcdo", Title: "UK Sanctions List (FCDO)", Authority: "GB-FCDO", Attribution: "Foreign, Commonwealth & Development Office (Open Government Licence v3.0)"},
	"ca-sema":      {ID: "ca-sema", Title: "Canada Consolidated Autonomous Sanctions List (SEMA)", Authority: "CA-GAC", Attribution: "Global Affairs Canada (Open Government Licence - Canada)"},
	"us-csl":       {ID: "us-csl", Title: "US Consolidated Screening List (trade.gov)", Authority: "US-ITA", Attribution: "U.S. Department of Commerce, International Trade Administration (public domain)"},
	"us-bis-dpl":   {ID: "us-bis-dpl", Title: "BIS Denied Persons List", Authority: "US-BIS", Attribution: "U.S. Department of Commerce, Bureau of Industry and Security (public domain)"},
}

// OpenOne opens the only file of a publication, for formats that read one
// file; any other number of files is an error naming the format.
func OpenOne(format string, files []File) (File, io.ReadCloser, error) {
	if len(files) != 1 {
		return File{}, nil, lexscreen.Errorf(lexscreen.EINVALID, "%s reads one file, got %d", format, len(files))
	}
	f := files[0]
	rc, err := f.Open()
	if err != nil {
		return f, nil, WrapError(f.Name, 0, "", err)
	}
	return f, rc, nil
}
