package payments

import (
	"fmt"

	"github.com/lexscreen/lexscreen"
)

// ParseError is a message that could not be read, located: the file, the
// document or MT message number, the line and the field or element.
// Fatal says the rest of the input could not be read either (broken XML
// cannot be resynchronised); otherwise reading goes on with the next
// message.
type ParseError struct {
	File    string `json:"file,omitempty"`
	Doc     int    `json:"doc"`
	Line    int    `json:"line,omitempty"`
	Element string `json:"element,omitempty"` // MT field tag or ISO element
	Message string `json:"message"`
	Fatal   bool   `json:"fatal,omitempty"`
}

func (e *ParseError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += fmt.Sprintf(":%d", e.Line)
	}
	if loc != "" {
		loc += ": "
	}
	what := fmt.Sprintf("message %d", e.Doc)
	if e.Element != "" {
		what += " (" + e.Element + ")"
	}
	s := loc + what + ": " + e.Message
	if e.Fatal {
		s += "; the rest of the input was not read"
	}
	return s
}

// Unwrap makes a ParseError an invalid-input lexscreen.Error.
func (e *ParseError) Unwrap() error {
	return &lexscreen.Error{Code: lexscreen.EINVALID, Message: e.Message, File: e.File, Line: e.Line, Element: e.Element}
}
