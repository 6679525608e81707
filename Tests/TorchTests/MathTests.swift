import Testing

@testable import Torch
import TorchTestSupport

/// Float32 results of the same ATen kernels PyTorch runs are usually bit-identical; 1e-6
/// absolute (a few float32 ulps at the fixtures' magnitudes, |x| ≲ 10) leaves room only
/// for a differently vectorised tail loop, not for a wrong formula.
let float32Tolerance = 1e-6

@Suite("Arithmetic, element-wise math, linear algebra and complex")
struct MathTests {
    let fixture: Fixture
    let a, b, c, pos, unit, ints, z: Tensor

    init() throws {
        fixture = try Fixture("math")
        (a, b, c) = (fixture.tensor("in_a"), fixture.tensor("in_b"), fixture.tensor("in_c"))
        (pos, unit, ints, z) = (
            fixture.tensor("in_pos"), fixture.tensor("in_unit"), fixture.tensor("in_ints"), fixture.tensor("in_z")
        )
    }

    func expectFixture(
        _ actual: Tensor, _ name: String, tolerance: Double = float32Tolerance,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = fixture.tensor(name)
        #expect(actual.dtype == expected.dtype, "\(name): dtype", sourceLocation: sourceLocation)
        expectClose(actual, expected, tolerance: tolerance, "\(name)", sourceLocation: sourceLocation)
    }

    @Test("binary operators broadcast and take numbers on either side")
    func operators() {
        expectFixture(a + b, "a_plus_b")
        expectFixture(a - c, "a_minus_c")
        expectFixture(a * b, "a_times_b")
        expectFixture(a / pos, "a_div_pos")
        expectFixture(a + 2, "a_plus_2")
        expectFixture(2 - a, "two_minus_a")
        expectFixture(a * 1.5, "a_times_1_5")
        // Python's `3 / x` is `x.reciprocal() * 3`; MRIKit divides (`torch.div(3, x)`): 1 ulp apart.
        expectFixture(3 / pos, "three_div_pos")
        expectFixture(3 / fixture.tensor("in_x64"), "x64_rdiv_3", tolerance: 0)
        expectFixture(a / 0.3, "a_div_0_3", tolerance: 0)
        expectFixture(a - 0.1, "a_minus_0_1", tolerance: 0)
        expectFixture(a * 2, "a_times_2", tolerance: 0)
        expectFixture(fixture.tensor("in_x64") + 0.1, "x64_plus_0_1", tolerance: 0)
        // A number beyond float32's range still overflows to ±∞, as in PyTorch.
        expectFixture((a * 1e40).isfinite().logicalNot(), "a_times_1e40_isinf", tolerance: 0)
        expectFixture(-a, "neg_a")
        expectFixture(a.pow(2), "a_pow_2")
        expectFixture(pos.pow(b), "pos_pow_b")
        expectFixture(Tensor.pow(2, a), "two_pow_a")
        expectFixture(a.remainder(c), "a_remainder_c")
    }

    @Test("integer scalars keep integer tensors integer; true division and doubles promote")
    func integerScalars() {
        expectFixture(ints + 3, "ints_plus_3", tolerance: 0)
        #expect((ints + 3).dtype == .int64)
        expectFixture(ints * 0.5, "ints_times_0_5", tolerance: 0)
        expectFixture(ints / 2, "ints_div_2", tolerance: 0)
        expectFixture(ints.remainder(4), "ints_remainder_4", tolerance: 0)
        expectFixture(ints.floorDivide(4), "ints_floor_divide_4", tolerance: 0)
        expectFixture(2 - ints, "two_minus_ints", tolerance: 0)
        let divisors = ints.flip(dims: [1]).clamp(min: 1)
        expectFixture(ints.floorDivide(divisors), "ints_floor_divide_t", tolerance: 0)
        expectFixture(ints .>= 0, "ints_ge_0", tolerance: 0)
        expectFixture(a .< 0.5, "a_lt_0_5", tolerance: 0)
        #expect((Tensor([1, 2] as [Int32]) * Int32(3)).dtype == .int32)
        #expect((Tensor([1, 2] as [Float]) + Float(1)).toArray(of: Float.self) == [2, 3])
    }

