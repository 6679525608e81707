import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The k-space geometry in a fastMRI file's `ismrmrd_header` XML: what fastMRI's
/// `SliceDataset._retrieve_metadata` reads from it.
///
/// fastMRI's k-space is zero-padded along the phase-encoding direction (the last dimension, `W`);
/// only columns `paddingLeft ..< paddingRight` were acquired, and masks are zeroed outside them.
public struct FastMRIHeader: Sendable, Equatable {
    /// The encoded matrix `[x, y, z]` (`encoding/encodedSpace/matrixSize`); `y` is k-space's `W`.
    public var encodingSize: [Int]
    /// The reconstructed matrix `[x, y, z]` (`encoding/reconSpace/matrixSize`); fastMRI crops
    /// images to `[x, y]`.
    public var reconSize: [Int]
    /// The centre line of the phase encoding (`encodingLimits/kspace_encoding_step_1/center`).
    public var encodingCenter: Int
    /// The last acquired phase-encoding line (`encodingLimits/kspace_encoding_step_1/maximum`).
    public var encodingMaximum: Int

    /// A header with these sizes and limits.
    public init(encodingSize: [Int], reconSize: [Int], encodingCenter: Int, encodingMaximum: Int) {
        self.encodingSize = encodingSize
        self.reconSize = reconSize
        self.encodingCenter = encodingCenter
        self.encodingMaximum = encodingMaximum
    }

    /// The first acquired k-space column: `encodingSize[1] / 2 − encodingCenter`.
    public var paddingLeft: Int { encodingSize[1] / 2 - encodingCenter }

    /// One past the last acquired k-space column: `paddingLeft + encodingMaximum + 1`.
    public var paddingRight: Int { paddingLeft + encodingMaximum + 1 }

    /// The ISMRMRD namespace fastMRI's headers use; elements outside it are not matched, as in fastMRI.
    static let namespace = "http://www.ismrm.org/ISMRMRD"

    /// Reads the header from ISMRMRD XML `xml`, naming `file` and `field` in errors. Each value is
    /// the first element, in document order, nested under the elements before it, as fastMRI's
    /// `et_query` finds it.
    public init(parsing xml: Data, file: String, field: String = "ismrmrd_header") throws {
        let queries = [
            "encoding/encodedSpace/matrixSize/x", "encoding/encodedSpace/matrixSize/y",
            "encoding/encodedSpace/matrixSize/z", "encoding/reconSpace/matrixSize/x",
            "encoding/reconSpace/matrixSize/y", "encoding/reconSpace/matrixSize/z",
            "encoding/encodingLimits/kspace_encoding_step_1/center",
            "encoding/encodingLimits/kspace_encoding_step_1/maximum",
        ]
        let finder = ElementFinder(queries.map { $0.split(separator: "/").map(String.init) })
        let parser = XMLParser(data: xml)
        parser.shouldProcessNamespaces = true
        parser.delegate = finder
        // swift-corelibs' XMLParser can return true for a document cut short (open elements at
        // the end), so the finder checks that the root element closed.
        guard parser.parse(), parser.parserError == nil, finder.isComplete else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "the document ends inside an element"
            throw DataError(file: file, field: field, "is not well-formed XML (line \(parser.lineNumber)): \(reason)")
        }
        let values = try zip(queries, finder.texts).map { query, text -> Int in
            guard let text else { throw DataError(file: file, field: field, "has no \(query) element") }
            guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw DataError(file: file, field: field, "\(query) is \"\(text)\", not an integer")
            }
            return value
        }
        // Matrix sizes are counts; a header with a zero or negative one is corrupt.
        for (query, size) in zip(queries, values).prefix(6) where size < 1 {
            throw DataError(file: file, field: field, "\(query) is \(size), not a positive size")
        }
        self.init(
            encodingSize: Array(values[0..<3]), reconSize: Array(values[3..<6]), encodingCenter: values[6],
            encodingMaximum: values[7])
    }

    /// A minimal ISMRMRD header holding these values, for the files MRIKit writes.
    public var xml: String {
        func matrix(_ size: [Int]) -> String {
            "<matrixSize><x>\(size[0])</x><y>\(size[1])</y><z>\(size[2])</z></matrixSize>"
        }
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <ismrmrdHeader xmlns="\(FastMRIHeader.namespace)">
              <encoding>
                <encodedSpace>\(matrix(encodingSize))</encodedSpace>
                <reconSpace>\(matrix(reconSize))</reconSpace>
                <trajectory>cartesian</trajectory>
                <encodingLimits>
                  <kspace_encoding_step_1><minimum>0</minimum><maximum>\(encodingMaximum)</maximum>\
            <center>\(encodingCenter)</center></kspace_encoding_step_1>
                </encodingLimits>
              </encoding>
            </ismrmrdHeader>

            """
    }
}

/// Collects the text of the first element matching each query (a chain of ISMRMRD element
/// names, each a descendant of the one before, like ElementTree's `.//a//b//c`).
private final class ElementFinder: NSObject, XMLParserDelegate {
    let queries: [[String]]
    private(set) var texts: [String?]
    /// The open elements: their names, `nil` for elements outside the ISMRMRD namespace.
    private var open: [String?] = []
    /// The queries whose element is being read, with the depth it opened at.
    private var reading: [(query: Int, depth: Int)] = []
    /// Whether the root element has closed.
    private(set) var isComplete = false

    init(_ queries: [[String]]) {
        self.queries = queries
        texts = queries.map { _ in nil }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        let name = namespaceURI == FastMRIHeader.namespace ? elementName : nil
        for (index, query) in queries.enumerated()
        where texts[index] == nil && name == query.last && nested(query.dropLast(), in: open) {
            texts[index] = ""
            reading.append((index, open.count))
        }
        open.append(name)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Only the element's own text counts, as ElementTree's `.text`, not its children's.
        for (query, depth) in reading where depth == open.count - 1 {
            texts[query]? += string
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
        reading.removeAll { $0.depth == open.count }
        isComplete = open.isEmpty
    }

    /// Whether `names` appear in `ancestors` in order (not necessarily adjacent).
    private func nested(_ names: ArraySlice<String>, in ancestors: [String?]) -> Bool {
        var remaining = names[...]
        for ancestor in ancestors where ancestor != nil && ancestor == remaining.first {
            remaining = remaining.dropFirst()
        }
        return remaining.isEmpty
    }
}
