import Testing

@testable import Torch
import TorchTestSupport

/// Shape operations move data without arithmetic, so their results must equal PyTorch's exactly.
@Suite("Shape operations")
struct ShapeTests {
    let fixture: Fixture
    let x: Tensor

    init() throws {
        fixture = try Fixture("shape_fixtures")
        x = fixture.tensor("x")
    }

    @Test("reshape, view, flatten and unflatten give PyTorch's layouts")
    func reshaping() {
        expectClose(x.reshape([4, -1]), fixture.tensor("reshape"), tolerance: 0)
        expectClose(x.view([4, -1]), fixture.tensor("reshape"), tolerance: 0)
        expectClose(x.flatten(startDim: 1), fixture.tensor("flatten"), tolerance: 0)
        expectClose(x.flatten(startDim: 1).unflatten(dim: 1, sizes: [3, 4]), x, tolerance: 0)
        expectClose(x.unflatten(dim: 2, sizes: [2, -1]), fixture.tensor("unflatten"), tolerance: 0)
    }

    @Test("permute, transpose, T and mT reorder dimensions as PyTorch")
    func reordering() {
        expectClose(x.permute([2, 0, 1]), fixture.tensor("permute"), tolerance: 0)
        expectClose(x.transpose(0, 2), fixture.tensor("transpose"), tolerance: 0)
        expectClose(x[0].T, fixture.tensor("T"), tolerance: 0)
        expectClose(x.mT, fixture.tensor("mT"), tolerance: 0)
    }

    @Test("squeeze and unsqueeze remove and insert size-1 dimensions")
    func squeezing() {
        let y = x.unsqueeze(1).unsqueeze(-1)
        #expect(y.shape == [2, 1, 3, 4, 1])
        #expect(y.squeeze().shape == [2, 3, 4])
        #expect(y.squeeze(dim: 1).shape == [2, 3, 4, 1])
        #expect(y.squeeze(dim: 0).shape == y.shape, "a dimension of size 2 is kept")
        #expect(y.squeeze(dims: [1, 4]).shape == [2, 3, 4])
        expectClose(y.squeeze(), x, tolerance: 0)
    }

    @Test("expand, expand(as:) and broadcast(to:) repeat size-1 dimensions without copying")
    func broadcasting() {
        let column = x[.all, 0..<1]
        let expanded = column.expand([3, 2, 3, 4])
        expectClose(expanded, fixture.tensor("expand"), tolerance: 0)
        #expect(expanded.strides[0] == 0, "the new leading dimension is a stride-0 view")
        expectClose(column.expand([3, -1, 3, -1]), fixture.tensor("expand"), tolerance: 0)
        expectClose(column.broadcast(to: [3, 2, 3, 4]), fixture.tensor("expand"), tolerance: 0)
        expectClose(column.expand(as: expanded), fixture.tensor("expand"), tolerance: 0)
    }

    @Test("broadcastShapes follows the broadcasting rules and rejects incompatible shapes")
    func broadcastShapes() {
        #expect(Tensor.broadcastShapes([2, 1, 4], [3, 1], [1]) == [2, 3, 4])
        #expect(Tensor.broadcastShapes([], [5]) == [5])
        #expect(Tensor.broadcastShapes([2, 3], [4, 3]) == nil)
    }

    @Test("cat and stack join tensors as PyTorch")
    func joining() {
        expectClose(Tensor.cat([x, fixture.tensor("y")], dim: 1), fixture.tensor("cat"), tolerance: 0)
        let doubled = x * 2
        expectClose(Tensor.stack([x, doubled], dim: -1), fixture.tensor("stack"), tolerance: 0)
    }

    @Test("split, chunk and unbind cut views that join back to the input")
    func splitting() {
        let bySize = x.split(size: 3, dim: 2)
        #expect(bySize.map(\.shape) == [[2, 3, 3], [2, 3, 1]])
        expectClose(Tensor.cat(bySize, dim: 2), x, tolerance: 0)
        let bySizes = x.split(sizes: [1, 2], dim: 1)
        #expect(bySizes.map(\.shape) == [[2, 1, 4], [2, 2, 4]])
        expectClose(Tensor.cat(bySizes, dim: 1), x, tolerance: 0)
        let chunks = x.chunk(3, dim: -1)
        #expect(chunks.map(\.shape) == [[2, 3, 2], [2, 3, 2]], "4 elements in at most 3 chunks are 2 + 2")
        expectClose(Tensor.cat(chunks, dim: -1), x, tolerance: 0)
        let slices = x.unbind(dim: 1)
        #expect(slices.count == 3 && slices[0].shape == [2, 4])
        expectClose(Tensor.stack(slices, dim: 1), x, tolerance: 0)
        expectClose(x.narrow(dim: 2, start: 1, length: 2), fixture.tensor("narrow"), tolerance: 0)
    }

    @Test("flip, roll, repeat and tile rearrange elements as PyTorch")
    func rearranging() {
        expectClose(x.flip(dims: [0, 2]), fixture.tensor("flip"), tolerance: 0)
        expectClose(x.roll(shifts: [1, -2], dims: [1, 2]), fixture.tensor("roll"), tolerance: 0)
        expectClose(x.roll(shifts: [3]), fixture.tensor("rollFlat"), tolerance: 0)
        expectClose(x.repeat([2, 1, 1, 2]), fixture.tensor("repeat"), tolerance: 0)
        expectClose(x.tile([2]), fixture.tensor("tile"), tolerance: 0)
    }

    /// Padding copies values; the reflect/replicate/circular gradients add up to three upstream values
    /// of O(1) per element, so float32 sums stay within 1e-6 of PyTorch's.
    @Test("pad matches PyTorch in every mode, values and gradients", arguments: [
        ("constant", PaddingMode.constant, [1, 2, 0, 1]), ("reflect", .reflect, [2, 1, 1, 2]),
        ("replicate", .replicate, [3, 0, 2, 1]), ("circular", .circular, [1, 3, 2, 0]),
    ])
    func pad(name: String, mode: PaddingMode, padding: [Int]) {
        expectFixtureCase(fixture, "pad.\(name)", inputs: ["x"], tolerance: 0, gradientTolerance: 1e-6) {
            Functional.pad($0["x"]!, padding: padding, mode: mode, value: 0.5)
        }
    }

    @Test("negative constant padding crops")
    func crop() {
        expectFixtureCase(fixture, "pad.crop", inputs: ["x"], tolerance: 0) { $0["x"]!.pad([-1, 1, 0, -1]) }
    }
}