    @Test("in-place operators update the tensor itself, visible through every reference")
    func inPlace() {
        let t = a.clone()
        let alias = t
        t += b
        t *= 2
        t -= c
        t /= pos
        expectFixture(alias, "inplace_chain")
        let u = a.clone()
        u.add_(1).mul_(2).sub_(b).div_(3).pow_(2).neg_()
        expectFixture(u, "inplace_methods")
        u += 0.5
        u *= 2
        u -= 1
        u /= 4
        expectFixture(u, "inplace_scalar_operators")
        u.abs_().sqrt_().exp_()
        expectFixture(u, "inplace_unary")
    }

    @Test("a failing fast-path operator throws libtorch's message inside withTorchErrors")
    func fastPathErrors() throws {
        do {
            _ = try withTorchErrors { a + Tensor.zeros([5]) }
            Issue.record("mismatched shapes did not throw")
        } catch let error as TorchError {
            #expect(error.message.contains("must match the size"), "message was: \(error.message)")
        }
        #expect(throws: TorchError.self) { try withTorchErrors { ints /= 2 } }
        #expect(throws: TorchError.self) { try withTorchErrors { _ = (a .> 0).neg_() } }
    }

    @Test("element-wise comparisons and logic give bool tensors; == keeps its meaning")
    func comparisons() {
        expectFixture(a .< b, "a_lt_b", tolerance: 0)
        expectFixture(a .>= 0, "a_ge_0", tolerance: 0)
        let transposed = ints.T.reshape([3, 4])
        expectFixture(ints .== transposed, "ints_eq_ints_t", tolerance: 0)
        expectFixture((a .> 0).logicalAnd(b .> 0), "logic_and", tolerance: 0)
        expectFixture((a .> 0).logicalOr(c .> 0), "logic_or", tolerance: 0)
        expectFixture((a .> 0).logicalNot(), "logic_not", tolerance: 0)
        expectFixture((a .> 0).logicalXor(b .> 0), "logic_xor", tolerance: 0)
        #expect(a.le(b).toArray(of: Bool.self) == (a .<= b).toArray(of: Bool.self))
        #expect(a.gt(0.5).toArray(of: Bool.self) == a.le(0.5).logicalNot().toArray(of: Bool.self))
        #expect((a .!= a).any().item(Bool.self) == false)
        #expect(a.eq(a).all().item(Bool.self) && a.ne(a + 1).all().item(Bool.self))
        #expect(a.equal(a.clone()) && !a.equal(a + 1e-3))
        #expect(a.allClose(a + 1e-9) && !a.allClose(a + 1e-3))
        let nan = Tensor([Float.nan])
        #expect(!nan.allClose(nan) && nan.allClose(nan, equalNaN: true))
    }

    @Test("unary functions match PyTorch")
    func unaryFunctions() {
        let onA: [(String, (Tensor) -> Tensor)] = [
            ("abs", { $0.abs() }), ("exp", { $0.exp() }), ("expm1", { $0.expm1() }), ("sin", { $0.sin() }),
            ("cos", { $0.cos() }), ("tan", { $0.tan() }), ("atan", { $0.atan() }), ("sinh", { $0.sinh() }),
            ("cosh", { $0.cosh() }), ("tanh", { $0.tanh() }), ("sigmoid", { $0.sigmoid() }), ("relu", { $0.relu() }),
            ("sign", { $0.sign() }), ("floor", { $0.floor() }), ("ceil", { $0.ceil() }), ("round", { $0.round() }),
            ("trunc", { $0.trunc() }), ("square", { $0.square() }), ("erf", { $0.erf() }),
        ]
        for (name, function) in onA { expectFixture(function(a), "a_\(name)") }
        let onPositive: [(String, (Tensor) -> Tensor)] = [
            ("sqrt", { $0.sqrt() }), ("rsqrt", { $0.rsqrt() }), ("log", { $0.log() }), ("log1p", { $0.log1p() }),
            ("log2", { $0.log2() }), ("log10", { $0.log10() }), ("reciprocal", { $0.reciprocal() }),
        ]
        for (name, function) in onPositive { expectFixture(function(pos), "pos_\(name)") }
        expectFixture(unit.asin(), "unit_asin")
        expectFixture(unit.acos(), "unit_acos")
        // float64 in, float64 out: the same kernel, so exact up to 1 ulp of values below e³.
        expectFixture(fixture.tensor("in_x64").exp(), "x64_exp", tolerance: 1e-14)
        let inPlace = a.clone()
        inPlace.exp_().log_().sigmoid_()
        expectClose(inPlace, a.sigmoid(), tolerance: float32Tolerance)
    }

