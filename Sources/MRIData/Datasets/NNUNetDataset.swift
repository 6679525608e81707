import Foundation

/// The description of an nnU-Net v2 raw dataset, its `dataset.json`:
/// `{"channel_names": {"0": "T2", "1": "ADC"}, "labels": {"background": 0, "PZ": 1},
/// "numTraining": 32, "file_ending": ".nii.gz"}`.
public struct NNUNetDatasetDescription: Sendable, Equatable {
    /// The channels' names, in channel order (`channel_names["0"]`, `["1"]`, …).
    public var channelNames: [String]
    /// Each label's name and value (`background` is 0).
    public var labels: [String: Int]
    /// The number of training cases the folder must hold.
    public var numTraining: Int
    /// The files' ending, `.nii.gz` or `.nii`.
    public var fileEnding: String

    /// Reads and checks the `dataset.json` at `path`.
    /// - Throws: `DataError` naming the file and the field (`channel_names`, `labels`,
    ///   `numTraining`, `file_ending`) that is missing or malformed, or the file when it is not a
    ///   JSON object.
    public init(path: String) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataError(file: path, "cannot be read as JSON: \(error.localizedDescription)")
        }
        guard let json = object as? [String: Any] else { throw DataError(file: path, "is not a JSON object") }
        let names = json["channel_names"] as? [String: Any] ?? [:]
        let channelNames = (0..<names.count).compactMap { names[String($0)] as? String }
        guard !names.isEmpty, channelNames.count == names.count else {
            throw DataError(file: path, field: "channel_names", "must map \"0\", \"1\", … to channel names")
        }
        guard let labelObject = json["labels"] as? [String: Any] else {
            throw DataError(file: path, field: "labels", "must map label names to integer values")
        }
        var labels: [String: Int] = [:]
        for (name, value) in labelObject {
            guard let number = value as? NSNumber, let integer = Int(exactly: number.doubleValue) else {
                throw DataError(
                    file: path, field: "labels.\(name)",
                    "is \(value), not an integer (region labels are not supported)")
            }
            labels[name] = integer
        }
        guard labels["background"] == 0 else {
            throw DataError(file: path, field: "labels.background", "must be 0")
        }
        guard let numTraining = (json["numTraining"] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
            numTraining >= 0
        else { throw DataError(file: path, field: "numTraining", "must be a non-negative integer") }
        guard let fileEnding = json["file_ending"] as? String, [".nii.gz", ".nii"].contains(fileEnding) else {
            throw DataError(file: path, field: "file_ending", "must be \".nii.gz\" or \".nii\" (NIfTI)")
        }
        self.channelNames = channelNames
        self.labels = labels
        self.numTraining = numTraining
        self.fileEnding = fileEnding
    }
}

/// The training cases of an nnU-Net v2 raw dataset folder (`Dataset001_Name/`): `dataset.json`,
/// `imagesTr/<case>_0000<ending>`, `_0001`, … (one file per channel) and `labelsTr/<case><ending>`.
///
/// Cases are ordered by identifier. Files are only listed when the dataset is made; each sample
/// reads its case's NIfTI files.
public struct NNUNetDataset: GroupedDataset {
    /// One case's files.
    public struct Case: Sendable, Equatable {
        /// The case identifier, the group of splits.
        public var identifier: String
        /// One image path per channel, in channel order.
        public var imagePaths: [String]
        /// The label map's path.
        public var labelPath: String
    }

    /// The dataset's `dataset.json`.
    public let metadata: NNUNetDatasetDescription
    /// The cases, in sample order.
    public let cases: [Case]

