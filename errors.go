package lexscreen

import (
	"errors"
	"fmt"
)

// Application error codes. They map to exit codes in the CLI and to HTTP
// status codes in the server; the message of an *Error is safe to show users.
const (
	EINVALID     = "invalid" // bad input: a malformed file, flag or request
	ENOTFOUND    = "not_found"
	ECONFLICT    = "conflict" // refused because it would lose data (e.g. list shrink)
	EINTERNAL    = "internal"
	EUNAVAILABLE = "unavailable" // a publisher or store could not be reached
)

// Error is an application error with a code and a message for users.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Where the problem is, when it concerns a file.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Element string `json:"element,omitempty"`
	Err     error  `json:"-"`
}

func (e *Error) Error() string {
	loc := ""
	if e.File != "" {
		loc = e.File
		if e.Line > 0 {
			loc += fmt.Sprintf(":%d", e.Line)
		}
		if e.Element != "" {
			loc += " (" + e.Element + ")"
		}
		loc += ": "
	}
	return loc + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
