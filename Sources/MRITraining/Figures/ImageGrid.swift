/// Images side by side with titles: the sample panels of validation (truth | input | output |
/// error for reconstruction; image | truth | prediction overlays for segmentation).
public struct ImageGrid: Sendable {
    /// One cell: a grayscale image, its display range, an optional label overlay and a title.
    public struct Cell: Sendable {
        /// The title above the image.
        public var title: String
        /// Row-major values, `rows × columns`.
        public var values: [Float]
        /// Image size.
        public var rows, columns: Int
        /// The values shown as black and white.
        public var range: ClosedRange<Float>
        /// Label maps drawn over the image, one colour each (`Color.palette` from index 1, so
        /// class 1 is orange, 2 green, ...), row-major `rows × columns` class indices; 0 is background.
        public var labels: [Int]?

        /// A cell from a 2-D tensor `[rows, columns]` shown over `range` (default: its min…max).
        public init(_ title: String, _ image: Tensor, range: ClosedRange<Float>? = nil, labels: Tensor? = nil) {
            precondition(image.rank == 2, "a grid cell shows a 2-D image, got shape \(image.shape)")
            self.title = title
            rows = image.shape[0]
            columns = image.shape[1]
            values = image.to(dtype: .float32).contiguous().toArray(of: Float.self)
            let low = values.min() ?? 0, high = values.max() ?? 1
            self.range = range ?? (low...max(high, low + .leastNonzeroMagnitude))
            self.labels = labels.map { $0.to(dtype: .int64).contiguous().toArray(of: Int64.self).map(Int.init) }
        }
    }

    /// The cells, in reading order.
    public var cells: [Cell]
    /// Cells per row.
    public var columns: Int

    /// A grid of `cells`, `columns` per row (default: all in one row).
    public init(_ cells: [Cell], columns: Int? = nil) {
        self.cells = cells
        self.columns = max(columns ?? cells.count, 1)
    }

    /// The grid drawn with 4-pixel gutters and a title line above each image; images narrower than
    /// 96 pixels are enlarged by a whole factor (nearest neighbour) so that they and their titles can be read.
    public func render() -> Canvas {
        let widest = cells.map(\.columns).max() ?? 1
        let zoom = max(1, (96 + widest - 1) / widest)
        let cells = zoom == 1 ? cells : cells.map { $0.zoomed(by: zoom) }
        let cellWidth = cells.map(\.columns).max() ?? 1, cellHeight = cells.map(\.rows).max() ?? 1
        let (gutter, titleHeight) = (4, 12)
        let rows = (cells.count + columns - 1) / columns
        var canvas = Canvas(
            width: columns * (cellWidth + gutter) + gutter, height: rows * (cellHeight + titleHeight + gutter) + gutter)
        for (index, cell) in cells.enumerated() {
            let x = gutter + index % columns * (cellWidth + gutter)
            let y = gutter + index / columns * (cellHeight + titleHeight + gutter)
            canvas.text(cell.title, x: x, y: y + 1)
            canvas.grayscale(cell.values, rows: cell.rows, columns: cell.columns, x: x, y: y + titleHeight, range: cell.range)
            if let labels = cell.labels {
                for label in Set(labels).subtracting([0]).sorted() {
                    canvas.overlay(labels.map { $0 == label }, rows: cell.rows, columns: cell.columns, x: x,
                                   y: y + titleHeight, color: Color.palette[label % Color.palette.count])
                }
            }
        }
        return canvas
    }
}

extension ImageGrid.Cell {
    /// This cell with every pixel repeated `factor` times along both axes.
    func zoomed(by factor: Int) -> ImageGrid.Cell {
        func zoom<Value>(_ values: [Value]) -> [Value] {
            (0..<rows * factor).flatMap { row in
                (0..<columns * factor).map { column in values[row / factor * columns + column / factor] }
            }
        }
        var cell = self
        cell.values = zoom(values)
        cell.labels = labels.map(zoom)
        cell.rows = rows * factor
        cell.columns = columns * factor
        return cell
    }
}
