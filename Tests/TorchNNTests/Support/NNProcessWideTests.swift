import Testing

/// Tests that use the process-wide random generator (dropout, `manualSeed`) nest in this
/// serialized suite so they never run concurrently with each other.
@Suite(.serialized) struct NNProcessWideTests {}
