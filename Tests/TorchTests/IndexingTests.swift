import Testing

@testable import Torch
import TorchTestSupport

/// Indexing and selection copy or gather values without arithmetic, so results equal PyTorch's
/// exactly; gradients that sum several upstream values (broadcast assignment, scatterAdd) get 1e-6.
@Suite("Indexing and selection")
struct IndexingTests {
    let fixture: Fixture
    let x: Tensor

    init() throws {
        fixture = try Fixture("indexing_fixtures")
        x = fixture.tensor("x")
    }

    @Test("positions, ranges, steps, new axes and ellipsis read as PyTorch's basic indexing")
    func basicIndexing() {
        expectClose(x[1], fixture.tensor("get.int"), tolerance: 0)
        expectClose(x[-1, 1..<3], fixture.tensor("get.negativeRange"), tolerance: 0)
        expectClose(x[-1, 1...2], fixture.tensor("get.negativeRange"), tolerance: 0)
        expectClose(x[.ellipsis, 0], fixture.tensor("get.ellipsis"), tolerance: 0)
        expectClose(x[.all, .newAxis, 2], fixture.tensor("get.newAxis"), tolerance: 0)
        expectClose(x[.range(1, 4, step: 2), .range(step: 2)], fixture.tensor("get.step"), tolerance: 0)
        expectClose(x[2..., .all, (-3)...], fixture.tensor("get.closedTail"), tolerance: 0)
        expectClose(x[2..., .all, (-3)...(-1)], fixture.tensor("get.closedTail"), tolerance: 0)
        expectClose(x[..<2, ...1], x[0..<2, 0..<2], tolerance: 0)
    }

    @Test("basic indexing returns views of the same storage")
    func basicIndexingIsAView() {
        let y = x.clone()
        let row = y[1, 2..<4]
        row.fill_(7, at: .all)
        #expect(y[1, 2].toArray(of: Float.self).allSatisfy { $0 == 7 })
        #expect(y[1, 1].toArray(of: Float.self) == x[1, 1].toArray(of: Float.self))
    }

    @Test("masks and index tensors read as PyTorch's advanced indexing")
    func advancedIndexing() {
        let mask = fixture.tensor("mask")
        let index = fixture.tensor("index")
        expectClose(x[mask], fixture.tensor("get.mask"), tolerance: 0)
        expectClose(x[mask, 0], fixture.tensor("get.maskThenInt"), tolerance: 0)
        expectClose(x[index], fixture.tensor("get.index"), tolerance: 0)
        expectClose(x[.all, fixture.tensor("index2"), 1], fixture.tensor("get.index2"), tolerance: 0)
        expectClose(x[index, .all, index], fixture.tensor("get.splitAdvanced"), tolerance: 0)
        expectClose(x[.all, index, index], fixture.tensor("get.adjacentAdvanced"), tolerance: 0)
    }

    @Test("assigning a tensor into a slice broadcasts it and passes gradients to both tensors")
    func assignSlice() {
        expectFixtureCase(fixture, "set.slice", inputs: ["x", "v"], tolerance: 0, gradientTolerance: 1e-6) {
            let y = $0["x"]!.clone()
            y[1, 1..<3] = $0["v"]!
            return y
        }
    }

    @Test("assigning through a mask or an index tensor is index_put_, with gradients")
    func assignAdvanced() {
        let mask = fixture.tensor("mask")
        expectFixtureCase(fixture, "set.mask", inputs: ["x", "v"], tolerance: 0, gradientTolerance: 1e-6) {
            let y = $0["x"]!.clone()
            y[mask] = $0["v"]!
            return y
        }
        expectFixtureCase(fixture, "set.index", inputs: ["x", "v"], tolerance: 0, gradientTolerance: 1e-6) {
            let y = $0["x"]!.clone()
            y[Tensor([2, 0, 1] as [Int])] = $0["v"]!
            return y
        }
    }

    @Test("a scalar fills the selected elements, through fill_(at:) or a 0-d tensor")
    func fillScalar() {
        let masked = x.clone()
        masked.fill_(0.25, at: fixture.tensor("mask"))
        expectClose(masked, fixture.tensor("fill.mask"), tolerance: 0)
        let column = x.clone()
        column.fill_(-2, at: .ellipsis, 1)
        expectClose(column, fixture.tensor("fill.ellipsis"), tolerance: 0)
        let assigned = x.clone()
        assigned[.ellipsis, 1] = Tensor(scalar: Float(-2))
        expectClose(assigned, fixture.tensor("fill.ellipsis"), tolerance: 0)
    }

    @Test("gather, scatter, scatterAdd and indexSelect match PyTorch, with gradients")
    func gatherScatter() {
        expectFixtureCase(fixture, "gather", inputs: ["s"], tolerance: 0, gradientTolerance: 1e-6) {
            $0["s"]!.gather(dim: 0, index: fixture.tensor("gather.index"))
        }
        expectFixtureCase(fixture, "scatter", inputs: ["b", "u"], tolerance: 0) {
            $0["b"]!.scatter(dim: 0, index: fixture.tensor("scatter.index"), src: $0["u"]!)
        }
        // Repeated indices add up to four float32 values of O(1): within 1e-6 of PyTorch's order.
        expectFixtureCase(fixture, "scatterAdd", inputs: ["b", "u"], tolerance: 1e-6) {
            $0["b"]!.scatterAdd(dim: 1, index: fixture.tensor("scatterAdd.index"), src: $0["u"]!)
        }
        let base = fixture.tensor("scatter.b")
        expectClose(base.scatter(dim: 0, index: fixture.tensor("scatter.index"), value: 1.5),
                    fixture.tensor("scatterValue"), tolerance: 0)
        expectFixtureCase(fixture, "indexSelect", inputs: ["s"], tolerance: 0, gradientTolerance: 1e-6) {
            $0["s"]!.indexSelect(dim: 1, index: fixture.tensor("indexSelect.index"))
        }
    }

    @Test("where, maskedFill, maskedSelect and nonzero match PyTorch")
    func conditional() {
        let condition = fixture.tensor("where.condition")
        expectFixtureCase(fixture, "where", inputs: ["a", "b"], tolerance: 0, gradientTolerance: 1e-6) {
            Tensor.where(condition, $0["a"]!, $0["b"]!)
        }
        expectFixtureCase(fixture, "maskedFill", inputs: ["a"], tolerance: 0) { $0["a"]!.maskedFill(condition, -1) }
        expectFixtureCase(fixture, "maskedFill", inputs: ["a"], tolerance: 0) {
            $0["a"]!.maskedFill(condition, Tensor(scalar: Float(-1)))
        }
        let source = fixture.tensor("maskedFill.a")
        expectClose(source.maskedSelect(condition), fixture.tensor("maskedSelect"), tolerance: 0)
        expectClose(condition.nonzero(), fixture.tensor("nonzero"), tolerance: 0)
    }
}
