import Foundation

/// What torchsummary's `summary(model, input_size)` reports for a model (seed 003 prints one), plus
/// the peak memory actually measured while running it.
///
/// Layers are the modules called during one forward pass, in the order their calls end (children
/// before parents), containers (`Sequential`, `NamedSequential`) and the model itself excluded, as
/// torchsummary's hooks see them. Sizes follow torchsummary's estimate: 4 bytes per element; the
/// input for `|batchSize|` samples; the activations ("forward/backward pass") twice the sum of every
/// layer's output elements for `|batchSize|` samples; the parameters once.
public struct ModelSummary: CustomStringConvertible, Sendable {
    /// One row of the table.
    public struct Layer: Sendable {
        /// The layer's type name (`Conv3d`).
        public var type: String
        /// The output shape with the batch dimension shown as `batchSize` (`[-1, 16, 64, 128, 128]`).
        public var outputShape: [Int]
        /// Parameters the layer holds itself (not its children's).
        public var parameterCount: Int
        /// Of those, the ones requiring gradients.
        public var trainableParameterCount: Int
    }

    /// The layers in call-completion order.
    public var layers: [Layer]
    /// The input shape without the batch dimension.
    public var inputShape: [Int]
    /// The batch size shown (`-1`, torchsummary's default, stands for any; sizes use its magnitude).
    public var batchSize: Int
    /// The peak memory measured over one forward and backward pass of `|batchSize|` samples, in bytes:
    /// the CUDA allocator's peak on a CUDA device, the growth of the resident set's high-water mark on
    /// Linux CPUs; `nil` where neither can be read.
    public var measuredPeakBytes: Int?

    /// The sum of the layers' parameters (torchsummary's "Total params").
    public var totalParams: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    /// The sum of the layers' trainable parameters.
    public var trainableParams: Int { layers.reduce(0) { $0 + $1.trainableParameterCount } }
    /// Parameters that do not require gradients (frozen).
    public var nonTrainableParams: Int { totalParams - trainableParams }

    private static let megabyte = 1024.0 * 1024.0
    private var samples: Double { Double(abs(batchSize)) }

    /// The input's estimated size in MB.
    public var inputSizeMB: Double { Double(inputShape.reduce(1, *)) * samples * 4 / Self.megabyte }
    /// The activations' estimated size in MB (outputs kept for the backward pass, and their gradients).
    public var forwardBackwardPassSizeMB: Double {
        let elements = layers.reduce(0) { $0 + $1.outputShape.dropFirst().reduce(1, *) }
        return 2 * Double(elements) * samples * 4 / Self.megabyte
    }
    /// The parameters' size in MB.
    public var paramsSizeMB: Double { Double(totalParams) * 4 / Self.megabyte }
    /// The sum of the three estimates.
    public var estimatedTotalSizeMB: Double { paramsSizeMB + forwardBackwardPassSizeMB + inputSizeMB }

    /// The table exactly as torchsummary prints it.
    public var torchsummaryText: String {
        let rule = String(repeating: "-", count: 64)
        let doubleRule = String(repeating: "=", count: 64)
        func row(_ layer: String, _ shape: String, _ parameters: String) -> String {
            padded(layer, 20) + "  " + padded(shape, 25) + " " + padded(parameters, 15)
        }
        var lines = [rule, row("Layer (type)", "Output Shape", "Param #"), doubleRule]
        for (index, layer) in layers.enumerated() {
            lines.append(row("\(layer.type)-\(index + 1)", "\(layer.outputShape)", grouped(layer.parameterCount)))
        }
        lines += [
            doubleRule, "Total params: \(grouped(totalParams))", "Trainable params: \(grouped(trainableParams))",
            "Non-trainable params: \(grouped(nonTrainableParams))", rule,
            "Input size (MB): \(twoDecimals(inputSizeMB))",
            "Forward/backward pass size (MB): \(twoDecimals(forwardBackwardPassSizeMB))",
            "Params size (MB): \(twoDecimals(paramsSizeMB))",
            "Estimated Total Size (MB): \(twoDecimals(estimatedTotalSizeMB))", rule,
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// torchsummary's table with the measured peak after the estimate.
    public var description: String {
        guard let measuredPeakBytes else { return torchsummaryText }
        let measured = "Measured peak (MB): \(twoDecimals(Double(measuredPeakBytes) / Self.megabyte))"
        return torchsummaryText.replacingOccurrences(
            of: "Estimated Total Size (MB): \(twoDecimals(estimatedTotalSizeMB))\n",
            with: "Estimated Total Size (MB): \(twoDecimals(estimatedTotalSizeMB))\n\(measured)\n")
    }
}

/// `text` right-aligned in `width` columns (Python's `{:>width}`; longer text is kept whole).
private func padded(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `value` with thousands separated by commas (Python's `{0:,}`).
private func grouped(_ value: Int) -> String {
    let digits = String(abs(value))
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return value < 0 ? "-" + result : result
}

/// `value` with two decimals (C's `%0.2f`).
private func twoDecimals(_ value: Double) -> String { String(format: "%0.2f", value) }
