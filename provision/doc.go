// Package provision keeps the user's Yealink and Polycom desk phones in
// step with the selfcare settings.
//
// It renders each phone's configuration files from embedded templates, one
// per vendor family, within the model's capacities (render.go, yealink.go,
// polycom.go); serves them over HTTP and HTTPS to the configured phones only,
// with per-device credentials and a log of every fetch (server.go, auth.go,
// tls.go); and asks a phone to fetch again with a SIP NOTIFY
// "Event: check-sync;reboot=false" (notify.go), by hand or after any change
// (sync.go). It reads the selfcare services and never the database itself.
package provision