    @Test("each in-place unary form computes what its out-of-place form does")
    func inPlaceUnaryFunctions() {
        let forms: [(String, (Tensor) -> Tensor, (Tensor) -> Tensor)] = [
            ("abs", { $0.abs() }, { $0.abs_() }), ("sqrt", { $0.sqrt() }, { $0.sqrt_() }),
            ("rsqrt", { $0.rsqrt() }, { $0.rsqrt_() }), ("exp", { $0.exp() }, { $0.exp_() }),
            ("expm1", { $0.expm1() }, { $0.expm1_() }), ("log", { $0.log() }, { $0.log_() }),
            ("log1p", { $0.log1p() }, { $0.log1p_() }), ("log2", { $0.log2() }, { $0.log2_() }),
            ("log10", { $0.log10() }, { $0.log10_() }), ("sin", { $0.sin() }, { $0.sin_() }),
            ("cos", { $0.cos() }, { $0.cos_() }), ("tan", { $0.tan() }, { $0.tan_() }),
            ("asin", { $0.asin() }, { $0.asin_() }), ("acos", { $0.acos() }, { $0.acos_() }),
            ("atan", { $0.atan() }, { $0.atan_() }), ("sinh", { $0.sinh() }, { $0.sinh_() }),
            ("cosh", { $0.cosh() }, { $0.cosh_() }), ("tanh", { $0.tanh() }, { $0.tanh_() }),
            ("sigmoid", { $0.sigmoid() }, { $0.sigmoid_() }), ("relu", { $0.relu() }, { $0.relu_() }),
            ("sign", { $0.sign() }, { $0.sign_() }), ("floor", { $0.floor() }, { $0.floor_() }),
            ("ceil", { $0.ceil() }, { $0.ceil_() }), ("round", { $0.round() }, { $0.round_() }),
            ("trunc", { $0.trunc() }, { $0.trunc_() }), ("reciprocal", { $0.reciprocal() }, { $0.reciprocal_() }),
            ("square", { $0.square() }, { $0.square_() }), ("erf", { $0.erf() }, { $0.erf_() }),
            ("neg", { -$0 }, { $0.neg_() }),
        ]
        // In (0.05, 0.95): inside every function's domain.
        let input = unit.abs() + 0.05
        for (name, function, inPlace) in forms {
            let copy = input.clone()
            let returned = inPlace(copy)
            #expect(returned === copy, "\(name)_ returns self")
            // The same kernel writing into the input's memory: bit-identical.
            expectClose(copy, function(input), tolerance: 0, "\(name)_")
        }
    }

    @Test("binary and parameterised element-wise functions match PyTorch")
    func parameterisedFunctions() {
        expectFixture(a.atan2(b), "a_atan2_b")
        expectFixture(a.clamp(min: -0.5, max: 0.7), "a_clamp")
        expectFixture(a.clamp(min: 0.1), "a_clamp_min")
        expectFixture(ints.clamp(min: -2, max: 5), "ints_clamp", tolerance: 0)
        expectFixture(a.clone().clamp_(min: -0.5, max: 0.7), "a_clamp")
        expectFixture(a.clamp(min: Tensor(scalar: Float(-0.5)), max: Tensor(scalar: Float(0.7))), "a_clamp")
        expectFixture(a.lerp(pos, weight: 0.3), "a_lerp_pos")
        expectFixture(a.lerp(pos, weight: unit), "a_lerp_pos_t")
        expectFixture(a.maximum(b), "a_maximum_b")
        expectFixture(a.minimum(c), "a_minimum_c")
        // The fixture script's `special` input (JSON cannot hold NaN or infinities).
        let special = Tensor([.nan, .infinity, -.infinity, 1.5, -0.5] as [Float])
        expectFixture(special.isnan(), "special_isnan", tolerance: 0)
        expectFixture(special.isfinite(), "special_isfinite", tolerance: 0)
        expectFixture(special.nanToNum(nan: 0.25, posinf: 9), "special_nan_to_num", tolerance: 0)
        expectFixture(special.nanToNum(), "special_nan_to_num_default", tolerance: 0)
    }

