// Package faulttest holds the network-fault tests of issue 12, on
// loopback, through internal/faultnet relays: a registrar that disappears
// for a minute, a media path that loses every packet for ten seconds, a
// peer that vanishes mid-call, and a flood of INVITEs. The tests are in
// the _test files; this file only documents the package.
package faulttest
