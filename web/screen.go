package web

import (
	"net/http"

	"github.com/lexscreen/lexscreen/server"
)

// screenData is the screening page's data: the form as filled and the result.
type screenData struct {
	Form screenForm
}

// screenForm is the screening form.
type screenForm struct {
	Name, Type, DOB, Country, Identifiers, Operator, Date string
}

func (u *UI) screenRoutes() []route {
	return []route{
		{"GET " + Prefix + "screen", u.withUser(u.handleScreenForm)},
	}
}

func (u *UI) handleScreenForm(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	u.render(w, r, "screen.html", page{Title: "Screen a name", Session: s, Current: Prefix + "screen", Data: screenData{}})
}