    @Test("matmul, mm, bmm, einsum, outer and dot match PyTorch")
    func linearAlgebra() {
        let m1 = fixture.tensor("in_m1")
        let m2 = fixture.tensor("in_m2")
        let x = fixture.tensor("in_x64").to(dtype: .float32)
        // Sums of 4-5 float32 products of |x| ≲ 3: blocking may reorder them, ~1e-6 relative.
        let tolerance = 1e-5
        expectFixture(a.mm(x), "mm", tolerance: tolerance)
        let firstTwoColumns = x[.all, 0..<2]
        expectFixture(m1.matmul(firstTwoColumns), "matmul_broadcast", tolerance: tolerance)
        expectFixture(m1.bmm(m2), "bmm", tolerance: tolerance)
        expectFixture(Tensor.einsum("bij,bjk->bik", m1, m2), "einsum_bij_bjk", tolerance: tolerance)
        let square = a[.all, 0..<3]
        expectFixture(Tensor.einsum("ii->", [square]), "einsum_trace", tolerance: tolerance)
        expectFixture(b.outer(c.flatten()), "outer")
        let firstRow = a[0]
        expectFixture(b.dot(firstRow), "dot", tolerance: tolerance)
    }

    @Test("complex parts, conjugate, angle, modulus and views match PyTorch")
    func complexNumbers() {
        #expect(z.dtype == .complex64)
        expectFixture(z.real, "z_real", tolerance: 0)
        expectFixture(z.imag, "z_imag", tolerance: 0)
        expectFixture(z.conj(), "z_conj", tolerance: 0)
        expectFixture(z.conjPhysical(), "z_conj", tolerance: 0)
        expectFixture(z.angle(), "z_angle")
        expectFixture(z.abs(), "z_abs")
        expectFixture(z * z, "z_times_z")
        expectFixture(z + a, "z_plus_a")
        expectFixture(z.exp(), "z_exp")
        expectFixture(z.sum(dim: 0), "z_sum_dim0")
        expectFixture(z.norm(), "z_norm", tolerance: 1e-5)
        expectFixture(Tensor.complex(real: a, imaginary: pos), "complex_a_pos", tolerance: 0)
        expectFixture(Tensor.polar(abs: pos, angle: a), "polar_pos_a")
        let parts = z.viewAsReal()
        expectFixture(parts, "z_view_as_real", tolerance: 0)
        expectClose(parts.viewAsComplex(), z, tolerance: 0)
        // A view: writing through the real view changes the complex tensor.
        parts.mul_(2)
        expectClose(z.real, fixture.tensor("z_real") * 2, tolerance: 0)
    }

    @Test("gradients of broadcast arithmetic match PyTorch's")
    func arithmeticGradients() {
        let (a, b, c) = (a.requiringGrad(), b.requiringGrad(), c.requiringGrad())
        let loss = ((a + b) * c / (b * b + 1) - 2 * a).sum()
        loss.backward()
        // Each gradient sums ≤ 4 float32 terms of size ≲ 5.
        expectFixture(a.grad!, "grad_arith_a", tolerance: 1e-5)
        expectFixture(b.grad!, "grad_arith_b", tolerance: 1e-5)
        expectFixture(c.grad!, "grad_arith_c", tolerance: 1e-5)
    }

    @Test("gradients of matmul and of the modulus of a complex tensor match PyTorch's")
    func matmulAndComplexGradients() {
        let m1 = fixture.tensor("in_m1").requiringGrad()
        let m2 = fixture.tensor("in_m2").requiringGrad()
        m1.matmul(m2).pow(2).mean().backward()
        expectFixture(m1.grad!, "grad_matmul_m1", tolerance: 1e-5)
        expectFixture(m2.grad!, "grad_matmul_m2", tolerance: 1e-5)
        let z = z.clone().detach().requiringGrad()
        z.abs().sum().backward()
        expectFixture(z.grad!, "grad_complex_abs_z")
    }
}
