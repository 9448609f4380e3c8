package eu

import (
	"bytes"
	"context"
	"encoding/xml"
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
	err := source.XMLRecords{File: name, Root: "export", What: "an EU FSF XML export",
		OnRoot: func(root xml.StartElement) error {
			for _, a := range root.Attr {
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
			return nil
		},
		OnRecord: func(dec *source.XMLDecoder, t xml.StartElement) error {
			if t.Name.Local != "sanctionEntity" {
				return dec.Skip()
			}
			var rec record
			if err := dec.DecodeRecord(&rec, &t); err != nil {
				el := "sanctionEntity"
				if id := strings.TrimSpace(rec.LogicalID); id != "" {
					el += " logicalId=" + id
				}
				line, _ := dec.InputPos()
				return source.RecordError(name, line, el, err)
			}
			if source.Clean(rec.LogicalID) == "" {
				line, _ := dec.InputPos()
				return source.NewError(name, line, "sanctionEntity", "sanctionEntity without logicalId")
			}
			return emit(build(&rec))
		},
	}.Read(ctx, r)
	return meta, err
}
