// Package benchcall compares the CPU Ligne spends on a G.711 call with
// baresip's on the same machine (scripts/bench-call): the same caller
// calls Ligne (lignectl run --sound) and then a baresip, both answering
// on a private PulseAudio with null sinks so that every program's audio
// is paced like a real sound card.
package benchcall
