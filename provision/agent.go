package provision

import "strings"

// Agent is what a phone says about itself in its HTTP User-Agent.
type Agent struct {
	Vendor   string // "Yealink", "Poly"
	Model    string // "T46U", "VVX 450"
	Firmware string
	MAC      string // Yealink only, lower case
}

// ParseUserAgent reads a desk phone's User-Agent:
// "Yealink SIP-T46U 108.86.0.45 805ec0a1b2c3" or
// "FileTransport PolycomVVX-VVX_450-UA/6.4.3.5156 Type/Application".
// Other agents give a zero Agent.
func ParseUserAgent(ua string) Agent {
	f := strings.Fields(ua)
	if len(f) >= 3 && f[0] == "Yealink" {
		a := Agent{Vendor: "Yealink", Model: strings.TrimPrefix(f[1], "SIP-"), Firmware: f[2]}
		if len(f) >= 4 {
			a.MAC = strings.ToLower(strings.ReplaceAll(f[3], ":", ""))
		}
		return a
	}
	for _, w := range f {
		if rest, ok := strings.CutPrefix(w, "PolycomVVX-"); ok {
			model, fw, _ := strings.Cut(rest, "-UA/")
			return Agent{Vendor: "Poly", Model: strings.ReplaceAll(model, "_", " "), Firmware: fw}
		}
	}
	return Agent{}
}
