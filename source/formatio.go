package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"

	"github.com/lexscreen/lexscreen"
)

// CSVRow reads the next data record of a CSV file with a header line; row
// is the 1-based number of the data row being read and want the number of
// columns. It returns the record and its line in the file, or io.EOF at the
// end, or an error that names the file, the line and the row (a wrong
// number of columns, a broken quote).
func CSVRow(cr *csv.Reader, file string, row, want int) ([]string, int, error) {
	rec, err := cr.Read()
	if err != nil && errors.Is(err, io.EOF) {
		return nil, 0, err
	}
	if Located(err) {
		return nil, row + 1, err
	}
	line := row + 1
	if len(rec) > 0 && (err == nil || errors.Is(err, csv.ErrFieldCount)) {
		line, _ = cr.FieldPos(0)
	}
	switch {
	case err == nil:
		return rec, line, nil
	case errors.Is(err, csv.ErrFieldCount):
		return nil, line, NewError(file, line, "", "row %d: %d columns, want %d", row, len(rec), want)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.StartLine
	}
	return nil, line, NewError(file, line, "", "row %d: %s", row, CSVMessage(err))
}

// CSVMessage is what went wrong in a CSV read error, without the line and
// column that encoding/csv puts in front (errors from NewError carry them).
func CSVMessage(err error) string {
	var le *lexscreen.Error
	if errors.As(err, &le) && le.File != "" {
		return le.Message
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// JSONTopKeys returns the keys of the first JSON object in head, as far as
// head goes (it may be cut off), or nil when head does not start with one.
// Format detection uses it to tell JSON formats apart.
func JSONTopKeys(head []byte) map[string]bool {
	head = bytes.TrimSpace(StripBOM(head))
	if len(head) == 0 || head[0] != '{' {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(head))
	if _, err := dec.Token(); err != nil {
		return nil
	}
	keys := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		k, ok := t.(string)
		if !ok {
			break
		}
		keys[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			break
		}
	}
	return keys
}
