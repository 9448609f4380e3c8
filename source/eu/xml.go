package eu

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen/source"
)

// Namespace is the namespace of the FSF XML 1.1 export.
const Namespace = "http://eu.europa.ec/fpi/fsd/export"

// FormatXML is the EU FSF XML 1.1 export (xmlFullSanctionsList_1_1).
var FormatXML = source.Format{
	ID:    "eu-fsf-xml",
	Title: "EU Financial Sanctions Files XML 1.1 (xmlFullSanctionsList_1_1)",
	Sniff: sniffXML,
	Parse: parseXML,
}

func sniffXML(name string, head []byte) bool {
	return bytes.Contains(head, []byte("<export")) && bytes.Contains(head, []byte(Namespace))
}

func parseXML(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	f, rc, err := source.OpenOne("eu-fsf-xml", files)
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	return readXML(ctx, f.Name, rc, emit)
}

// readXML streams the export: it decodes one sanctionEntity at a time.
func readXML(ctx context.Context, name string, r io.Reader, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	dec := xml.NewDecoder(r)
	line := func() int { l, _ := dec.InputPos(); return l }
	depth := 0
	sawRoot, closedRoot := false, false
	for {
		if err := ctx.Err(); err != nil {
			return meta, err
		}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			msg := xmlErr(err)
			if sawRoot && strings.Contains(msg, "unexpected EOF") {
				return meta, source.NewError(name, line(), "export", "unexpected end of file inside <export>")
			}
			return meta, source.NewError(name, line(), "", "%s", msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !sawRoot {
				if t.Name.Local != "export" {
					return meta, source.NewError(name, line(), t.Name.Local, "not an EU FSF XML export: root element <%s>, want <export>", t.Name.Local)
				}
				sawRoot = true
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "generationDate":
						v := strings.TrimSpace(a.Value)
						if ts, err := time.Parse(time.RFC3339Nano, v); err == nil {
							meta.Published = ts.UTC()
						} else if d, ok := source.ParseDate(v); ok && d.Precision() == "day" {
							meta.Published = d.First()
						}
						if meta.Version == "" {
							meta.Version = v
						}
					case "globalFileId":
						if v := strings.TrimSpace(a.Value); v != "" {
							meta.Version = v
						}
					}
				}
				continue
			}
			if closedRoot {
				return meta, source.NewError(name, line(), t.Name.Local, "content after </export>")
			}
			if t.Name.Local != "sanctionEntity" {
				continue
			}
			var rec record
			if err := dec.DecodeElement(&rec, &t); err != nil {
				el := "sanctionEntity"
				if id := strings.TrimSpace(rec.LogicalID); id != "" {
					el += " logicalId=" + id
				}
				msg := xmlErr(err)
				if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "unexpected EOF") {
					msg = "unexpected end of file inside <" + el + ">"
				}
				return meta, source.NewError(name, line(), el, "%s", msg)
			}
			depth--
			if source.Clean(rec.LogicalID) == "" {
				return meta, source.NewError(name, line(), "sanctionEntity", "sanctionEntity without logicalId")
			}
			if err := emit(build(&rec)); err != nil {
				return meta, err
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				closedRoot = true
			}
		}
	}
	if !sawRoot {
		return meta, source.NewError(name, line(), "", "not an EU FSF XML export: no <export> element")
	}
	if !closedRoot {
		return meta, source.NewError(name, line(), "export", "unexpected end of file inside <export>")
	}
	return meta, nil
}

func xmlErr(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "XML syntax error: " + se.Msg
	}
	return err.Error()
}
