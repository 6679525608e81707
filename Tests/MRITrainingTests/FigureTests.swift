import Testing

@testable import MRITraining

@Suite("Figures")
struct FigureTests {
    @Test("a line covers both end points and the pixels between, nothing else")
    func line() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.line(from: (1, 1), to: (8, 4), color: .black)
        let black = (0..<10).flatMap { y in (0..<10).filter { canvas.color(x: $0, y: y) == .black }.map { ($0, y) } }
        #expect(black.count == 8)  // one pixel per column of an x-major line
        #expect(canvas.color(x: 1, y: 1) == .black && canvas.color(x: 8, y: 4) == .black)
        #expect(Set(black.map(\.0)) == Set(1...8))
    }

    @Test("text draws the glyph's pixels at the scale asked")
    func text() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.text("1", x: 0, y: 0, scale: 2)
        let glyphPixels = BitmapFont.glyph("1").reduce(0) { $0 + $1.nonzeroBitCount }
        let drawn = (0..<20).reduce(0) { sum, y in sum + (0..<20).filter { canvas.color(x: $0, y: y) == .black }.count }
        #expect(drawn == glyphPixels * 4)
        #expect(Canvas.textWidth("abc", scale: 2) == 34)
        // Text running past the right or bottom edge is clipped, not a crash.
        canvas.text("a title wider than the canvas", x: 15, y: 18)
        canvas.fill(x: 30, y: 30, width: 4, height: 4, color: .black)
    }

    @Test("an image grid enlarges small images, places each cell with a title line and blends label overlays")
    func grid() {
        let image = Tensor.zeros([8, 6])
        let labels = Tensor([Int64](repeating: 0, count: 47) + [1], shape: [8, 6])
        let canvas = ImageGrid([.init("a", image, range: 0...1), .init("b", image, range: 0...1, labels: labels)]).render()
        // 6 columns are enlarged 16 times (the first whole factor reaching 96 pixels): cells of 96 × 128.
        #expect(canvas.width == 2 * (96 + 4) + 4 && canvas.height == 128 + 12 + 4 + 4)
        // The last pixel of cell b is class 1: half black, half palette[1], over its 16 × 16 block.
        let expected = Color.palette[1]
        let half = Color(UInt8((Double(expected.red) / 2).rounded()), UInt8((Double(expected.green) / 2).rounded()),
                         UInt8((Double(expected.blue) / 2).rounded()))
        let (left, top) = (4 + 100, 4 + 12)
        #expect(canvas.color(x: left + 95, y: top + 127) == half)
        #expect(canvas.color(x: left + 80, y: top + 112) == half)
        #expect(canvas.color(x: left + 79, y: top + 127) == .black)
        #expect(canvas.color(x: 4, y: top) == .black)
    }

    @Test("a line plot draws each series in its palette colour inside the axes")
    func plot() {
        let plot = LinePlot(title: "loss", series: [.init("train", [(1, 1.0), (2, 0.5), (3, 0.25)]),
                                                    .init("val", [(1, 0.8), (3, 0.3)])], logarithmic: true)
        let canvas = plot.render(width: 320, height: 200)
        var counts = [0, 0]
        for y in 0..<200 {
            for x in 0..<320 {
                for index in 0..<2 where canvas.color(x: x, y: y) == Color.palette[index] { counts[index] += 1 }
            }
        }
        #expect(counts[0] > 100 && counts[1] > 100)
        #expect(LinePlot.format(0.000123) == "1.2e-04" && LinePlot.format(0.5) == "0.5")
    }
}
