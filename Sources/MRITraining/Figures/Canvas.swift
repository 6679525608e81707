/// An RGB colour.
public struct Color: Sendable, Equatable {
    /// The channels, 0–255.
    public var red, green, blue: UInt8

    /// A colour from its channels.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    public static let white = Color(255, 255, 255), black = Color(0, 0, 0), gray = Color(160, 160, 160)
    /// Distinguishable series and label colours (the first ones of matplotlib's `tab10`).
    public static let palette = [
        Color(31, 119, 180), Color(255, 127, 14), Color(44, 160, 44), Color(214, 39, 40), Color(148, 103, 189),
        Color(140, 86, 75), Color(227, 119, 194), Color(127, 127, 127),
    ]
}

/// An RGB raster that figures are drawn on: lines, rectangles, text and images.
public struct Canvas: Sendable {
    /// Size in pixels.
    public let width, height: Int
    /// Row-major RGB bytes, `height × width × 3`.
    public private(set) var pixels: [UInt8]

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "a canvas needs a positive size")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, color: background)
    }

    /// The colour at (`x`, `y`).
    public func color(x: Int, y: Int) -> Color {
        let offset = (y * width + x) * 3
        return Color(pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }

    /// Sets one pixel; points outside the canvas are ignored.
    public mutating func set(x: Int, y: Int, _ color: Color) {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return }
        let offset = (y * width + x) * 3
        pixels[offset] = color.red
        pixels[offset + 1] = color.green
        pixels[offset + 2] = color.blue
    }

    /// Fills a rectangle (clipped to the canvas).
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, color: Color) {
        let (top, bottom) = (max(y, 0), min(y + height, self.height))
        let (left, right) = (max(x, 0), min(x + width, self.width))
        guard top < bottom, left < right else { return }
        for row in top..<bottom {
            for column in left..<right { set(x: column, y: row, color) }
        }
    }

    /// A straight line from (`x0`, `y0`) to (`x1`, `y1`), `thickness` pixels wide (Bresenham).
    public mutating func line(from start: (Int, Int), to end: (Int, Int), color: Color, thickness: Int = 1) {
        var (x, y) = start
        let (dx, dy) = (abs(end.0 - x), -abs(end.1 - y))
        let (sx, sy) = (x < end.0 ? 1 : -1, y < end.1 ? 1 : -1)
        var error = dx + dy
        while true {
            fill(x: x - thickness / 2, y: y - thickness / 2, width: thickness, height: thickness, color: color)
            if x == end.0 && y == end.1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// Draws `text` with its top-left corner at (`x`, `y`), each font pixel `scale` pixels wide.
    public mutating func text(_ text: String, x: Int, y: Int, color: Color = .black, scale: Int = 1) {
        for (index, character) in text.enumerated() {
            let left = x + index * (BitmapFont.width + 1) * scale
            for (row, bits) in BitmapFont.glyph(character).enumerated() {
                for column in 0..<BitmapFont.width where bits & (0x10 >> UInt8(column)) != 0 {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }

    /// The width in pixels of `text` drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        max(text.count * (BitmapFont.width + 1) - 1, 0) * scale
    }

    /// Draws a grayscale image (`values` row-major, `rows × columns`) mapping `range` to black…white,
    /// with its top-left corner at (`x`, `y`).
    public mutating func grayscale(_ values: [Float], rows: Int, columns: Int, x: Int, y: Int, range: ClosedRange<Float>) {
        precondition(values.count == rows * columns, "\(values.count) values for a \(rows)×\(columns) image")
        let span = max(range.upperBound - range.lowerBound, .leastNonzeroMagnitude)
        for row in 0..<rows {
            for column in 0..<columns {
                let level = UInt8(max(0, min(255, ((values[row * columns + column] - range.lowerBound) / span * 255).rounded())))
                set(x: x + column, y: y + row, Color(level, level, level))
            }
        }
    }

    /// Blends `color` at `opacity` over every pixel of the `rows × columns` block at (`x`, `y`) where `mask` is true.
    public mutating func overlay(_ mask: [Bool], rows: Int, columns: Int, x: Int, y: Int, color: Color, opacity: Double = 0.5) {
        precondition(mask.count == rows * columns, "\(mask.count) mask values for a \(rows)×\(columns) image")
        func blend(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - opacity) + Double(b) * opacity).rounded()) }
        for row in 0..<rows {
            for column in 0..<columns where mask[row * columns + column] {
                let (px, py) = (x + column, y + row)
                guard (0..<width).contains(px), (0..<height).contains(py) else { continue }
                let under = self.color(x: px, y: py)
                set(x: px, y: py, Color(blend(under.red, color.red), blend(under.green, color.green), blend(under.blue, color.blue)))
            }
        }
    }

    /// Copies `other` with its top-left corner at (`x`, `y`) (clipped to this canvas).
    public mutating func paste(_ other: Canvas, x: Int, y: Int) {
        for row in 0..<other.height {
            for column in 0..<other.width { set(x: x + column, y: y + row, other.color(x: column, y: row)) }
        }
    }

    /// `canvases` stacked top to bottom on a white canvas as wide as the widest.
    public static func stacked(_ canvases: [Canvas]) -> Canvas {
        var result = Canvas(width: canvases.map(\.width).max() ?? 1, height: max(canvases.map(\.height).reduce(0, +), 1))
        var top = 0
        for canvas in canvases {
            result.paste(canvas, x: 0, y: top)
            top += canvas.height
        }
        return result
    }

    /// The pixels as a `uint8` tensor `[3, height, width]` (channels first, as `PNGFile.write` takes them).
    public var tensor: Tensor { Tensor(pixels, shape: [height, width, 3]).permute([2, 0, 1]).contiguous() }
}
