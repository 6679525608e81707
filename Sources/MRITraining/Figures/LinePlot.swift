import Foundation

/// A line chart of one or more series (training loss and validation metrics per epoch), drawn
/// on a `Canvas` with axes, tick labels, a title and a legend.
public struct LinePlot: Sendable {
    /// One named line.
    public struct Series: Sendable {
        /// The legend's name for it.
        public var name: String
        /// The points, in drawing order.
        public var points: [(x: Double, y: Double)]

        /// A series of `points`.
        public init(_ name: String, _ points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// The title above the chart.
    public var title: String
    /// The label under the x axis.
    public var xLabel: String
    /// The lines, coloured from `Color.palette` in order.
    public var series: [Series]
    /// Whether the y axis is logarithmic (losses spanning decades); non-positive values are dropped.
    public var logarithmic: Bool

    /// A chart of `series`.
    public init(title: String, xLabel: String = "epoch", series: [Series], logarithmic: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
        self.logarithmic = logarithmic
    }

    /// The chart drawn on a `width × height` canvas.
    public func render(width: Int = 640, height: Int = 400) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let (left, right, top, bottom) = (70, 20, 30, 40)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        canvas.text(title, x: (width - Canvas.textWidth(title, scale: 2)) / 2, y: 6, scale: 2)
        canvas.text(xLabel, x: left + (plotWidth - Canvas.textWidth(xLabel)) / 2, y: height - 12)

        let transform: (Double) -> Double = logarithmic ? { log10($0) } : { $0 }
        let lines = series.map { line in
            line.points.filter { $0.x.isFinite && $0.y.isFinite && (!logarithmic || $0.y > 0) }
                .map { (x: $0.x, y: transform($0.y)) }
        }
        let xs = lines.flatMap { $0.map(\.x) }, ys = lines.flatMap { $0.map(\.y) }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            canvas.text("no data", x: left + 10, y: top + 10)
            return canvas
        }
        let xSpan = max(xMax - xMin, 1e-12), ySpan = max(yMax - yMin, 1e-12 * max(abs(yMax), 1))
        func pixel(_ x: Double, _ y: Double) -> (Int, Int) {
            (left + Int(((x - xMin) / xSpan * Double(plotWidth)).rounded()),
             top + plotHeight - Int(((y - yMin) / ySpan * Double(plotHeight)).rounded()))
        }

        for tick in 0...4 {
            let y = yMin + ySpan * Double(tick) / 4
            let (_, row) = pixel(xMin, y)
            canvas.line(from: (left, row), to: (left + plotWidth, row), color: Color(230, 230, 230))
            let label = Self.format(logarithmic ? pow(10, y) : y)
            canvas.text(label, x: left - 6 - Canvas.textWidth(label), y: row - 3)
            let x = xMin + xSpan * Double(tick) / 4
            let (column, _) = pixel(x, yMin)
            let xText = Self.format(x)
            canvas.text(xText, x: column - Canvas.textWidth(xText) / 2, y: top + plotHeight + 6)
        }
        canvas.line(from: (left, top), to: (left, top + plotHeight), color: .black)
        canvas.line(from: (left, top + plotHeight), to: (left + plotWidth, top + plotHeight), color: .black)

        for (index, line) in lines.enumerated() {
            let color = Color.palette[index % Color.palette.count]
            for (a, b) in zip(line, line.dropFirst()) {
                canvas.line(from: pixel(a.x, a.y), to: pixel(b.x, b.y), color: color, thickness: 2)
            }
            if line.count == 1 {
                let (x, y) = pixel(line[0].x, line[0].y)
                canvas.fill(x: x - 2, y: y - 2, width: 5, height: 5, color: color)
            }
            let legendY = top + 6 + index * 12
            let legendX = left + plotWidth - 10 - Canvas.textWidth(series[index].name) - 16
            canvas.fill(x: legendX, y: legendY + 2, width: 12, height: 3, color: color)
            canvas.text(series[index].name, x: legendX + 16, y: legendY)
        }
        return canvas
    }

    /// A short tick label: 3 significant digits, exponent notation for very large or small values.
    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) >= 1e4 || abs(value) < 1e-2 { return String(format: "%.1e", value) }
        return String(format: "%.3g", value)
    }
}
