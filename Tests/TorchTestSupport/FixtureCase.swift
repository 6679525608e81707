import Testing

import Torch

/// Checks one case written by `Recorder.case` in `make_shape_nn_fixtures.py`: runs `body` on the
/// inputs `<name>.<input>` (the `differentiable` ones as leaves requiring gradients), expects the
/// output to match `<name>.out`, back-propagates the recorded upstream gradient `<name>.g` and
/// expects each leaf's gradient to match `<name>.grad.<input>`.
public func expectFixtureCase(
    _ fixture: Fixture, _ name: String, inputs: [String], differentiable: [String]? = nil, tolerance: Double,
    gradientTolerance: Double? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: ([String: Tensor]) -> Tensor
) {
    let differentiable = differentiable ?? inputs
    var leaves: [String: Tensor] = [:]
    for input in inputs {
        let tensor = fixture.tensor("\(name).\(input)")
        leaves[input] = differentiable.contains(input) ? tensor.requiringGrad() : tensor
    }
    let output = body(leaves)
    expectClose(output, fixture.tensor("\(name).out"), tolerance: tolerance, "\(name) output",
                sourceLocation: sourceLocation)
    guard !differentiable.isEmpty else { return }
    output.backward(gradient: fixture.tensor("\(name).g"))
    for input in differentiable {
        guard let gradient = leaves[input]?.grad else {
            Issue.record("\(name): no gradient for \(input)", sourceLocation: sourceLocation)
            continue
        }
        expectClose(gradient, fixture.tensor("\(name).grad.\(input)"), tolerance: gradientTolerance ?? tolerance,
                    "\(name) gradient of \(input)", sourceLocation: sourceLocation)
    }
}
