import Foundation

/// Stored voxel values converted to float32 and scaled (`value · slope + intercept`, rounded to
/// float32 after each operation, as libtorch's and numpy's float32 arithmetic do) in one pass
/// over the stored bytes, on all cores.
///
/// NIfTI reads use it instead of a copy, a dtype conversion and two in-place scaling passes: a
/// BraTS volume is 35 MB of float32, so every pass over it costs as much as the file read.
enum ScaledVoxels {
    /// A float32 tensor of `shape` (row-major) from `bytes` of native-order `type` values;
    /// `nil` for complex types, which scale through libtorch.
    static func float32(
        _ bytes: UnsafeRawBufferPointer, type: NIfTIDataType, shape: [Int], slope: Double, intercept: Double
    ) -> Tensor? {
        let scale = Scale(slope: Float(slope), intercept: Float(intercept))
        switch type {
        case .uint8: return convert(bytes, UInt8.self, shape: shape, scale: scale)
        case .int8: return convert(bytes, Int8.self, shape: shape, scale: scale)
        case .int16: return convert(bytes, Int16.self, shape: shape, scale: scale)
        case .uint16: return convert(bytes, UInt16.self, shape: shape, scale: scale)
        case .int32: return convert(bytes, Int32.self, shape: shape, scale: scale)
        case .uint32: return convert(bytes, UInt32.self, shape: shape, scale: scale)
        case .int64: return convert(bytes, Int64.self, shape: shape, scale: scale)
        case .float32: return convert(bytes, Float.self, shape: shape, scale: scale)
        case .float64: return convert(bytes, Double.self, shape: shape, scale: scale)
        case .complex64, .complex128: return nil
        }
    }

    /// Slope and intercept as float32; the identity is skipped, not multiplied out.
    private struct Scale {
        let slope: Float
        let intercept: Float
        var isIdentity: Bool { slope == 1 && intercept == 0 }
    }

    /// The source and destination shared by the parallel chunks, each of which touches only
    /// its own range.
    private struct Buffers<Stored>: @unchecked Sendable {
        let input: UnsafePointer<Stored>
        let output: UnsafeMutablePointer<Float>
    }

    /// Elements per parallel chunk: large enough that scheduling is negligible.
    private static let chunk = 1 << 18

    private static func convert<Stored: StoredVoxel>(
        _ bytes: UnsafeRawBufferPointer, _: Stored.Type, shape: [Int], scale: Scale
    ) -> Tensor {
        let count = shape.reduce(1, *)
        precondition(bytes.count >= count * MemoryLayout<Stored>.stride, "ScaledVoxels: too few bytes")
        // Stored values may sit at any offset of the file; an unaligned start is copied first.
        guard let base = bytes.baseAddress, Int(bitPattern: base) % MemoryLayout<Stored>.alignment == 0 else {
            let aligned = [Stored](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes.prefix(count * MemoryLayout<Stored>.stride)))
                initialized = count
            }
            return aligned.withUnsafeBytes { convert($0, Stored.self, shape: shape, scale: scale) }
        }
        return Tensor.filling(shape, dtype: .float32) { raw in
            let shared = Buffers(input: base.assumingMemoryBound(to: Stored.self), output: raw.bindMemory(to: Float.self).baseAddress!)
            let chunks = (count + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                let (input, output) = (shared.input, shared.output)
                let range = index * chunk..<min(count, (index + 1) * chunk)
                if scale.isIdentity {
                    for i in range { output[i] = input[i].float32 }
                } else {
                    let (slope, intercept) = (scale.slope, scale.intercept)
                    for i in range { output[i] = input[i].float32 * slope + intercept }
                }
            }
        }
    }
}

/// A NIfTI voxel type with its float32 conversion (a protocol requirement, so that the
/// conversion loop is specialised and vectorised for each type).
private protocol StoredVoxel {
    var float32: Float { get }
}

extension UInt8: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension Int8: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension Int16: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension UInt16: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension Int32: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension UInt32: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension Int64: StoredVoxel { fileprivate var float32: Float { Float(self) } }
extension Float: StoredVoxel { fileprivate var float32: Float { self } }
extension Double: StoredVoxel { fileprivate var float32: Float { Float(self) } }