    /// The training cases of the dataset folder `root`.
    /// - Throws: `DataError` for a bad `dataset.json` (naming its field), a case missing a channel
    ///   file (field: the channel's name) or its label map (field `labelsTr`), or a number of
    ///   cases other than `numTraining`.
    public init(root: String) throws {
        let rootURL = URL(fileURLWithPath: root)
        let descriptionPath = rootURL.appendingPathComponent("dataset.json").path
        let description = try NNUNetDatasetDescription(path: descriptionPath)
        let images = rootURL.appendingPathComponent("imagesTr")
        let labels = rootURL.appendingPathComponent("labelsTr")
        let ending = description.fileEnding
        let names = Set(try DatasetFolder.listing(images.path))
        let firstChannel = "_0000" + ending
        let identifiers = names.filter { $0.hasSuffix(firstChannel) }
            .map { String($0.dropLast(firstChannel.count)) }.sorted()
        cases = try identifiers.map { identifier in
            let imagePaths = try description.channelNames.enumerated().map { channel, name in
                let file = identifier + "_" + String(format: "%04d", channel) + ending
                guard names.contains(file) else {
                    throw DataError(file: images.appendingPathComponent(file).path, field: name, "is missing")
                }
                return images.appendingPathComponent(file).path
            }
            let labelPath = labels.appendingPathComponent(identifier + ending).path
            guard FileManager.default.fileExists(atPath: labelPath) else {
                throw DataError(file: labelPath, field: "labelsTr", "is missing for case \(identifier)")
            }
            return Case(identifier: identifier, imagePaths: imagePaths, labelPath: labelPath)
        }
        guard cases.count == description.numTraining else {
            throw DataError(
                file: descriptionPath, field: "numTraining",
                "is \(description.numTraining), but imagesTr holds \(cases.count) cases")
        }
        self.metadata = description
    }

    public var count: Int { cases.count }

    /// Each case is its own group.
    public var groupKeys: [String] { cases.map(\.identifier) }

    /// Case `index`: the channels stacked and the label map.
    /// - Throws: `DataError` naming the file for an unreadable NIfTI, a channel or label map whose
    ///   shape differs from the first channel's (field `dim`), or labels not in `dataset.json`
    ///   (field `labels`).
    public func sample(at index: Int) throws -> NNUNetSample {
        let entry = cases[index]
        let channels = try entry.imagePaths.map { try NIfTIImage(contentsOf: URL(fileURLWithPath: $0)).data }
        let shape = channels[0].shape
        for (path, channel) in zip(entry.imagePaths, channels) where channel.shape != shape {
            throw DataError(file: path, field: "dim", "has shape \(channel.shape), channel 0 has \(shape)")
        }
        let label = try NIfTIImage(contentsOf: URL(fileURLWithPath: entry.labelPath)).data
        guard label.shape == shape else {
            throw DataError(file: entry.labelPath, field: "dim", "has shape \(label.shape), the image has \(shape)")
        }
        let matches = metadata.labels.values.map { label .== Double($0) }
        let known = matches.dropFirst().reduce(matches[0]) { $0.logicalOr($1) }
        guard known.all().item(Bool.self) else {
            throw DataError(
                file: entry.labelPath, field: "labels",
                "holds values other than dataset.json's \(metadata.labels.values.sorted())")
        }
        return NNUNetSample(image: Tensor.stack(channels), label: label.to(dtype: .int64).unsqueeze(0))
    }
}

/// One nnU-Net case: its channels and its label map.
public struct NNUNetSample: Sendable, Collatable {
    /// The channels, float32 `[C, X, Y, Z]` (the files' voxel axes).
    public var image: Tensor
    /// The label map, int64 `[1, X, Y, Z]`.
    public var label: Tensor

    /// A sample of these fields.
    public init(image: Tensor, label: Tensor) {
        self.image = image
        self.label = label
    }

    /// Each field stacked along a new batch dimension (`[N, C, X, Y, Z]`, `[N, 1, X, Y, Z]`).
    public static func collate(_ samples: [NNUNetSample]) throws -> NNUNetSample {
        try NNUNetSample(image: .collate(samples.map(\.image)), label: .collate(samples.map(\.label)))
    }
}
