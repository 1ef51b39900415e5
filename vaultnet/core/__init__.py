"""Pure rules and data: no I/O, no clock, no SQL, no click."""
