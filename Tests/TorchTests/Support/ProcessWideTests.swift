import Testing

/// Tests that measure or change process-wide state (resident memory, the live-tensor count,
/// the global random generator) nest here, so they never run concurrently with each other.
/// (`make test` also runs the whole suite with `--no-parallel`, since suites outside this one
/// allocate memory that resident-memory measurements would otherwise see.)
@Suite("Process-wide state", .serialized)
struct ProcessWideTests {}
