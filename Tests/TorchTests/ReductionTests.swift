import Testing

@testable import Torch
import TorchTestSupport

@Suite("Reductions")
struct ReductionTests {
    let fixture: Fixture
    let a, m1, pos, ints: Tensor

    init() throws {
        fixture = try Fixture("math")
        (a, m1, pos, ints) = (
            fixture.tensor("in_a"), fixture.tensor("in_m1"), fixture.tensor("in_pos"), fixture.tensor("in_ints")
        )
    }

    /// Float32 reductions over ≤ 24 elements of |x| ≲ 3: summation order may differ from
    /// PyTorch's by a few ulps of the result.
    let tolerance = 1e-5

    func expectFixture(
        _ actual: Tensor, _ name: String, tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = fixture.tensor(name)
        #expect(actual.dtype == expected.dtype, "\(name): dtype", sourceLocation: sourceLocation)
        expectClose(actual, expected, tolerance: tolerance, "\(name)", sourceLocation: sourceLocation)
    }

    @Test("sum, mean, std and var over all, one or several dimensions match PyTorch")
    func moments() {
        expectFixture(a.sum(), "sum_all", tolerance: tolerance)
        expectFixture(a.sum(dim: 1), "sum_dim1", tolerance: tolerance)
        expectFixture(m1.sum(dim: [0, 2], keepdim: true), "sum_dims_keep", tolerance: tolerance)
        expectFixture(ints.sum(), "ints_sum", tolerance: 0)
        expectFixture(a.mean(), "mean_all", tolerance: tolerance)
        expectFixture(a.mean(dim: 0, keepdim: true), "mean_dim0_keep", tolerance: tolerance)
        expectFixture(a.std(), "std_all", tolerance: tolerance)
        expectFixture(a.std(dim: 1, correction: 0), "std_dim1_pop", tolerance: tolerance)
        expectFixture(a.var(dim: 0), "var_dim0", tolerance: tolerance)
        // float64: 20 terms, error ~1e-15 relative.
        expectFixture(fixture.tensor("in_x64").var(), "x64_var_all", tolerance: 1e-13)
        #expect(a.sum(dim: [0, 1]).shape == [])
        #expect(ints.sum(dtype: .float64).dtype == .float64)
    }

    @Test("min, max, argmin, argmax, amin and amax match PyTorch, with indices")
    func extremes() {
        expectFixture(a.max(), "max_all", tolerance: 0)
        expectFixture(a.min(), "min_all", tolerance: 0)
        let maxima = a.max(dim: 1)
        expectFixture(maxima.values, "max_dim1_values", tolerance: 0)
        expectFixture(maxima.indices, "max_dim1_indices", tolerance: 0)
        let minima = a.min(dim: 0, keepdim: true)
        expectFixture(minima.values, "min_dim0_values", tolerance: 0)
        expectFixture(minima.indices, "min_dim0_indices", tolerance: 0)
        expectFixture(a.argmax(), "argmax_all", tolerance: 0)
        expectFixture(a.argmin(dim: 1), "argmin_dim1", tolerance: 0)
        expectFixture(m1.amax(dim: [1, 2]), "amax_dims", tolerance: 0)
        expectFixture(m1.amin(), "amin_all", tolerance: 0)
    }

    @Test("norms, products, cumulative sums and logsumexp match PyTorch")
    func normsAndProducts() {
        expectFixture(a.norm(), "norm_all", tolerance: tolerance)
        expectFixture(a.norm(p: 1, dim: 1), "norm_p1_dim1", tolerance: tolerance)
        expectFixture(a.norm(p: .infinity), "norm_inf", tolerance: 0)
        expectFixture(m1.norm(p: 3, dim: [1, 2], keepdim: true), "norm_p3_keep", tolerance: tolerance)
        expectFixture(pos.prod(), "prod_all", tolerance: tolerance)
        expectFixture(pos.prod(dim: 1), "prod_dim1", tolerance: tolerance)
        expectFixture(a.cumsum(dim: 1), "cumsum_dim1", tolerance: tolerance)
        expectFixture(ints.cumsum(dim: 0), "ints_cumsum_dim0", tolerance: 0)
        expectFixture(a.logsumexp(dim: 1), "logsumexp_dim1", tolerance: tolerance)
        expectFixture(m1.logsumexp(dim: [0, 2], keepdim: true), "logsumexp_dims_keep", tolerance: tolerance)
    }

    @Test("topk, sort, quantile, all and any match PyTorch")
    func orderStatistics() {
        let top = a.topk(2, dim: 1)
        expectFixture(top.values, "topk_values", tolerance: 0)
        expectFixture(top.indices, "topk_indices", tolerance: 0)
        let bottom = a.topk(2, dim: 0, largest: false)
        expectFixture(bottom.values, "topk_small_values", tolerance: 0)
        expectFixture(bottom.indices, "topk_small_indices", tolerance: 0)
        let sorted = a.sort(dim: 1, descending: true)
        expectFixture(sorted.values, "sort_values", tolerance: 0)
        expectFixture(sorted.indices, "sort_indices", tolerance: 0)
        #expect(Tensor([2, 1, 2, 1] as [Float]).sort(stable: true).indices.toArray(of: Int.self) == [1, 3, 0, 2])
        expectFixture(a.quantile(0.3), "quantile_0_3", tolerance: tolerance)
        expectFixture(a.quantile(0.75, dim: 1, interpolation: .nearest), "quantile_dim1_nearest", tolerance: 0)
        expectFixture((a .> -1).all(dim: [1]), "all_dim1", tolerance: 0)
        expectFixture((a .> 2).any(), "any_all", tolerance: 0)
        expectFixture((a .> 1).any(dim: [0]), "any_dim0", tolerance: 0)
    }

    @Test("gradients through sum, mean, std, norm and logsumexp match PyTorch's")
    func gradients() {
        let x = a.clone().requiringGrad()
        (x.sum() + x.mean(dim: 1).pow(2).sum() + x.std() + x.norm()).backward()
        expectFixture(x.grad!, "grad_reduce_a", tolerance: tolerance)
        let y = m1.clone().requiringGrad()
        y.logsumexp(dim: 2).sum().backward()
        expectFixture(y.grad!, "grad_logsumexp_m1", tolerance: tolerance)
    }
}
