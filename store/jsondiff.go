package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ---- field-by-field comparison of entity JSON ----

// object is a JSON object with its keys in document order.
type object struct {
	keys []string
	vals map[string]any
}

func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		o := &object{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := o.vals[k]; !dup {
				o.keys = append(o.keys, k)
			}
			o.vals[k] = v
		}
		_, err := dec.Token()
		return o, err
	case '[':
		a := []any{}
		for dec.More() {
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// DiffJSON compares two entities' canonical JSON field by field. Objects are
// flattened to paths; lists have set semantics: elements in both (anywhere)
// are unchanged, an element replaced by a similar one (half of its leaves
// equal) is reported field by field at its new index ("names[2].full"), the
// rest as added to or removed from the list ("names: + X").
func DiffJSON(from, to []byte) ([]FieldChange, error) {
	a, err := parseOrdered(from)
	if err != nil {
		return nil, err
	}
	b, err := parseOrdered(to)
	if err != nil {
		return nil, err
	}
	normalizeEntity(a)
	normalizeEntity(b)
	var out []FieldChange
	diffValue("", a, b, &out)
	return out, nil
}

// normalizeEntity turns date values into their readable form ("~1960",
// "1973..1974") so that they compare and show as one value.
func normalizeEntity(v any) {
	o, ok := v.(*object)
	if !ok {
		return
	}
	for _, k := range []string{"birth_dates", "death_dates"} {
		if arr, ok := o.vals[k].([]any); ok {
			for i := range arr {
				arr[i] = dateString(arr[i])
			}
		}
	}
	if arr, ok := o.vals["designations"].([]any); ok {
		for _, d := range arr {
			if do, ok := d.(*object); ok {
				if lo, ok := do.vals["listed_on"]; ok {
					do.vals["listed_on"] = dateString(lo)
				}
			}
		}
	}
}

func dateString(v any) any {
	o, ok := v.(*object)
	if !ok {
		return v
	}
	for _, k := range o.keys {
		switch k {
		case "from", "to", "circa", "text":
		default:
			return v // not a DateValue
		}
	}
	from, _ := o.vals["from"].(string)
	to, _ := o.vals["to"].(string)
	s := from
	if to != "" && to != from {
		s += ".." + to
	}
	if c, _ := o.vals["circa"].(bool); c {
		s = "~" + s
	}
	if t, _ := o.vals["text"].(string); t != "" {
		if s == "" {
			s = t
		} else {
			s += " (" + t + ")"
		}
	}
	return s
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func diffValue(path string, a, b any, out *[]FieldChange) {
	if a == nil && b == nil {
		return
	}
	oa, aObj := a.(*object)
	ob, bObj := b.(*object)
	if (aObj || a == nil) && (bObj || b == nil) {
		if oa == nil {
			oa = &object{}
		}
		if ob == nil {
			ob = &object{}
		}
		for _, k := range mergeKeys(oa, ob) {
			diffValue(joinPath(path, k), oa.vals[k], ob.vals[k], out)
		}
		return
	}
	la, aArr := a.([]any)
	lb, bArr := b.([]any)
	if (aArr || a == nil) && (bArr || b == nil) {
		diffList(path, la, lb, out)
		return
	}
	if ra, rb := render(a), render(b); ra != rb || canon(a) != canon(b) {
		*out = append(*out, FieldChange{Field: path, Op: OpChange, From: ra, To: rb})
	}
}

// mergeKeys is the union of both objects' keys: b's order, with the keys
// only a has placed after the key that precedes them in a.
func mergeKeys(a, b *object) []string {
	keys := append([]string(nil), b.keys...)
	for i, k := range a.keys {
		if _, ok := b.vals[k]; ok {
			continue
		}
		pos := 0
		for p := i - 1; p >= 0; p-- {
			if idx := indexOf(keys, a.keys[p]); idx >= 0 {
				pos = idx + 1
				break
			}
		}
		keys = slices.Insert(keys, pos, k)
	}
	return keys
}

func indexOf(s []string, k string) int {
	for i, x := range s {
		if x == k {
			return i
		}
	}
	return -1
}

func diffList(path string, a, b []any, out *[]FieldChange) {
	ka := make([]string, len(a))
	for i, v := range a {
		ka[i] = canon(v)
	}
	kb := make([]string, len(b))
	queue := map[string][]int{}
	for j, v := range b {
		kb[j] = canon(v)
		queue[kb[j]] = append(queue[kb[j]], j)
	}
	matchedA := make([]bool, len(a))
	matchedB := make([]bool, len(b))
	for i, k := range ka {
		if q := queue[k]; len(q) > 0 {
			matchedA[i], matchedB[q[0]] = true, true
			queue[k] = q[1:]
		}
	}
	// Pair the remaining objects by similarity.
	type cand struct {
		i, j  int
		score float64
	}
	var cands []cand
	leavesB := map[int]map[string]int{}
	for i, v := range a {
		if matchedA[i] {
			continue
		}
		if _, ok := v.(*object); !ok {
			continue
		}
		la := leaves(v)
		for j, w := range b {
			if matchedB[j] {
				continue
			}
			if _, ok := w.(*object); !ok {
				continue
			}
			lb, ok := leavesB[j]
			if !ok {
				lb = leaves(w)
				leavesB[j] = lb
			}
			if s := similarity(la, lb); s >= 0.5 {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool {
		cx, cy := cands[x], cands[y]
		if cx.score != cy.score {
			return cx.score > cy.score
		}
		dx, dy := abs(cx.i-cx.j), abs(cy.i-cy.j)
		if dx != dy {
			return dx < dy
		}
		if cx.j != cy.j {
			return cx.j < cy.j
		}
		return cx.i < cy.i
	})
	pairOf := map[int]int{} // b index -> a index
	for _, c := range cands {
		if matchedA[c.i] || matchedB[c.j] {
			continue
		}
		matchedA[c.i], matchedB[c.j] = true, true
		pairOf[c.j] = c.i
	}
	for i, v := range a {
		if !matchedA[i] {
			*out = append(*out, FieldChange{Field: path, Op: OpRemove, From: render(v)})
		}
	}
	for j, w := range b {
		if i, ok := pairOf[j]; ok {
			diffValue(fmt.Sprintf("%s[%d]", path, j), a[i], w, out)
		} else if !matchedB[j] {
			*out = append(*out, FieldChange{Field: path, Op: OpAdd, To: render(w)})
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// leaves flattens a value to "path=value" strings, counted.
func leaves(v any) map[string]int {
	m := map[string]int{}
	var walk func(p string, v any)
	walk = func(p string, v any) {
		switch t := v.(type) {
		case *object:
			for _, k := range t.keys {
				walk(joinPath(p, k), t.vals[k])
			}
		case []any:
			for _, x := range t {
				walk(p+"[]", x)
			}
		default:
			m[p+"="+canon(v)]++
		}
	}
	walk("", v)
	return m
}

func similarity(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for k, c := range a {
		na += c
		common += min(c, b[k])
	}
	for _, c := range b {
		nb += c
	}
	n := max(na, nb)
	if n == 0 {
		return 0
	}
	return float64(common) / float64(n)
}

// canon is a compact, exact encoding of a value (object keys in order).
func canon(v any) string {
	var sb strings.Builder
	writeCanon(&sb, v)
	return sb.String()
}

func writeCanon(sb *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		sb.WriteString(strconv.Quote(t))
	case json.Number:
		sb.WriteString(t.String())
	case bool:
		sb.WriteString(strconv.FormatBool(t))
	case *object:
		sb.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k))
			sb.WriteByte(':')
			writeCanon(sb, t.vals[k])
		}
		sb.WriteByte('}')
	case []any:
		sb.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCanon(sb, x)
		}
		sb.WriteByte(']')
	default:
		fmt.Fprint(sb, t)
	}
}

// render is the readable form of a value: scalars as they are, objects as
// "{key: value, ...}", lists as "[a, b]".
func render(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case *object:
		parts := make([]string, 0, len(t.keys))
		for _, k := range t.keys {
			parts = append(parts, k+": "+render(t.vals[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, 0, len(t))
		for _, x := range t {
			parts = append(parts, render(x))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}
