// libtorch's multi-tensor (`_foreach_*`) and fused optimizer kernels, which update a whole
// list of tensors in one call, as PyTorch's foreach and fused optimizers do.

/// The operators, in their own namespace so they cannot clash with other `ATen` declarations.
enum OptimizerKernels {
    static let foreachAddList = ATenOperator("aten::_foreach_add", "List")
    static let foreachAddList_ = ATenOperator("aten::_foreach_add_", "List")
    static let foreachAddScalar_ = ATenOperator("aten::_foreach_add_", "Scalar")
    static let foreachMulScalar_ = ATenOperator("aten::_foreach_mul_", "Scalar")
    static let foreachMulTensor_ = ATenOperator("aten::_foreach_mul_", "Tensor")
    static let foreachAddcmulScalar = ATenOperator("aten::_foreach_addcmul", "Scalar")
    static let foreachAddcmulScalar_ = ATenOperator("aten::_foreach_addcmul_", "Scalar")
    static let foreachAddcdivScalar_ = ATenOperator("aten::_foreach_addcdiv_", "Scalar")
    static let foreachLerpScalar_ = ATenOperator("aten::_foreach_lerp_", "Scalar")
    static let foreachNeg = ATenOperator("aten::_foreach_neg")
    static let foreachSqrt = ATenOperator("aten::_foreach_sqrt")
    static let foreachSqrt_ = ATenOperator("aten::_foreach_sqrt_")
    static let foreachClampMinScalar_ = ATenOperator("aten::_foreach_clamp_min_", "Scalar")
    static let foreachClampMaxScalar_ = ATenOperator("aten::_foreach_clamp_max_", "Scalar")
    static let foreachCopy_ = ATenOperator("aten::_foreach_copy_")
    static let foreachNorm = ATenOperator("aten::_foreach_norm", "Scalar")
    static let fusedAdam_ = ATenOperator("aten::_fused_adam_")
    static let fusedAdamW_ = ATenOperator("aten::_fused_adamw_")
    static let ampNonFiniteCheckAndUnscale_ = ATenOperator("aten::_amp_foreach_non_finite_check_and_unscale_")
    static let ampUpdateScale_ = ATenOperator("aten::_amp_update_scale_")
    static let linalgVectorNorm = ATenOperator("aten::linalg_vector_norm")
}

/// Swift spellings of the `_foreach_*` kernels: each applies one element-wise op to every
/// tensor of a list (lists pair up element by element).
enum Foreach {
    /// `self[i] + alpha * other[i]`.
    static func add(_ tensors: [Tensor], _ other: [Tensor], alpha: Double = 1) -> [Tensor] {
        OptimizerKernels.foreachAddList.tensors(.tensors(tensors), .tensors(other), .double(alpha))
    }

    /// `self[i] += alpha * other[i]`.
    static func add_(_ tensors: [Tensor], _ other: [Tensor], alpha: Double = 1) {
        _ = OptimizerKernels.foreachAddList_.call([.tensors(tensors), .tensors(other), .double(alpha)])
    }

    /// `self[i] += scalar`.
    static func add_(_ tensors: [Tensor], _ scalar: Double) {
        _ = OptimizerKernels.foreachAddScalar_.call([.tensors(tensors), .double(scalar)])
    }

    /// `self[i] *= scalar`.
    static func mul_(_ tensors: [Tensor], _ scalar: Double) {
        _ = OptimizerKernels.foreachMulScalar_.call([.tensors(tensors), .double(scalar)])
    }

    /// `self[i] *= factor` for a one-element tensor `factor` (no host synchronisation).
    static func mul_(_ tensors: [Tensor], _ factor: Tensor) {
        _ = OptimizerKernels.foreachMulTensor_.call([.tensors(tensors), .tensor(factor)])
    }

    /// `self[i] + value * a[i] * b[i]`.
    static func addcmul(_ tensors: [Tensor], _ a: [Tensor], _ b: [Tensor], value: Double) -> [Tensor] {
        OptimizerKernels.foreachAddcmulScalar.tensors(.tensors(tensors), .tensors(a), .tensors(b), .double(value))
    }

    /// `self[i] += value * a[i] * b[i]`.
    static func addcmul_(_ tensors: [Tensor], _ a: [Tensor], _ b: [Tensor], value: Double) {
        _ = OptimizerKernels.foreachAddcmulScalar_.call([.tensors(tensors), .tensors(a), .tensors(b), .double(value)])
    }

    /// `self[i] += value * a[i] / b[i]`.
    static func addcdiv_(_ tensors: [Tensor], _ a: [Tensor], _ b: [Tensor], value: Double = 1) {
        _ = OptimizerKernels.foreachAddcdivScalar_.call([.tensors(tensors), .tensors(a), .tensors(b), .double(value)])
    }

    /// `self[i] += weight * (end[i] - self[i])`.
    static func lerp_(_ tensors: [Tensor], _ end: [Tensor], weight: Double) {
        _ = OptimizerKernels.foreachLerpScalar_.call([.tensors(tensors), .tensors(end), .double(weight)])
    }

    /// `-self[i]`.
    static func neg(_ tensors: [Tensor]) -> [Tensor] { OptimizerKernels.foreachNeg.tensors(.tensors(tensors)) }

    /// `sqrt(self[i])`.
    static func sqrt(_ tensors: [Tensor]) -> [Tensor] { OptimizerKernels.foreachSqrt.tensors(.tensors(tensors)) }

    /// `self[i] = sqrt(self[i])`.
    static func sqrt_(_ tensors: [Tensor]) { _ = OptimizerKernels.foreachSqrt_.call([.tensors(tensors)]) }

    /// `self[i] = clamp(self[i], min, max)`.
    static func clamp_(_ tensors: [Tensor], min: Double, max: Double) {
        _ = OptimizerKernels.foreachClampMinScalar_.call([.tensors(tensors), .double(min)])
        _ = OptimizerKernels.foreachClampMaxScalar_.call([.tensors(tensors), .double(max)])
    }

    /// `self[i].copy_(source[i])`.
    static func copy_(_ tensors: [Tensor], _ source: [Tensor]) {
        _ = OptimizerKernels.foreachCopy_.call([.tensors(tensors), .tensors(source)])
    }

    /// The `ord`-norm of each tensor, as 0-d tensors.
    static func norm(_ tensors: [Tensor], ord: Double) -> [Tensor] {
        OptimizerKernels.foreachNorm.tensors(.tensors(tensors), .double(ord))
    }
}
