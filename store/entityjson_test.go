package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/source/formats"
)

// sameAsJSON checks that UnmarshalEntity reads data as json.Unmarshal does
// (the entity, and whether there is an error), and returns whether the
// fast reader read it alone.
func sameAsJSON(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	var want, got lexscreen.Entity
	wantErr := json.Unmarshal(data, &want)
	gotErr := UnmarshalEntity(data, &got)
	if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\nUnmarshalEntity %+v (%v)\njson.Unmarshal  %+v (%v)", data, got, gotErr, want, wantErr)
	}
	var d jsonDec
	var e lexscreen.Entity
	return d.entity(data, &e)
}

// fillValues sets every field of v, in every nested struct, slice and
// map, to a value that is not zero (a new field of lexscreen.Entity is
// set too).
func fillValues(v reflect.Value, path string) {
	if v.Type() == reflect.TypeFor[lexscreen.PartialDate]() {
		v.Set(reflect.ValueOf(lexscreen.PartialDate{Year: 1970, Month: 3, Day: len(path) % 28}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("Ş" + path + ` & "q" <b>`)
	case reflect.Int:
		v.SetInt(int64(len(path)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			fillValues(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range v.Len() {
			fillValues(v.Index(i), path+"[]")
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for _, k := range []string{"vessel_type", "call_sign"} {
			e := reflect.New(v.Type().Elem()).Elem()
			fillValues(e, path+"."+k)
			v.SetMapIndex(reflect.ValueOf(k), e)
		}
	default:
		// A field of a kind this cannot fill would stay zero, be left out
		// of the JSON by omitempty, and pass unread.
		panic(fmt.Sprintf("fillValues: %s is a %s: teach fillValues (and entityjson.go) that kind", path, v.Kind()))
	}
}

// Every field of an entity, as json.Marshal writes it, is read by the fast
// reader: a field added to lexscreen.Entity (or to a type it holds) fails
// here until entityjson.go reads it (meanwhile UnmarshalEntity falls back
// to encoding/json, slower but right).
func TestUnmarshalEntityEveryField(t *testing.T) {
	var e lexscreen.Entity
	fillValues(reflect.ValueOf(&e).Elem(), "e")
	data, err := json.Marshal(&e)
	if err != nil {
		t.Fatal(err)
	}
	if !sameAsJSON(t, data) {
		t.Fatalf("the fast reader does not read every field of an entity: %s", data)
	}
}

// Entities of real lists (two bundled ones, parsed as an import does),
// stored as json.Marshal writes them, are read alike and all by the fast
// reader.
func TestUnmarshalEntityBundled(t *testing.T) {
	n, slow := 0, 0
	for _, l := range bundled.Lists() {
		if l.Source != "un-sc" && l.Source != "icc-warrants" {
			continue
		}
		_, err := formats.ByID(l.Format).Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error {
			data, err := json.Marshal(e)
			if err != nil {
				return err
			}
			n++
			if !sameAsJSON(t, data) {
				slow++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 500 || slow > 0 {
		t.Errorf("%d entities, %d not read by the fast reader", n, slow)
	}
}

// unmarshalCases are stored entities and JSON that is not quite what
// json.Marshal writes, with whether the fast reader reads them alone.
var unmarshalCases = []struct {
	name string
	json string
	fast bool
}{
	{"dates as numbers", `{"id":"us-ofac-sdn:36","source":"us-ofac-sdn","schema":"Person","names":[{"full":"AL-ZAWAHIRI, Ayman","kind":"primary","parts":[{"kind":"family","value":"AL-ZAWAHIRI"},{"kind":"given","value":"Ayman"}]}],"birth_dates":[{"from":{"Year":1951,"Month":6,"Day":19},"text":"19 Jun 1951"}],"nationalities":[{"code":"EG","name":"Egypt"}],"designations":[{"authority":"US-OFAC","list":"SDN","program":"SDGT","legal_basis":"EO 13224","measures":["Block"]}]}`, false},
	{"sdn person", `{"id":"us-ofac-sdn:36","source":"us-ofac-sdn","schema":"Person","names":[{"full":"AL-ZAWAHIRI, Ayman","kind":"primary","parts":[{"kind":"family","value":"AL-ZAWAHIRI"},{"kind":"given","value":"Ayman"}]}],"birth_dates":[{"from":"1951-06-19","text":"19 Jun 1951"},{"from":"1950","to":"1952-01","circa":true}],"nationalities":[{"code":"EG","name":"Egypt"}],"identifiers":[{"kind":"passport","number":"1084010","country":{"code":"EG"},"issued":"1999-01"}],"designations":[{"authority":"US-OFAC","list":"SDN","program":"SDGT","legal_basis":"EO 13224","listed_on":{"from":"2001-09-23"},"measures":["Block"]}]}`, true},
	{"escapes", `{"id":"gb-ofsi:1","source":"gb-ofsi","schema":"Organization","names":[{"full":"SMITH \u0026 SONS \"TRADING\"\n\\ \/ \t \u00e9 é","kind":"primary"}],"remarks":"\u003cb\u003e\u2028"}`, true},
	{"nulls and empty lists", `{"id":"un-sc:QDi.1","source":"un-sc","schema":"Person","names":null,"titles":[],"positions":[null,"Minister"],"birth_places":[{"country":null},null],"attributes":{"warrant_status":null,"x":[]},"designations":[{"measures":[]}]}`, true},
	{"empty attributes", `{"id":"a","source":"b","schema":"Vessel","names":[],"attributes":{}}`, true},
	{"spaces", " {\n \"id\" : \"x\" ,\t\"names\" : [ { \"full\" : \"A B\" , \"kind\" : \"alias\" } ] , \"birth_dates\":[{\"from\" : \"1951\" ,\"to\":null,\"circa\": true}] }\r\n", true},
	{"null entity", `null`, true},
	{"unknown key", `{"id":"x","sanctioned":true}`, false},
	{"key in other case", `{"ID":"x","Names":[{"Full":"A"}]}`, false},
	{"key twice", `{"id":"x","names":[{"full":"A","kind":"primary"}],"names":[{"full":"B"}]}`, false},
	{"surrogate pair", `{"id":"x","names":[{"full":"\ud83d\ude00 Emoji Ltd"}]}`, false},
	{"lone surrogate", `{"id":"x","names":[{"full":"\ud83d Ltd"}]}`, false},
	{"invalid UTF-8", "{\"id\":\"x\",\"names\":[{\"full\":\"Bad \xff byte\"}]}", false},
	{"no such date", `{"id":"x","birth_dates":[{"from":"1951-02-30"}]}`, false},
	{"date not ISO", `{"id":"x","birth_dates":[{"from":"19 Jun 1951"}]}`, false},
	{"empty date", `{"id":"x","birth_dates":[{"from":"","text":"unknown"}]}`, true},
	{"date as numbers", `{"id":"x","birth_dates":[{"from":{"Year":1951}}]}`, false},
	{"number for a date", `{"id":"x","birth_dates":[{"from":1951}]}`, false},
	{"number for a string", `{"id":1951}`, false},
	{"string for a bool", `{"id":"x","birth_dates":[{"circa":"true"}]}`, false},
	{"object for a list", `{"id":"x","names":{"full":"A"}}`, false},
	{"trailing comma", `{"id":"x","names":[{"full":"A"},]}`, false},
	{"unterminated", `{"id":"x","names":[{"full":"A`, false},
	{"after the end", `{"id":"x"} {}`, false},
	{"control character", "{\"id\":\"a\tb\"}", false},
	{"bad escape", `{"id":"a\qb"}`, false},
	{"empty", ``, false},
}

// Stored entities and near misses are read as json.Unmarshal reads them,
// the near misses by json.Unmarshal itself.
func TestUnmarshalEntityCases(t *testing.T) {
	for _, c := range unmarshalCases {
		t.Run(c.name, func(t *testing.T) {
			if fast := sameAsJSON(t, []byte(c.json)); fast != c.fast {
				t.Errorf("read by the fast reader: %v, want %v", fast, c.fast)
			}
		})
	}
}

// FuzzUnmarshalEntity: whatever the bytes, UnmarshalEntity reads them as
// json.Unmarshal does.
func FuzzUnmarshalEntity(f *testing.F) {
	for _, c := range unmarshalCases {
		f.Add([]byte(c.json))
	}
	var e lexscreen.Entity
	fillValues(reflect.ValueOf(&e).Elem(), "e")
	data, _ := json.Marshal(&e)
	f.Add(data)
	f.Add([]byte(strings.ReplaceAll(string(data), `"`, `'`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsJSON(t, data)
	})
}
