import Torch

private extension ATen {
    static let linalgSolve = ATenOperator("aten::linalg_solve")
    static let indexCopy = ATenOperator("aten::index_copy")
}

/// GRAPPA (Griswold et al., MRM 2002): fills the missing columns of Cartesian multi-coil
/// k-space from their acquired neighbours in all coils, with weights calibrated on the
/// fully sampled centre (ACS).
///
/// As pygrappa's `grappa`: every missing sample gets the kernel of its neighbourhood's sampling
/// pattern (one set of weights per distinct pattern, so irregular Cartesian masks work too), fitted
/// by Tikhonov-regularised least squares `W = (SᴴS + λ₀I)⁻¹ SᴴT` with `λ₀ = λ · ‖SᴴS‖_F / n`
/// (`n` sources), from the kernel windows lying inside the ACS region. Acquired samples are kept.
public enum GRAPPA {
    /// Fills the missing columns of `kspace`.
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex, zeros where not sampled; each slice calibrates its own weights.
    ///   - mask: the sampled columns, last dimension `W`, the same columns in every row (e.g. `[W]` or `[1, 1, 1, W]`).
    ///   - kernelSize: `[rows, columns]` of the kernel window (pygrappa's `(kx, ky)`), odd or even.
    ///   - lambda: the relative Tikhonov regularisation (pygrappa's `lamda`).
    ///   - acsLines: the number of centre ACS columns; `nil` finds them from `mask`.
    /// - Returns: `[batch, coils, H, W]` k-space with every fillable missing sample filled.
    /// - Throws: bad shapes, a mask of the wrong width, non-finite k-space, no ACS lines or an ACS
    ///   region smaller than the kernel.
    public static func reconstruct(
        _ kspace: Tensor, mask: Tensor, kernelSize: [Int] = [5, 5], lambda: Double = 0.01, acsLines: Int? = nil
    ) throws -> Tensor {
        try validateKSpace(kspace)
        try validateMask(mask, for: kspace)
        guard kernelSize.count == 2, kernelSize.allSatisfy({ $0 > 0 }) else {
            throw MRIError("kernelSize", "expected two positive sizes, got \(kernelSize)")
        }
        let columns = try Calibration.sampledColumns(mask)
        let calibration = try Calibration.acsRegion(kspace, lines: acsLines ?? Calibration.acsLineCount(mask: mask))
        guard calibration.size(2) >= kernelSize[0], calibration.size(3) >= kernelSize[1] else {
            throw MRIError(
                "ACS lines", "the \(calibration.size(2))×\(calibration.size(3)) ACS region is smaller than the kernel \(kernelSize)")
        }
        let acquired = kspace * Tensor(columns.map { $0 ? Float(1) : 0 }, shape: [columns.count]).to(device: kspace.device)
        let windows = Calibration.windows(calibration, kernel: kernelSize)
        let (halfRows, halfColumns) = (kernelSize[0] / 2, kernelSize[1] / 2)
        let padded = acquired.pad([halfColumns, kernelSize[1] - 1 - halfColumns, halfRows, kernelSize[0] - 1 - halfRows])
        var filled = acquired
        for (pattern, targets) in missingColumnsByPattern(columns, kernelWidth: kernelSize[1], half: halfColumns) {
            let sources = (0..<kernelSize[0]).flatMap { dy in pattern.map { dy * kernelSize[1] + $0 } }
            let weights = fitWeights(
                windows, sources: sources, target: halfRows * kernelSize[1] + halfColumns, lambda: lambda)
            let values = apply(weights, to: padded, targets: targets, pattern: pattern, kernelRows: kernelSize[0])
            let index = Tensor(targets.map { Int64($0) }, shape: [targets.count]).to(device: kspace.device)
            filled = ATen.indexCopy(.tensor(filled), .int(3), .tensor(index), .tensor(values))
        }
        return filled
    }

    /// Missing columns grouped by the sampled column offsets (within the kernel) around them;
    /// columns whose window samples nothing cannot be filled and are left out.
    private static func missingColumnsByPattern(_ columns: [Bool], kernelWidth: Int, half: Int) -> [([Int], [Int])] {
        var groups: [[Int]: [Int]] = [:]
        for column in columns.indices where !columns[column] {
            let pattern = (0..<kernelWidth).filter { offset in
                let source = column - half + offset
                return columns.indices.contains(source) && columns[source]
            }
            if !pattern.isEmpty { groups[pattern, default: []].append(column) }
        }
        return groups.sorted { $0.value[0] < $1.value[0] }.map { ($0.key, $0.value) }
    }

    /// Weights `[batch, coils · sources, coils]` mapping the source samples of a window to its target sample.
    private static func fitWeights(_ windows: Tensor, sources: [Int], target: Int, lambda: Double) -> Tensor {
        let (batch, count, coils) = (windows.size(0), windows.size(1), windows.size(2))
        let index = Tensor(sources.map { Int64($0) }, shape: [sources.count]).to(device: windows.device)
        let s = windows.indexSelect(dim: 3, index: index).reshape([batch, count, coils * sources.count])
        let t = windows[.all, .all, .all, target]
        let sH = s.mT.conj()
        let normal = sH.matmul(s)
        let n = normal.size(-1)
        let scale = normal.abs().square().sum(dim: [1, 2], keepdim: true).sqrt() * (lambda / Double(n))
        let regularised = normal + Tensor.eye(n, dtype: normal.dtype, device: normal.device) * scale
        return ATen.linalgSolve(.tensor(regularised), .tensor(sH.matmul(t)))
    }

    /// The filled values `[batch, coils, H, targets]` of the target columns.
    private static func apply(_ weights: Tensor, to padded: Tensor, targets: [Int], pattern: [Int], kernelRows: Int) -> Tensor {
        let (batch, coils) = (padded.size(0), padded.size(1))
        let height = padded.size(2) - kernelRows + 1
        var sources: [Tensor] = []
        for dy in 0..<kernelRows {
            let rows = padded.narrow(dim: 2, start: dy, length: height)
            for offset in pattern {
                // Padded column `target + offset` is original column `target - half + offset`.
                let index = Tensor(targets.map { Int64($0 + offset) }, shape: [targets.count]).to(device: padded.device)
                sources.append(rows.indexSelect(dim: 3, index: index))
            }
        }
        let matrix = Tensor.stack(sources, dim: -1).permute([0, 2, 3, 1, 4])
            .reshape([batch, height * targets.count, coils * sources.count])
        return matrix.matmul(weights).reshape([batch, height, targets.count, coils]).permute([0, 3, 1, 2])
    }
}
