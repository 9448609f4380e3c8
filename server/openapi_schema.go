package server

import (
	"encoding"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// The JSON Schemas of the OpenAPI document, made by reflection from the Go
// types of the bodies as encoding/json writes and reads them: a nil slice,
// map or pointer that is not omitempty is null; a type with its own
// MarshalJSON, MarshalText or UnmarshalJSON is described by
// customSchemas (a MarshalText type without one is a string); struct tags
// doc and example give a field's description and example.

var (
	timeType           = reflect.TypeOf(time.Time{})
	rawType            = reflect.TypeOf(json.RawMessage{})
	bytesType          = reflect.TypeOf([]byte(nil))
	jsonMarshaler      = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	jsonUnmarshaler    = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textMarshaler      = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	partialDatePattern = `^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$`
)

// customSchemas are the schemas of the types that encode or decode
// themselves: what their MarshalJSON or MarshalText writes, and what their
// UnmarshalJSON reads besides that.
var customSchemas = map[reflect.Type]map[string]any{
	reflect.TypeOf(lexscreen.PartialDate{}): {"type": "string", "pattern": partialDatePattern,
		"description": "a date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD (\"\" unknown)", "examples": []any{"1967-01"}},
	reflect.TypeOf(ftm.Timestamp("")): {"type": []any{"string", "null"}, "pattern": `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`,
		"description": "an FtM time, seconds, no zone (null unknown)", "examples": []any{"2023-04-20T18:00:25"}},
	reflect.TypeOf(regime.DatedSentence{}): {"type": "object", "required": []any{"from", "text"}, "properties": map[string]any{
		"from": map[string]any{"type": "string", "format": "date", "description": "the day from which the text applies"},
		"text": map[string]any{"type": "string"}}},
	// Read as FtM values are written by yente's clients: a list of strings
	// or numbers, or one of them ("birthDate": [1965]).
	reflect.TypeOf(stringList(nil)): {"anyOf": []any{
		map[string]any{"type": "array", "items": map[string]any{"anyOf": []any{
			map[string]any{"type": "string"}, map[string]any{"type": "number"}}}},
		map[string]any{"type": "string"}, map[string]any{"type": "number"}}},
}

type schemaGen struct {
	comps map[string]any
	// undescribed are the types with their own JSON encoding that
	// customSchemas does not describe (a test keeps it empty).
	undescribed map[string]bool
}

func newSchemaGen() *schemaGen {
	return &schemaGen{comps: map[string]any{}, undescribed: map[string]bool{}}
}

// schema is the schema of a value of t as encoding/json writes it.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := customSchemas[t]; ok && s != nil {
		if name := schemaName(t); name != "" {
			if _, ok := g.comps[name]; !ok {
				g.comps[name] = s
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return s
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{"description": "any JSON value"}
	case t == bytesType:
		return map[string]any{"type": "string", "contentEncoding": "base64"}
	}
	if _, ok := customSchemas[t]; !ok {
		pt := reflect.PointerTo(t)
		switch {
		case t.Implements(jsonMarshaler) || pt.Implements(jsonMarshaler):
			g.undescribed[t.String()] = true
			return map[string]any{"description": "any JSON value (" + t.String() + ")"}
		case t.Implements(textMarshaler) || pt.Implements(textMarshaler):
			return map[string]any{"type": "string"}
		case pt.Implements(jsonUnmarshaler) && t.Kind() != reflect.Struct:
			// Read in more forms than it is written: say which.
			g.undescribed[t.String()] = true
		}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if name == "" {
			return g.structSchema(t)
		}
		if _, ok := g.comps[name]; !ok {
			g.comps[name] = map[string]any{} // placeholder against recursion
			g.comps[name] = g.structSchema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// nullable is s that also allows null (what a nil slice, map or pointer
// that is not omitempty is written as).
func nullable(s map[string]any) map[string]any {
	if typ, ok := s["type"].(string); ok {
		return withKey(s, "type", []any{typ, "null"})
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

func canBeNil(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return true
	}
	return false
}

func schemaName(t reflect.Type) string {
	if t.Name() == "" {
		return ""
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	name := t.Name()
	if pkg != "lexscreen" && pkg != "server" {
		name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var addFields func(t reflect.Type)
	addFields = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					addFields(ft)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, dup := props[name]; dup {
				continue // a shallower field of the same name wins
			}
			optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
			s := g.schema(f.Type)
			if canBeNil(f.Type) && !optional && f.Type != rawType {
				s = nullable(s)
			}
			if d := f.Tag.Get("doc"); d != "" {
				s = withKey(s, "description", d)
			}
			if ex := f.Tag.Get("example"); ex != "" {
				s = withKey(s, "examples", []any{exampleValue(f.Type, ex)})
			}
			props[name] = s
			if !optional {
				required = append(required, name)
			}
		}
	}
	addFields(t)
	sort.Strings(required)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// exampleValue is an example tag's text as a value of type t: a number,
// a boolean, a list of one element.
func exampleValue(t reflect.Type, ex string) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if t != bytesType {
			return []any{exampleValue(t.Elem(), ex)}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		if f, err := strconv.ParseFloat(ex, 64); err == nil {
			return f
		}
	case reflect.Bool:
		if b, err := strconv.ParseBool(ex); err == nil {
			return b
		}
	}
	return ex
}

// withKey adds a key to a schema; a $ref gets wrapped, as its siblings are ignored by older tools.
func withKey(s map[string]any, k string, v any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{s}, k: v}
	}
	c := map[string]any{}
	for kk, vv := range s {
		c[kk] = vv
	}
	c[k] = v
	return c
}
